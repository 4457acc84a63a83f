// The DSP's service-request pipeline (domain brief §3; issue 5): DUIS in → size, XML, schema and signature checks
// (the User is who signed) → User and role (E1–E4) → Command Variant and URL (E12, E13) → device, type and SMI
// status (E19, E11, E5) → RequestID anti-replay → transform to GBCS → Pre-Command (CV4) or, for a Signed
// Pre-Command (CV5–7), the check that it is the one issued → ACB MAC → durable record → I99 → a delivery route →
// the device's response correlated by counter, verified, and pushed to the User as a signed I0 (or E20/E21/E30).
// Business steps run one at a time, in arrival order, so counters and records never race.
import { DuisError, formatDuisId, type DuisId } from '../codec/duis/common.js';
import { returnLocalCommandResponse } from '../codec/duis/bodies.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { peekRouting } from '../hub/routing.js';
import { FIRMWARE_USE_CASES } from '../devices/hht-carry.js';
import { bytesEqual, DecodeError } from '../codec/bytes.js';
import { requestSrv, type DuisRequest } from '../codec/duis/request.js';
import type { DuisResponse } from '../codec/duis/response.js';
import type { ResponseCode } from '../codec/duis/response-codes.js';
import { commandVariantAllowed, srvInfo, type CommandVariant, type SrvInfo } from '../codec/duis/srv.js';
import { isLeaf } from '../codec/duis/tree.js';
import { parseBase64Binary, parseDuisId, parseHyphenatedEui } from '../codec/duis/common.js';
import type { Eui64 } from '../codec/eui64.js';
import { parseGbcs, type ParsedGbcs } from '../codec/gbcs/frame.js';
import type { KeyObject } from 'node:crypto';
import { messageCodeInfo } from '../codec/gbcs/message-codes.js';
import { MissingKeyError } from '../crypto/errors.js';
import { signGbcs, verifyGbcs, type ProtectionContext } from '../crypto/message-protection.js';
import type { DuisGateway, GatewayVerdict } from './gateway.js';
import { orderKey } from './order-key.js';
import type { DeliveryRoute } from '../routes/route.js';
import type { OutboundKind, OutboundRecord, RequestRecord, Store, StoreOps } from '../store/store.js';
import {
  checkSignedPreCommand,
  commandMessage,
  deviceKindOf,
  macCommand,
  originatedByAcb,
  preCommandBytes,
  type Origination,
} from './commands.js';
import type { DspConfig } from './config.js';
import { answer, deviceAlert, responseXml, updateHanDeviceLogResult, type AnswerTo } from './responses.js';
import { findTransform } from './transform/index.js';
import { TransformError, type DspRecords, type Transform, type TransformInput } from './transform/types.js';
import type { DccUser, SmiDevice } from './types.js';
import { DspInventory, succeeded, type NonDeviceOutcome } from './dsp-inventory.js';
import { planRequestWanMatrix } from './non-device.js';
import {
  DspFirmware,
  firmwareVersionReported,
  withFirmwareVersion,
  type FirmwareChange,
  type FirmwareDeliveryFailure,
  type FirmwareDeliveryNotice,
} from './firmware.js';
import type { FirmwareEnv } from '../firmware/images.js';
import { firmwareDeliveryStatus } from './responses.js';
import type { WanCoverageSource } from '../routes/wan-model.js';
import { alertCodeFromPayload, FUTURE_DATED_ALERT_CODES, futureDatedCommandCounter } from './alert-code.js';

/** The three DCC Boxed web services: Send Command, Transform, Non-Device [O: dccboxed-nodered-nodes]. */
export type DuisService = 'S' | 'T' | 'D';

/** Which service each Command Variant is sent to (domain brief §3.1). */
export const SERVICE_OF_CV: Readonly<Record<CommandVariant, DuisService>> = {
  1: 'S',
  2: 'D',
  3: 'S',
  4: 'T',
  5: 'S',
  6: 'D',
  7: 'S',
  8: 'D',
};

/** What the caller sends back: a DUIS response (HTTP 200), or a refusal before any DUIS processing. */
export type SubmitOutcome =
  | { readonly kind: 'response'; readonly code: ResponseCode; readonly xml: string; readonly reason?: string }
  | Refused;

export type Refused = {
  readonly kind: 'refused';
  readonly status: 400 | 401 | 409 | 413 | 501;
  readonly error: string;
  readonly detail: string;
};

/** What the pipeline decides: the answer as a DUIS value, which the gateway or the front renders and signs. */
export type Decided =
  | {
      readonly kind: 'response';
      readonly code: ResponseCode;
      readonly response: DuisResponse;
      readonly reason?: string;
    }
  | Refused;

export interface DspClock {
  now(): number;
  /** Calls `Dsp.onTimer(key)` at model time `atMs`. */
  at(atMs: number, key: string): void;
}

/** Premise state changed by the field, saved in the same transaction as the DSP's records. */
export interface FieldPersistence {
  /** Snapshots of the premises changed since the last call that are between exchanges. */
  dirtySnapshots(): { id: number; state: Uint8Array }[];
  /** Those premises' snapshots were not stored after all (the transaction failed). */
  restoreDirty(ids: readonly number[]): void;
  /** Whether the premise's CH holds the image of firmware request `requestId` (CS05 delivered); absent: assumed. */
  holdsFirmware?(premise: number, requestId: string): boolean;
}

export interface DspDeps {
  readonly config: DspConfig;
  readonly store: Store;
  /** Checks requests (XML, XSD, the User's XML signature) and signs responses with the DSP's key. */
  readonly gateway: DuisGateway;
  /** GBCS keys: the ACB's KA key for MACs, Users' DS keys for Signed Pre-Commands, devices' keys for responses. */
  readonly protection: ProtectionContext;
  readonly route: DeliveryRoute;
  readonly clock: DspClock;
  readonly field?: FieldPersistence;
  /** Told of every response or alert queued for a User, once committed. */
  readonly onOutbound?: (id: number, message: OutboundRecord) => void;
  /** Told why a request ended without a device response (logging). */
  readonly onNote?: (text: string) => void;
  /** The SMKI repository's device certificates, for the joins that carry one (CS03C, CS03A GSME–PPMID). */
  readonly smki?: SmkiRepository;
  /** The CSP WAN's coverage per premise, for SR 12.1 Request WAN Matrix; absent: 12.1 is not offered (501). */
  readonly wan?: WanCoverageSource;
  /** The seeds' rules the DSP applies (local firmware upgrades); absent: today's (DEFAULT_POLICY). */
  readonly policy?: Policy;
  /** Firmware images and OTA parameters shared with the field; absent: 11.1 / 11.4 are not offered (501). */
  readonly firmware?: FirmwareEnv;
}

/** What the DSP looks up in the SMKI repository. */
export interface SmkiRepository {
  /** A device's Key Agreement certificate (DER), or undefined when the repository has none. */
  kaCertificate(device: SmiDevice): Uint8Array | undefined;
}

/** A refusal by a pipeline step: a DUIS response code and why. */
class Refusal {
  constructor(
    readonly code: ResponseCode,
    readonly reason: string,
  ) {}
}

const ACB_COUNTER = 'acb';
/** Command variants that give the User a LocalCommand for an HHT (domain brief §3.1). */
const LOCAL_VARIANTS: ReadonlySet<number> = new Set([2, 3, 6, 7]);

export class Dsp {
  private chain: Promise<unknown> = Promise.resolve();
  /** In-flight commands by flightKey (originator, device, counter) → RequestID. */
  private readonly inFlight = new Map<string, string>();
  private acbCounter: bigint | undefined;
  readonly inventory: DspInventory;
  /** SR 11.1 / 11.4 (firmware.ts); undefined without a firmware env. */
  readonly firmware: DspFirmware | undefined;

  constructor(private readonly deps: DspDeps) {
    this.inventory = new DspInventory(deps.store);
    this.firmware =
      deps.firmware === undefined
        ? undefined
        : new DspFirmware(
            deps.store,
            deps.firmware,
            deps.policy ?? DEFAULT_POLICY,
            deps.config.firmwareDeliveryTimeoutMs,
          );
  }

  /** Resolves once every queued step has run (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const current = this.chain;
      await current;
      await this.durable.catch(() => undefined);
      if (current === this.chain) return;
    }
  }

  /** A DUIS request as received on web service `service`; the answer comes back signed. */
  async submit(service: DuisService, input: string | Uint8Array): Promise<SubmitOutcome> {
    // Checks run in parallel (worker threads); requests for one User and target still enter the pipeline in the
    // order they arrived (decide()).
    const outcome = await this.decide(service, orderKey(input), this.deps.gateway.check(input));
    if (outcome.kind !== 'response') return outcome;
    // Rendered and signed off this thread (gateway.ts signResponse): the DSP's own thread does only the deciding.
    const { response, ...rest } = outcome;
    return { ...rest, xml: await this.deps.gateway.signResponse(response) };
  }

  /**
   * A request the DUIS front already checked (server/front.ts: its HTTP thread checks requests and signs the answers
   * itself): the answer comes back as a DUIS value, unsigned. `key` is orderKey() of the request as received.
   */
  submitChecked(service: DuisService, key: string | undefined, verdict: GatewayVerdict): Promise<Decided> {
    return this.decide(service, key, Promise.resolve(verdict));
  }

  /**
   * A request through the pipeline once its check is done, in arrival order per User and target: counters 5 then 6
   * are never judged 6 then 5. (`key` is read from the raw text, before any check: it orders, it is never trusted.)
   */
  private async decide(
    service: DuisService,
    key: string | undefined,
    checking: Promise<GatewayVerdict>,
  ): Promise<Decided> {
    const before = key === undefined ? undefined : this.arrivals.get(key);
    let entered!: () => void;
    const mine = new Promise<void>((resolve) => (entered = resolve));
    if (key !== undefined) this.arrivals.set(key, mine);
    let pipeline: Promise<Decided>;
    try {
      const verdict = await checking;
      await before;
      pipeline = this.serially(async () =>
        verdict.ok
          ? this.accept(service, verdict.request, verdict.signer)
          : refused(verdict.status, verdict.error, verdict.detail),
      ).then(async (outcome) => {
        // Group commit: the answer waits until what it rests on — this request's record, the counters it was
        // judged by — is durable (the I99 contract), outside the pipeline, so that later requests join the group.
        await this.durable;
        return outcome;
      });
    } finally {
      entered();
      if (key !== undefined && this.arrivals.get(key) === mine) this.arrivals.delete(key);
    }
    return pipeline;
  }

  /** A message the route brought back from a premise's CHF. */
  receive(premise: number, bytes: Uint8Array, atMs: number): void {
    this.uplinks.set(premise, (this.uplinks.get(premise) ?? 0) + 1);
    void this.serially(() => {
      const left = (this.uplinks.get(premise) ?? 1) - 1;
      if (left === 0) this.uplinks.delete(premise);
      else this.uplinks.set(premise, left);
      return this.onDeviceMessage(premise, bytes, atMs);
    }).catch((e: unknown) => this.deps.onNote?.(`premise ${premise}: message not handled: ${String(e)}`));
  }

  /**
   * A route reports that a command it took could not be delivered after all (the CH refused it from a PPMID tunnel,
   * SECMP0038): the request it belongs to ends with E20, unable to communicate with the device.
   */
  routeFailed(premise: number, bytes: Uint8Array, reason: string, atMs: number): void {
    void this.serially(async () => {
      const routing = peekRouting(bytes);
      if (routing === undefined) return;
      const key = flightKey(routing.originator, routing.recipient, routing.originatorCounter);
      const requestId = this.inFlight.get(key);
      if (requestId === undefined) return;
      const rec = await this.deps.store.getRequest(requestId);
      // Only the command as the DSP sent it: a route cannot end another request by naming its counter.
      if (rec?.state !== 'sent' || rec.premise !== premise || rec.command === undefined) return;
      if (!bytesEqual(rec.command, bytes)) return;
      this.inFlight.delete(key);
      await this.finish(rec, 'E20', atMs, reason);
    });
  }

  /** Messages from premise `premise` received but not yet handled: its stored snapshot must wait for them. */
  uplinksPending(premise: number): boolean {
    return this.uplinks.has(premise);
  }

  private readonly uplinks = new Map<number, number>();
  /** The last request to enter the pipeline per `originator:target`, as written in the RequestID. */
  private readonly arrivals = new Map<string, Promise<void>>();

  /** A timer set through DspClock fell due. */
  onTimer(key: string, atMs: number): void {
    const [kind, id] = splitKey(key);
    if (kind === 'deadline') void this.serially(() => this.onDeadline(id, atMs));
    else if (kind === 'dispatch') void this.serially(() => this.onDispatchDue(id, atMs));
    else if (kind === 'ch-firmware') void this.serially(() => this.onChFirmwareDelivered(id as Eui64, atMs));
    else if (kind === 'fw-deadline') void this.serially(() => this.onFirmwareDeadline(id, atMs));
  }

  /** The CH's own image reached it (CS05a, SR 11.1): N60 to the requester (firmware.ts chDelivered). */
  private async onChFirmwareDelivered(chf: Eui64, now: number): Promise<void> {
    const done = this.firmware?.chDelivered(chf);
    if (done === undefined) return;
    await this.firmwareStep(done.changes, async (tx) => this.sendDeliveryNotice(tx, done.notice, now));
  }

  /** A firmware request's deadline (config firmwareDeliveryTimeoutMs [A]): N61 for each device still unconfirmed. */
  private async onFirmwareDeadline(requestId: string, now: number): Promise<void> {
    const firmware = this.firmware;
    if (firmware === undefined) return;
    const { notices, changes } = firmware.expire(requestId, now);
    if (notices.length === 0) return;
    await this.firmwareStep(changes, async (tx) => {
      for (const n of notices) await this.sendDeliveryNotice(tx, n, now);
    });
  }

  /** One DSP step that changes the firmware tracking: written with `fn`'s records, then the DSP's maps follow. */
  private async firmwareStep(
    changes: readonly FirmwareChange[],
    fn: (tx: StoreOps) => Promise<void>,
  ): Promise<void> {
    const firmware = this.firmware!;
    await this.commit(async (tx) => {
      await fn(tx);
      await firmware.write(tx, changes);
      await this.saveField(tx);
    });
    firmware.applied(changes);
  }

  /** CSP deliveries that failed: N61 for their devices, which are tracked no more (undelivered). */
  private async deliveryFailed(failed: readonly FirmwareDeliveryFailure[], now: number): Promise<void> {
    if (failed.length === 0) return;
    await this.firmwareStep(
      failed.flatMap((f) => f.changes),
      async (tx) => {
        for (const f of failed) for (const n of f.notices) await this.sendDeliveryNotice(tx, n, now);
      },
    );
    for (const f of failed)
      this.deps.onNote?.(`premise ${f.premise} unreachable for firmware (${f.reason}): N61`);
  }

  /**
   * After a restart (firmware.ts): the tracking reloaded, each request's deadline re-armed, the CSP's deliveries that
   * the stored premises do not hold handed over again, and the N60 of a CH's own image that arrived sent.
   */
  private async recoverFirmware(now: number): Promise<void> {
    const firmware = this.firmware;
    if (firmware === undefined) return;
    await firmware.load();
    for (const [requestId, deadlineMs] of firmware.deadlines())
      this.deps.clock.at(deadlineMs, `fw-deadline:${requestId}`);
    const holds = this.deps.field?.holdsFirmware?.bind(this.deps.field) ?? (() => true);
    const { redeliver, chDelivered } = firmware.resumable(holds);
    for (const chf of chDelivered) await this.onChFirmwareDelivered(chf, now);
    const failed = firmware.dispatch(this.deps.route, redeliver, now, (chf, atMs) =>
      this.deps.clock.at(atMs, `ch-firmware:${chf}`),
    );
    await this.deliveryFailed(failed, now);
  }

  /** DCC alert N60 / N61 (CSPFirmwareDeliveryStatus) to the User whose SR 11.1 it answers. */
  private async sendDeliveryNotice(tx: StoreOps, n: FirmwareDeliveryNotice, now: number): Promise<void> {
    const id = parseDuisId(n.tracked.requestId, 'UpdateFirmwareRequestID');
    const xml = responseXml(
      firmwareDeliveryStatus(n.code, id, n.chf, n.device, n.tracked.firmwareVersion, now),
    );
    await this.enqueue(tx, n.tracked.user, 'dcc-alert', xml, now, n.tracked.requestId);
    this.deps.onNote?.(`${n.tracked.requestId}: ${n.code} for ${n.device}`);
  }

  /** The SMI effects of a response, and the firmware version it reports for an 11.2 / 11.3 (GBCS 11.2, 11.3). */
  private async afterResponse(
    rec: RequestRecord,
    parsed: ParsedGbcs,
    now: number,
  ): Promise<(tx: StoreOps) => Promise<void>> {
    const effects = await this.inventory.afterResponse(rec, parsed, now);
    const version = rec.srv === '11.2' || rec.srv === '11.3' ? firmwareVersionReported(parsed) : undefined;
    if (version === undefined) return effects;
    return async (tx) => {
      await effects(tx);
      const device = await tx.getDevice(rec.target);
      if (device !== undefined && device.firmwareVersion !== version)
        await tx.putDevice(withFirmwareVersion(device, version));
    };
  }

  /** After a restart: finish every request acknowledged but not answered. */
  async recover(): Promise<number> {
    return this.serially(async () => {
      const open = await this.deps.store.openRequests();
      const now = this.deps.clock.now();
      await this.recoverFirmware(now);
      for (const r of open) {
        if (r.gbcsOriginator !== undefined && r.gbcsCounter !== undefined)
          this.inFlight.set(flightKey(r.gbcsOriginator, r.target, r.gbcsCounter), r.requestId);
        const due = r.deadlineMs === undefined || r.deadlineMs <= now;
        if (r.state === 'accepted' && heldByDsp(r, now))
          this.deps.clock.at(r.executionMs!, `dispatch:${r.requestId}`);
        else if (r.state === 'accepted') await this.dispatch(r, now);
        // Answered, awaiting a future-dated execution alert: only its deadline to re-arm.
        else if (r.response !== undefined) {
          if (due) await this.onDeadline(r.requestId, now);
          else this.deps.clock.at(r.deadlineMs!, `deadline:${r.requestId}`);
        }
        // Sent, unanswered: the field was restored from its last snapshot, so the command is sent again.
        else if (!due) await this.dispatch(r, now);
        else await this.onDeadline(r.requestId, now);
      }
      return open.length;
    });
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const run = this.chain.then(step, step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---- requests ---------------------------------------------------------------------------------------------

  private async accept(service: DuisService, req: DuisRequest, signer: Eui64): Promise<Decided> {
    const now = this.deps.clock.now();
    const srv = requestSrv(req);
    const to: AnswerTo = {
      requestId: req.header.requestId,
      serviceReference: req.header.serviceReference,
      serviceReferenceVariant: req.header.serviceReferenceVariant,
    };
    try {
      const user = await this.authorise(req, srv, signer, service);
      if (req.header.commandVariant === 8) return await this.nonDevice(req, srv, user, to, now);
      return await this.deviceRequest(req, srv, user, to, now);
    } catch (e) {
      if (e instanceof Refusal) return this.respond(to, e.code, now, e.reason);
      if (e instanceof Replayed) return refused(409, 'replayed', e.reason);
      if (e instanceof DuisError) return refused(400, 'invalid-request', e.message);
      throw e;
    }
  }

  /** E1–E3, E12, E13: who sent it, may they, on this URL with this Command Variant. */
  private async authorise(
    req: DuisRequest,
    srv: SrvInfo,
    signer: Eui64,
    service: DuisService,
  ): Promise<DccUser> {
    const h = req.header;
    if (h.requestId.originator !== signer)
      throw new Refusal('E1', `signed by ${signer}, but the RequestID names ${h.requestId.originator}`);
    const user = await this.deps.store.getUser(signer);
    if (user === undefined) throw new Refusal('E1', `${signer} is not a DCC User`);
    if (!user.roles.some((r) => srv.eligibleRoles.includes(r)))
      throw new Refusal('E2', `roles ${user.roles.join(', ')} may not send SRV ${srv.srv}`);
    if (user.status !== 'active') throw new Refusal('E3', `User ${signer} is ${user.status}`);
    if (!commandVariantAllowed(srv, h.commandVariant))
      throw new Refusal('E12', `Command Variant ${h.commandVariant} is not valid for SRV ${srv.srv}`);
    if (SERVICE_OF_CV[h.commandVariant] !== service)
      throw new Refusal(
        'E13',
        `Command Variant ${h.commandVariant} belongs to service${SERVICE_OF_CV[h.commandVariant]}`,
      );
    return user;
  }

  private async nonDevice(
    req: DuisRequest,
    srv: SrvInfo,
    user: DccUser,
    to: AnswerTo,
    now: number,
  ): Promise<Decided> {
    await this.checkFresh(req.header.requestId);
    if (srv.srv === '8.13') return this.localCommandResponse(req, user, to, now);
    // SECMP0007 / GBCS 11.1: firmware distribution, when the DCC has a firmware env (else 501 below).
    if ((srv.srv === '11.4' || srv.srv === '11.1') && this.firmware !== undefined)
      return this.firmwareUpdate(req, srv.srv, user, to, now, this.firmware);
    const outcome =
      srv.srv === '12.1' ? await this.wanMatrix(req, now) : await this.inventory.service(req, srv, user, now);
    if (outcome.kind === 'refused') throw new Refusal(outcome.code, outcome.reason);
    if (outcome.kind === 'unsupported') return refused(501, 'not-implemented', outcome.reason);
    await this.commit(async (tx) => {
      await tx.setRequestCounter(
        req.header.requestId.originator,
        req.header.requestId.target,
        req.header.requestId.counter,
      );
      await outcome.apply(tx);
    });
    return this.respond(to, outcome.payload === null ? 'I99' : 'I0', now, undefined, outcome.payload);
  }

  /**
   * 8.13 Return Local Command Response: the device's response to a local command (CV2/3/6/7) that the User's HHT
   * delivered, handed back by the User. Checked as a response arriving over the WAN is (authentic, from the target,
   * to the command's originator, same counter), it completes the original request: the SMI effects, and the I0 with
   * the device's GBCS pushed to the User as for a WAN response; the 8.13 itself is acknowledged I99. The twin needs
   * OriginalRequestID to find the command [A: optional in the XSD]; a response it cannot match is refused (HTTP 400).
   */
  private async localCommandResponse(
    req: DuisRequest,
    user: DccUser,
    to: AnswerTo,
    now: number,
  ): Promise<Decided> {
    const body = returnLocalCommandResponse.decode(req.body);
    if (body.originalRequestId === undefined)
      return refused(400, 'invalid-request', 'OriginalRequestID is needed to match the local command');
    const rec = await this.deps.store.getRequest(formatDuisId(body.originalRequestId));
    if (rec === undefined || rec.user !== user.eui || ![2, 3, 6, 7].includes(rec.commandVariant))
      return refused(400, 'invalid-request', 'OriginalRequestID names no local command of this User');
    if (rec.response !== undefined)
      return refused(409, 'replayed', 'that local command has its response already');
    let parsed: ParsedGbcs;
    try {
      parsed = parseGbcs(body.deviceGbcsResponse);
    } catch (e) {
      if (e instanceof DecodeError)
        return refused(400, 'invalid-request', `DeviceGBCSResponse: ${e.message}`);
      throw e;
    }
    const h = parsed.message.header;
    const verdict = verifyGbcs(parsed, this.deps.protection);
    const authentic = verdict.mac === 'valid' || (verdict.mac === 'none' && verdict.signature === 'valid');
    if (
      !authentic ||
      h.cra !== 2 ||
      h.originator !== rec.target ||
      h.recipient !== rec.gbcsOriginator ||
      h.originatorCounter !== rec.gbcsCounter
    )
      return refused(
        400,
        'invalid-request',
        'DeviceGBCSResponse is not the authentic response to that command',
      );
    const xml = responseXml(
      answer(answerTo(rec), 'I0', now, { kind: 'GBCSPayload', gbcsPayload: parsed.bytes }, rec.target),
    );
    const effects = await this.afterResponse(rec, parsed, now);
    const id = req.header.requestId;
    // A CV3/CV7 request went over the WAN too: its flight ends here.
    this.inFlight.delete(flightKey(rec.gbcsOriginator!, rec.target, rec.gbcsCounter!));
    await this.commit(async (tx) => {
      await tx.setRequestCounter(id.originator, id.target, id.counter);
      await tx.putRequest({ ...rec, state: 'completed', responseCode: 'I0', response: parsed.bytes });
      await this.enqueue(tx, rec.user, 'response', xml, now, rec.requestId);
      await effects(tx);
      await this.saveField(tx);
    });
    return this.respond(to, 'I99', now);
  }

  /**
   * 11.1 / 11.4 (firmware.ts): the image checked, the devices sorted, the request stored and acknowledged (I99, or the
   * warning code with the DSP warning body), then the image handed to the CSP for each premise; a premise the route
   * cannot reach gets DCC alert N61 for its devices at once (CSPFirmwareDeliveryStatus Failure) [A].
   */
  private async firmwareUpdate(
    req: DuisRequest,
    srv: '11.1' | '11.4',
    user: DccUser,
    to: AnswerTo,
    now: number,
    firmware: DspFirmware,
  ): Promise<Decided> {
    const id = req.header.requestId;
    const requestId = formatDuisId(id);
    const plan = await firmware.plan(req, srv, user, requestId, now);
    if (plan.kind === 'refused') throw new Refusal(plan.code, plan.reason);
    // Durable with the request (the I99 contract): the image, once per SHA-256, and each device's tracking.
    await this.commit(async (tx) => {
      await tx.setRequestCounter(id.originator, id.target, id.counter);
      await tx.putRequest(
        record(id, srvInfo(srv)!, req.header.commandVariant, 'completed', now, { responseCode: plan.code }),
      );
      if (plan.tracking.length > 0) await tx.putFirmwareImage(plan.image);
      await firmware.write(tx, plan.tracking);
    });
    firmware.applied(plan.tracking);
    if (plan.tracking.length > 0)
      this.deps.clock.at(now + this.deps.config.firmwareDeliveryTimeoutMs, `fw-deadline:${requestId}`);
    const failed = firmware.dispatch(this.deps.route, plan.distributions, now, (chf, atMs) =>
      this.deps.clock.at(atMs, `ch-firmware:${chf}`),
    );
    await this.deliveryFailed(failed, now);
    return this.respond(to, plan.code, now, undefined, plan.payload);
  }

  /** 12.1 Request WAN Matrix: planned from the SMI and the WAN model (non-device.ts); it writes nothing. */
  private async wanMatrix(req: DuisRequest, now: number): Promise<NonDeviceOutcome> {
    if (this.deps.wan === undefined) return { kind: 'unsupported', reason: 'SRV 12.1 needs a WAN model' };
    const plan = await planRequestWanMatrix(this.deps.wan)({ body: req.body }, this.deps.store, now);
    return plan.ok
      ? { kind: 'ok', payload: plan.payload, apply: plan.apply }
      : { kind: 'refused', code: plan.responseCode, reason: plan.reason };
  }

  private async deviceRequest(
    req: DuisRequest,
    srv: SrvInfo,
    user: DccUser,
    to: AnswerTo,
    now: number,
  ): Promise<Decided> {
    const id = req.header.requestId;
    const cv = req.header.commandVariant;
    const device = await this.deps.store.getDevice(id.target);
    if (device === undefined)
      throw new Refusal('E19', `no device ${id.target} in the Smart Metering Inventory`);
    // SECMP0007: no local firmware upgrades via an HHT while the policy bans them (E17: no local command).
    if (
      LOCAL_VARIANTS.has(cv) &&
      (this.deps.policy ?? DEFAULT_POLICY).localFirmwareUpgrade === 'banned' &&
      srv.useCases.some((u) => FIRMWARE_USE_CASES.has(u))
    )
      throw new Refusal('E17', `SRV ${srv.srv}: local firmware upgrades are banned by policy`);
    if (cv >= 5) return this.signedPreCommand(req, srv, user, device, to, now);
    const entry = findTransform(srv.srv, device.deviceType);
    if (entry === undefined)
      throw new Refusal('E11', `SRV ${srv.srv} does not apply to a ${device.deviceType}`);
    const status = this.inventory.check(srv, device, user);
    if (status !== null) throw new Refusal(status.code, status.reason);
    checkAuthorisedFor(user, device);
    await this.checkFresh(id);
    const input: TransformInput = {
      srv,
      body: req.body,
      target: device,
      user: user.eui,
      counter: id.counter,
      nowMs: now,
      premiseDevices: device.premise === undefined ? [device] : await this.premiseDevices(device.premise),
      records: await this.recordsFor(srv, req),
    };
    let draft = transformed(entry.transform, input);
    const kind = deviceKindOf(device.deviceType);
    const byAcb = originatedByAcb(draft, kind, srv.critical);
    if (cv === 4) {
      const message = commandMessage(draft, { originator: user.eui, counter: id.counter });
      const pre = preCommandBytes(message);
      await this.commit(async (tx) => {
        await tx.setRequestCounter(id.originator, id.target, id.counter);
        await tx.putRequest(
          record(id, srv, cv, 'completed', now, {
            command: pre,
            responseCode: 'I0',
            ...premiseOf(device),
            ...(draft.executionMs !== undefined && { executionMs: draft.executionMs }),
          }),
        );
        await this.saveField(tx);
      });
      return this.respond(to, 'I0', now, undefined, {
        kind: 'PreCommand',
        gbcsVersion: this.deps.config.gbcsVersion,
        gbcsPayload: pre,
      });
    }
    let origination: Origination = { originator: user.eui, counter: id.counter };
    if (byAcb) {
      // The ACB originates with its own counter, which the payload's invoke-id follows: transform again with it.
      const acbCounter = await this.nextAcbCounter();
      draft = transformed(entry.transform, { ...input, originatorCounter: acbCounter });
      origination = {
        originator: this.deps.config.acb,
        counter: acbCounter,
        supplementary: { user: user.eui, counter: id.counter },
      };
    }
    let message = commandMessage(draft, origination);
    // A critical use case the ACB originates under a non-critical SRV is signed by the ACB itself (RTDS 4.5.0
    // 8.7.2_CS03A2NonCritical: originator and signer the ACB) [O].
    if (byAcb && messageCodeInfo(draft.messageCode)?.critical === true)
      message = signGbcs(message, this.acbSigningKey());
    const bytes = macCommand(message, this.deps.protection);
    return this.send(id, srv, cv, device, draft.executionMs, to, now, bytes, origination);
  }

  /** CV5–7: the User signed the Pre-Command issued for the same RequestID (the DCC Boxed flow reuses it [O]). */
  private async signedPreCommand(
    req: DuisRequest,
    srv: SrvInfo,
    user: DccUser,
    device: SmiDevice,
    to: AnswerTo,
    now: number,
  ): Promise<Decided> {
    const id = req.header.requestId;
    const key = formatDuisId(id);
    const issued = await this.deps.store.getRequest(key);
    if (issued === undefined || issued.commandVariant !== 4 || issued.command === undefined)
      throw new Refusal('E12', `no Pre-Command was issued for RequestID ${key} (send CV4 first)`);
    if (issued.srv !== srv.srv)
      throw new Refusal('E12', `the Pre-Command for ${key} was for SRV ${issued.srv}`);
    const status = this.inventory.check(srv, device, user);
    if (status !== null) throw new Refusal(status.code, status.reason);
    checkAuthorisedFor(user, device);
    // A later request to the device since the Pre-Command was issued: the device would refuse this counter.
    const last = await this.deps.store.lastRequestCounter(id.originator, id.target);
    if (last !== undefined && last > id.counter)
      throw new Replayed(
        `RequestID counter ${id.counter} is below ${last}, accepted since its Pre-Command was issued`,
      );
    const signed = signedPayload(req);
    const check = checkSignedPreCommand(signed, issued.command, this.deps.protection);
    if (!check.ok) return refused(400, 'signed-pre-command-invalid', check.reason);
    const cv = req.header.commandVariant;
    const bytes = macCommand(check.message, this.deps.protection);
    return this.send(id, srv, cv, device, issued.executionMs, to, now, bytes, {
      originator: id.originator,
      counter: id.counter,
    });
  }

  /**
   * Stores the request (durable before the I99 is returned), then hands the command to the route. CV2/CV6 return the
   * command for local delivery instead; CV3/CV7 do both.
   */
  private async send(
    id: DuisId,
    srv: SrvInfo,
    cv: CommandVariant,
    device: SmiDevice,
    executionMs: number | undefined,
    to: AnswerTo,
    now: number,
    bytes: Uint8Array,
    origination: Origination,
  ): Promise<Decided> {
    const local = cv === 2 || cv === 6;
    const gbcsOriginator = origination.originator;
    const gbcsCounter = origination.counter;
    const acbCounter = origination.supplementary === undefined ? undefined : origination.counter;
    // Sent at once (not held by the DSP, not only local): stored as sent, with its deadline, in the I99's transaction.
    const heldForLater = srv.futureDatedPattern === 'DSP' && executionMs !== undefined && executionMs > now;
    const sendNow = !local && !heldForLater;
    const deadlineMs = sendNow ? this.deadlineFor(device, now) : undefined;
    const rec = record(id, srv, cv, local ? 'completed' : sendNow ? 'sent' : 'accepted', now, {
      ...(deadlineMs !== undefined && { deadlineMs }),
      command: bytes,
      gbcsOriginator,
      gbcsCounter,
      ...premiseOf(device),
      ...(executionMs !== undefined && { executionMs }),
      ...(local && { responseCode: 'I0' }),
    });
    await this.commit(async (tx) => {
      await tx.setRequestCounter(id.originator, id.target, id.counter);
      if (acbCounter !== undefined) await tx.setCounter(ACB_COUNTER, acbCounter);
      await tx.putRequest(rec);
      await this.saveField(tx);
    });
    if (cv === 2 || cv === 3 || cv === 6 || cv === 7) {
      if (!local) this.inFlight.set(flightKey(gbcsOriginator, rec.target, gbcsCounter), rec.requestId);
      if (!local && heldForLater) this.deps.clock.at(rec.executionMs!, `dispatch:${rec.requestId}`);
      else if (!local) await this.dispatch(rec, now, true);
      return this.respond(to, 'I0', now, undefined, { kind: 'LocalCommand', gbcsPayload: bytes });
    }
    this.inFlight.set(flightKey(gbcsOriginator, rec.target, gbcsCounter), rec.requestId);
    // "DSP" future-dated pattern: the DSP holds the command until its execution time (domain brief §3.3).
    if (heldByDsp(rec, now)) this.deps.clock.at(rec.executionMs!, `dispatch:${rec.requestId}`);
    else await this.dispatch(rec, now, true);
    return this.respond(to, 'I99', now);
  }

  /** A command the DSP held for its execution time is due. */
  private async onDispatchDue(requestId: string, now: number): Promise<void> {
    const rec = await this.deps.store.getRequest(requestId);
    if (rec?.state === 'accepted') await this.dispatch(rec, now);
  }

  /**
   * Hands a stored command to the route; E20 when the route cannot reach the premise. `stored`: the record is
   * already stored as sent with its deadline (the I99's transaction did it).
   */
  private async dispatch(rec: RequestRecord, now: number, stored = false): Promise<void> {
    if (rec.premise === undefined || rec.command === undefined) {
      await this.finish(rec, 'E20', now, 'the device is not installed at any premise');
      return;
    }
    const outcome = this.deps.route.send(rec.premise, rec.command, now);
    if (outcome.kind === 'unreachable') {
      await this.finish(rec, 'E20', now, outcome.reason);
      return;
    }
    let deadlineMs = rec.deadlineMs;
    if (!stored || deadlineMs === undefined) {
      deadlineMs = this.deadlineFor(await this.deps.store.getDevice(rec.target), now);
      await this.deps.store.putRequest({ ...rec, state: 'sent', deadlineMs });
    }
    this.deps.clock.at(deadlineMs, `deadline:${rec.requestId}`);
  }

  /** Target Response Time for the device's response (config.ts placeholders [A]): a GSME adds its wait to wake. */
  private deadlineFor(device: SmiDevice | undefined, now: number): number {
    const levels = this.deps.config.serviceLevels;
    return now + levels.onDemandMs + (device?.deviceType === 'GSME' ? levels.gsmeWakeMs : 0);
  }

  private async onDeadline(requestId: string, now: number): Promise<void> {
    const rec = await this.deps.store.getRequest(requestId);
    if (rec === undefined || rec.state !== 'sent') return;
    if (rec.deadlineMs !== undefined && rec.deadlineMs > now) return;
    // A future-dated command answered at once but whose execution alert never came: E30; no answer at all: E21.
    const code = rec.response !== undefined ? 'E30' : 'E21';
    const what = rec.response !== undefined ? 'no execution alert' : 'no response';
    await this.finish(rec, code, now, `${what} by ${new Date(rec.deadlineMs ?? now).toISOString()}`);
  }

  /** Ends a request without a device response: the E-code goes to the User asynchronously. */
  private async finish(rec: RequestRecord, code: ResponseCode, now: number, reason: string): Promise<void> {
    if (rec.gbcsOriginator !== undefined && rec.gbcsCounter !== undefined)
      this.inFlight.delete(flightKey(rec.gbcsOriginator, rec.target, rec.gbcsCounter));
    const to = answerTo(rec);
    const xml = responseXml(answer(to, code, now));
    await this.commit(async (tx) => {
      await tx.putRequest({ ...rec, state: 'failed', responseCode: code });
      await this.enqueue(tx, rec.user, 'response', xml, now, rec.requestId);
      await this.saveField(tx);
    });
    this.deps.onNote?.(`${rec.requestId}: ${code} (${reason})`);
  }

  // ---- what devices send back -------------------------------------------------------------------------------

  private async onDeviceMessage(premise: number, bytes: Uint8Array, now: number): Promise<void> {
    let parsed: ParsedGbcs;
    try {
      parsed = parseGbcs(bytes);
    } catch {
      return; // not GBCS: a CSP would drop it too
    }
    const h = parsed.message.header;
    const verdict = verifyGbcs(parsed, this.deps.protection);
    const authentic = verdict.mac === 'valid' || (verdict.mac === 'none' && verdict.signature === 'valid');
    if (!authentic) return;
    if (h.cra === 2) await this.onResponse(parsed, now);
    else if (h.cra === 3) await this.onAlert(premise, parsed, now);
  }

  private async onResponse(parsed: ParsedGbcs, now: number): Promise<void> {
    const h = parsed.message.header;
    const key = flightKey(h.recipient, h.originator, h.originatorCounter);
    const requestId = this.inFlight.get(key);
    if (requestId === undefined) return; // late (after E21) or unsolicited
    const rec = await this.deps.store.getRequest(requestId);
    if (
      rec === undefined ||
      rec.state !== 'sent' ||
      rec.target !== h.originator ||
      rec.response !== undefined
    )
      return;
    const awaitingExecution =
      rec.executionMs !== undefined && rec.executionMs > now && !dspPattern(rec) && succeeded(parsed);
    if (!awaitingExecution) this.inFlight.delete(key);
    const to = answerTo(rec);
    const xml = responseXml(
      answer(to, 'I0', now, { kind: 'GBCSPayload', gbcsPayload: parsed.bytes }, rec.target),
    );
    const effects = await this.afterResponse(rec, parsed, now);
    const deadlineMs = awaitingExecution
      ? rec.executionMs! + this.deps.config.serviceLevels.futureDatedMs
      : undefined;
    await this.commit(async (tx) => {
      await tx.putRequest(
        deadlineMs !== undefined
          ? { ...rec, responseCode: 'I0', response: parsed.bytes, deadlineMs }
          : { ...rec, state: 'completed', responseCode: 'I0', response: parsed.bytes },
      );
      await this.enqueue(tx, rec.user, 'response', xml, now, rec.requestId);
      await effects(tx);
      await this.saveField(tx);
    });
    if (deadlineMs !== undefined) this.deps.clock.at(deadlineMs, `deadline:${rec.requestId}`);
  }

  /** A future-dated command's execution alert (0x8F66/0x8F67) answers its request (FutureDatedDeviceAlertMessage). */
  private async onExecutionAlert(
    parsed: ParsedGbcs,
    alertCode: 0x8f66 | 0x8f67,
    now: number,
  ): Promise<boolean> {
    const h = parsed.message.header;
    const counter = futureDatedCommandCounter(parsed);
    if (counter === undefined) return false;
    const key = flightKey(h.recipient, h.originator, counter);
    const requestId = this.inFlight.get(key);
    if (requestId === undefined) return false;
    const rec = await this.deps.store.getRequest(requestId);
    if (rec === undefined || rec.state !== 'sent' || rec.target !== h.originator) return false;
    this.inFlight.delete(key);
    const payload = {
      kind: 'FutureDatedDeviceAlertMessage',
      alertCode,
      gbcsPayload: parsed.bytes,
      instructionNumber: 1,
      totalCommandInstructions: 1,
    } as const;
    const xml = responseXml(answer(answerTo(rec), 'I0', now, payload, rec.target));
    // GBCS 11.3: a future-dated activation that succeeded (0x8F66) reports the version now running.
    const version = rec.srv === '11.3' ? firmwareVersionReported(parsed) : undefined;
    await this.commit(async (tx) => {
      if (version !== undefined) {
        const device = await tx.getDevice(rec.target);
        if (device !== undefined) await tx.putDevice(withFirmwareVersion(device, version));
      }
      await tx.putRequest({ ...rec, state: 'completed' });
      await this.enqueue(tx, rec.user, 'response', xml, now, rec.requestId);
      await this.saveField(tx);
    });
    return true;
  }

  private async onAlert(premise: number, parsed: ParsedGbcs, now: number): Promise<void> {
    const h = parsed.message.header;
    const device = await this.deps.store.getDevice(h.originator);
    if (device === undefined) return;
    const alertCode = alertCodeOf(parsed);
    if (
      FUTURE_DATED_ALERT_CODES.has(alertCode) &&
      (await this.onExecutionAlert(parsed, alertCode as 0x8f66 | 0x8f67, now))
    )
      return;
    const { effects, joinedFor } = await this.inventory.afterAlert(device, parsed, now);
    // CCS08 / CS09 (SECMP0007): to every supplier linked to the PPMID, each its own alert; the inventory's version.
    const fw = await this.firmware?.onAlert(device, parsed, now);
    const recipients = fw?.recipients ?? alertRecipients(device, h.recipient, this.deps.config.acb);
    await this.commit(async (tx) => {
      // GBCS 11.1: the device's receipt alert completes its distribution: N60 / N61 to the requester.
      if (fw?.notice !== undefined) await this.sendDeliveryNotice(tx, fw.notice, now);
      if (fw?.late !== undefined)
        this.deps.onNote?.(
          `${fw.late.requestId}: receipt alert from ${device.deviceId} after its N61 (deadline): pushed as a device alert, no N60`,
        );
      for (const user of recipients) {
        if ((await tx.getUser(user)) === undefined) continue;
        const xml = responseXml(deviceAlert(alertCode, parsed.bytes, now));
        await this.enqueue(tx, user, 'device-alert', xml, now);
      }
      for (const requestId of joinedFor) {
        const id = parseDuisId(requestId, 'UpdateHANDeviceLogServiceRequestID');
        const xml = responseXml(updateHanDeviceLogResult(id, now));
        await this.enqueue(tx, id.originator, 'dcc-alert', xml, now, requestId);
      }
      await effects(tx);
      await fw?.apply(tx);
      await this.saveField(tx);
    });
    if (fw !== undefined) this.firmware!.applied(fw.changes);
    this.deps.onNote?.(
      `premise ${premise}: alert 0x${alertCode.toString(16).toUpperCase()} from ${h.originator}`,
    );
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  /** RequestID anti-replay: the counter must exceed the last one accepted from this User for this target [A]. */
  private async checkFresh(id: DuisId): Promise<void> {
    const last = await this.deps.store.lastRequestCounter(id.originator, id.target);
    if (last !== undefined && id.counter <= last)
      throw new Replayed(`RequestID counter ${id.counter} is not greater than ${last}, the last accepted`);
  }

  private acbSigningKey(): KeyObject {
    const key = this.deps.protection.keys.privateKey({ eui: this.deps.config.acb, usage: 'DS' });
    if (key === undefined) throw new MissingKeyError(`the ACB's DS private key (${this.deps.config.acb})`);
    return key;
  }

  private async nextAcbCounter(): Promise<bigint> {
    if (this.acbCounter === undefined)
      this.acbCounter = (await this.deps.store.getCounter(ACB_COUNTER)) ?? 0n;
    this.acbCounter += 1n;
    return this.acbCounter;
  }

  /** What a transform needs beyond the SMI, loaded before it runs (transforms are synchronous). */
  private async recordsFor(srv: SrvInfo, req: DuisRequest): Promise<DspRecords> {
    if (srv.srv === '8.7.1' || srv.srv === '8.7.2') return this.joinRecords(req);
    if (srv.srv !== '8.12.1') return {};
    const oldChf = req.body.children.find((c) => c.name === 'OldCHFID');
    if (oldChf === undefined || !isLeaf(oldChf)) return {};
    const report = await this.deps.store.getDeviceLogReport(
      parseHyphenatedEui(oldChf.text.trim(), 'OldCHFID'),
    );
    return report === undefined
      ? {}
      : { reportedDeviceLog: (chf) => (chf === report.chf ? report : undefined) };
  }

  /** 8.7.x: the other device's KA certificate from the SMKI repository, for the joins that carry it. */
  private async joinRecords(req: DuisRequest): Promise<DspRecords> {
    const other = req.body.children.find((c) => c.name === 'OtherDeviceID');
    if (this.deps.smki === undefined || other === undefined || !isLeaf(other)) return {};
    let id: Eui64;
    try {
      id = parseHyphenatedEui(other.text.trim(), 'OtherDeviceID');
    } catch (e) {
      if (e instanceof DuisError) return {}; // the transform refuses the body with its reason
      throw e;
    }
    const device = await this.deps.store.getDevice(id);
    const certificate = device === undefined ? undefined : this.deps.smki.kaCertificate(device);
    return certificate === undefined ? {} : { kaCertificate: (d) => (d === id ? certificate : undefined) };
  }

  private async premiseDevices(premise: number): Promise<SmiDevice[]> {
    return this.deps.store.findDevices({ premise });
  }

  private async saveField(tx: StoreOps): Promise<void> {
    const snapshots = this.deps.field?.dirtySnapshots() ?? [];
    if (snapshots.length === 0) return;
    this.saving.push(...snapshots.map((s) => s.id));
    await tx.putPremises(snapshots);
  }

  /** Premises whose snapshots the transaction in progress writes. */
  private saving: number[] = [];

  private async enqueue(
    tx: StoreOps,
    user: Eui64,
    kind: OutboundKind,
    xml: string,
    now: number,
    requestId?: string,
  ): Promise<void> {
    const message = {
      user,
      kind,
      xml,
      ...(requestId !== undefined && { requestId }),
      createdMs: now,
      nextAttemptMs: now,
      expiresMs: now + this.deps.config.alertHoldMs,
    };
    const id = await tx.enqueueOutbound(message);
    this.queued.push({ ...message, id, attempts: 0, state: 'pending' });
  }

  /**
   * One transaction, staged for group commit (Store.stage): applied when this resolves, so the next step reads it,
   * and durable with its group (`this.durable`). The messages it queued are announced only once it is durable
   * (other connections see them; nothing is pushed that a crash could take back).
   */
  private async commit(fn: (tx: StoreOps) => Promise<void>): Promise<void> {
    this.queued = [];
    this.saving = [];
    let durable: Promise<void>;
    try {
      ({ durable } = await this.deps.store.stage(fn));
    } catch (e) {
      this.deps.field?.restoreDirty(this.saving);
      throw e;
    }
    const messages = this.queued;
    const saving = this.saving;
    this.queued = [];
    this.durable = durable;
    durable.then(
      () => {
        for (const m of messages) this.deps.onOutbound?.(m.id, m);
      },
      () => this.deps.field?.restoreDirty(saving),
    );
  }

  private queued: OutboundRecord[] = [];
  /** Durability of the last transaction staged: groups commit in order, so of every one staged before it too. */
  private durable: Promise<void> = Promise.resolve();

  private respond(
    to: AnswerTo,
    code: ResponseCode,
    now: number,
    reason?: string,
    payload: Parameters<typeof answer>[3] = null,
  ): Decided {
    const response = answer(to, code, now, payload);
    return reason === undefined
      ? { kind: 'response', code, response }
      : { kind: 'response', code, response, reason };
  }
}

/** A RequestID whose counter does not increase: refused before anything is stored (HTTP 409) [A: DUIS's code unknown]. */
class Replayed {
  constructor(readonly reason: string) {}
}

/** A transform's draft; its refusal becomes the DUIS code it names. */
function transformed(transform: Transform, input: TransformInput) {
  try {
    return transform(input);
  } catch (e) {
    if (e instanceof TransformError) throw new Refusal(e.responseCode, e.message);
    throw e;
  }
}

function refused(status: 400 | 401 | 409 | 413 | 501, error: string, detail: string): Refused {
  return { kind: 'refused', status, error, detail };
}

/** E4: a supplier or network operator may command only the devices it is registered for [A: SMI registration]. */
function checkAuthorisedFor(user: DccUser, device: SmiDevice): void {
  const registered = [device.supplier, device.networkOperator].filter((e) => e !== undefined);
  if (registered.length > 0 && !registered.includes(user.eui))
    throw new Refusal('E4', `${user.eui} is not registered for device ${device.deviceId}`);
}

function signedPayload(req: DuisRequest): Uint8Array {
  const leaf = req.body.children.find((c) => c.name === 'GBCSPayload');
  if (leaf === undefined || !isLeaf(leaf))
    throw new DuisError('Request/Body/SignedPreCommand/GBCSPayload', 'required element missing');
  return parseBase64Binary(leaf.text, 'Request/Body/SignedPreCommand/GBCSPayload');
}

function record(
  id: DuisId,
  srv: SrvInfo,
  cv: CommandVariant,
  state: RequestRecord['state'],
  now: number,
  extra: Partial<RequestRecord>,
): RequestRecord {
  return {
    requestId: formatDuisId(id),
    user: id.originator,
    target: id.target,
    counter: id.counter,
    srv: srv.srv,
    commandVariant: cv,
    state,
    acceptedMs: now,
    ...extra,
  };
}

function premiseOf(device: SmiDevice): { premise?: number } {
  return device.premise === undefined ? {} : { premise: device.premise };
}

function answerTo(rec: RequestRecord): AnswerTo {
  const srv = srvInfo(rec.srv);
  if (srv === undefined) throw new RangeError(`stored request ${rec.requestId} names unknown SRV ${rec.srv}`);
  return {
    requestId: { originator: rec.user, target: rec.target, counter: rec.counter },
    serviceReference: srv.serviceReference,
    serviceReferenceVariant: srv.srv,
  };
}

/** Whether the SRV's future-dated pattern is the DSP's: it holds the command, the device executes at once. */
function dspPattern(rec: RequestRecord): boolean {
  return srvInfo(rec.srv)?.futureDatedPattern === 'DSP';
}

/** A DSP-pattern request whose execution time is still ahead. */
function heldByDsp(rec: RequestRecord, now: number): boolean {
  return dspPattern(rec) && rec.executionMs !== undefined && rec.executionMs > now;
}

/**
 * A command in flight, as its answer names it: business originator (the answer's recipient), the device (the
 * answer's originator) and the originator counter (domain brief §9). A User's counters need only increase per
 * target, so the counter alone does not identify a command.
 */
function flightKey(originator: Eui64, device: Eui64, counter: bigint): string {
  return `${originator}/${device}/${counter}`;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

function alertCodeOf(parsed: ParsedGbcs): number {
  return alertCodeFromPayload(parsed) ?? parsed.message.header.messageCode;
}

/** Who receives a device alert: the User it is addressed to, else the device's registered supplier [A]. */
function alertRecipients(device: SmiDevice, recipient: Eui64, acb: Eui64): Eui64[] {
  if (recipient !== acb) return [recipient];
  return device.supplier === undefined ? [] : [device.supplier];
}
