// The DCC assembled (issue 5): the field (premises on a kernel), the CSP WAN route, the DSP pipeline, the push
// delivery of responses and alerts, all on one Store. Virtual time drives it in tests; `startRealTime()` hands the
// same kernel to a WallClockDriver for the live server (ARCHITECTURE principle 1). On first start it builds and
// installs the demo fleet; on later starts it restores the field from the Store and finishes what was in flight.
import type { KeyObject } from 'node:crypto';
import type { Eui64 } from '../codec/eui64.js';
import { FleetKeyStore } from '../crypto/fleet-keys.js';
import type { KeyStore } from '../crypto/keystore.js';
import { LayeredKeyStore } from '../crypto/layered-keys.js';
import { protectionContext, type ProtectionContext } from '../crypto/message-protection.js';
import { TestPki } from '../crypto/test-pki.js';
import { XmlSigningCredentials } from '../crypto/xmldsig-credentials.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { PREMISE_ACTORS } from '../premise/build.js';
import { Field } from '../premise/field.js';
import { PremiseRunner, type PremiseEvent } from '../premise/runner.js';
import { PpmidTunnelRoute, RouteChain, type TunnelChannel } from '../routes/ppmid-tunnel.js';
import type { TunnelUplink } from '../devices/types.js';
import { WanRoute } from '../routes/wan.js';
import { firmwareEnv, type FirmwareEnv } from '../firmware/images.js';
import { checkOtaLink, DEFAULT_OTA_LINK, otaLossSeed, type OtaLinkParams } from '../firmware/ota-timing.js';
import { wanSeed, type WanModelConfig } from '../routes/wan-model.js';
import { WallClockDriver, type WallClock } from '../sim/clock.js';
import { CachedStore } from '../store/cached.js';
import type { Store } from '../store/store.js';
import { DEFAULT_DSP_CONFIG, type DspConfig } from './config.js';
import { Delivery } from './delivery.js';
import type { Post } from './http-post.js';
import { Dsp, type DspClock, type SmkiRepository } from './dsp.js';
import type { SmiDeviceType } from './types.js';
import type { DeviceType } from '../crypto/test-pki-profile.js';
import { InlineGateway, WorkerGateway, type DuisGateway } from './gateway.js';
import { buildFleet, DEMO_USERS, registerFleet, type FleetPremise } from './fleet.js';
import type { Household } from '../premise/build.js';
import type { ChfState } from '../hub/chf-state.js';

export interface DccOptions {
  readonly store: Store;
  /** Cache Users, devices and counters in front of the store (default true; see store/cached.ts). */
  readonly cache?: boolean;
  /** Seed of the fleet's identities and keys (default 'smets-twin-demo'). */
  readonly fleetSeed?: string;
  /** Premises of the demo fleet, built on first start only (default 1). */
  readonly fleet?: number;
  /** How many of them start commissioned (default all). */
  readonly commissioned?: number;
  /** The demo fleet's demand and prices on each meter (issue 8); absent: no demand. */
  readonly household?: Household;
  /** Premise `i`'s devices and household when the premises differ (a scenario's fleet; fleet.ts). */
  readonly premiseOf?: (i: number) => FleetPremise;
  /** Receiver URL of the demo Users. */
  readonly receiverUrl?: string;
  /** Users' and the DSP's XML signing credentials; default: a seeded test PKI's. */
  readonly xmlCredentials?: XmlSigningCredentials;
  /** GBCS keys to put in front of the fleet's derived keys (e.g. DCC Boxed's keystore.json). */
  readonly gbcsKeys?: KeyStore;
  /** The DUIS XSD requests are validated against; absent: the DUIS request grammar only. */
  readonly schemaPath?: string;
  /** Worker threads for the DUIS gateway (request checks, response signatures); 0: on the DSP's thread (default). */
  readonly gatewayThreads?: number;
  readonly config?: Partial<DspConfig>;
  readonly policy?: Policy;
  /** One-way HAN delivery time per ZigBee hop, ms (default the runner's, 50) [A]. */
  readonly hanLatencyMs?: number;
  /** One-way WAN latency, ms: fixed (default 0 without `wan`; with it, replaces the model's distribution). */
  readonly wanLatencyMs?: number;
  /**
   * Premises (by id) whose PPMID has an alternative channel (SECMP0038): what the SM WAN cannot take goes through the
   * PPMID tunnel, accepted or refused by the CH under the policy's `ppmidTunnel` rule.
   */
  readonly ppmidChannels?: Readonly<Record<number, TunnelChannel>>;
  /** Premises out of WAN coverage (E20). */
  readonly uncovered?: readonly number[];
  /**
   * The CSP WAN model (routes/wan-model.ts: coverage, outages, latency distribution, store-and-retry), its draws
   * seeded from the fleet seed; absent: every premise covered, with the fixed `wanLatencyMs`.
   */
  readonly wan?: WanModelConfig;
  /** How pushes are sent (default real HTTP). */
  readonly post?: Post;
  /** Model time when the DCC opens (default 2026-01-01T00:00:00Z); the live server passes the wall clock. */
  readonly startMs?: number;
  readonly onNote?: (text: string) => void;
  /** Keep the devices' notes (runner.notes), for diagnosis (default false). */
  readonly recordNotes?: boolean;
  /** ZigBee OTA link parameters of every CH ↔ client transfer (default DEFAULT_OTA_LINK) [A]. */
  readonly ota?: OtaLinkParams;
  /** Rate of the CSP's firmware delivery to a CH (CS05), kbit/s (default routes/wan.ts DEFAULT_WAN_FIRMWARE_KBPS) [A]. */
  readonly wanFirmwareKbps?: number;
  /** Most firmware images the CSP delivers at once, fleet-wide (default unbounded: routes/wan.ts) [A]. */
  readonly wanFirmwareConcurrency?: number;
  /** Keep every message on the WAN, the HAN and the PPMID tunnel with its decoded form (runner.messages). */
  readonly recordMessages?: boolean;
  /**
   * Record the field's trace hash (default true: same seed and inputs, same trace). The live server turns it off: its
   * requests arrive by the wall clock, so there is no trace to reproduce, and each event then costs less.
   */
  readonly trace?: boolean;
}

/** Model time the demo fleet's installation is given to complete (CH power-up, CCS01s, joins). */
export const FLEET_INSTALL_MS = 10 * 60_000;

export class Dcc {
  readonly runner: PremiseRunner;
  readonly field: Field;
  readonly dsp: Dsp;
  readonly delivery: Delivery;
  readonly route: WanRoute;
  readonly config: DspConfig;
  readonly credentials: XmlSigningCredentials;
  readonly protection: ProtectionContext;
  readonly gateway: DuisGateway;
  /** The DUIS XSD requests are validated against; undefined: the DUIS request grammar only. */
  readonly schemaPath: string | undefined;
  /** Firmware images (held once) and the OTA link parameters, shared by the DSP and the actors (firmware/images.ts). */
  readonly firmware: FirmwareEnv;
  private driver: WallClockDriver<PremiseEvent> | undefined;
  /** What the CHFs send, through the WAN to the DSP. */
  private readonly uplink: (premise: number, bytes: Uint8Array, nowMs: number) => void;
  /** The PPMID tunnel (SECMP0038), when premises have PPMID channels. */
  readonly tunnel: PpmidTunnelRoute | undefined;
  private readonly tunnelUplink:
    ((premise: number, message: TunnelUplink, nowMs: number) => void) | undefined;
  private attached = false;
  private running: Promise<unknown> | undefined;

  private constructor(
    readonly store: Store,
    o: DccOptions,
    /** Model time the runner starts at. */
    startMs: number,
  ) {
    this.config = { ...DEFAULT_DSP_CONFIG, ...o.config };
    const fleetKeys = new FleetKeyStore(o.fleetSeed ?? 'smets-twin-demo');
    this.protection = protectionContext(
      o.gbcsKeys === undefined ? fleetKeys : new LayeredKeyStore([o.gbcsKeys, fleetKeys]),
      this.config.acb,
    );
    this.credentials = o.xmlCredentials ?? testCredentials(o.fleetSeed ?? 'smets-twin-demo', this.config.dsp);
    // A lossy link's draws come from the fleet seed unless the link names its own (ota-timing.ts).
    this.firmware = firmwareEnv(
      checkOtaLink({
        lossSeed: otaLossSeed(o.fleetSeed ?? 'smets-twin-demo'),
        ...(o.ota ?? DEFAULT_OTA_LINK),
      }),
    );
    const signer = this.credentials.signer(this.config.dsp);
    if (signer === undefined) throw new RangeError(`no XML signing key for the DSP ${this.config.dsp}`);
    this.runner = new PremiseRunner({
      seed: 1,
      env: { protection: this.protection, policy: o.policy ?? DEFAULT_POLICY, firmware: this.firmware },
      actors: PREMISE_ACTORS,
      startMs,
      recordNotes: o.recordNotes ?? false,
      recordMessages: o.recordMessages ?? false,
      ...(o.trace !== undefined && { trace: o.trace }),
      ...(o.hanLatencyMs !== undefined && { hanLatencyMs: o.hanLatencyMs }),
      onWan: (premise, bytes, now) => {
        if (this.attached) this.uplink(premise, bytes, now);
      },
      onTunnel: (premise, message, now) => {
        if (this.attached) this.tunnelUplink?.(premise, message, now);
      },
      onExternal: (key, now) => {
        if (key.startsWith('push:')) this.delivery.onTimer(key);
        else if (WanRoute.owns(key)) this.route.onTimer(key, now);
        else if (PpmidTunnelRoute.owns(key)) this.tunnel?.onTimer(key, now);
        else this.dsp.onTimer(key, now);
      },
    });
    this.field = new Field(this.runner);
    this.route = new WanRoute(this.field, {
      ...(o.wanLatencyMs !== undefined && { latencyMs: o.wanLatencyMs }),
      uncovered: new Set(o.uncovered ?? []),
      ...(o.wan !== undefined && { model: o.wan, seed: wanSeed(o.fleetSeed ?? 'smets-twin-demo') }),
      ...(o.onNote !== undefined && { onNote: o.onNote }),
      ...(o.wanFirmwareKbps !== undefined && { firmwareKbps: o.wanFirmwareKbps }),
      ...(o.wanFirmwareConcurrency !== undefined && { firmwareConcurrency: o.wanFirmwareConcurrency }),
    });
    this.uplink = this.route.uplink((p, b, t) => this.dsp.receive(p, b, t));
    // SECMP0038: where premises' PPMIDs have an alternative channel, the tunnel takes what the WAN cannot.
    const channels = o.ppmidChannels;
    this.tunnel =
      channels === undefined
        ? undefined
        : new PpmidTunnelRoute(this.field, {
            channelOf: (premise) => channels[premise],
            seed: `${o.fleetSeed ?? 'smets-twin-demo'}/ppmid-tunnel`,
          });
    this.tunnelUplink = this.tunnel?.uplink(
      (p, b, t) => this.dsp.receive(p, b, t),
      (p, b, reason, t) => this.dsp.routeFailed(p, b, reason, t),
    );
    const clock: DspClock = {
      now: () => this.field.now(),
      at: (atMs, key) => void this.field.at(atMs, { type: 'external', key }),
    };
    const delivery = new Delivery(
      store,
      clock,
      this.config,
      // Over HTTP, signing and pushing both happen on the gateway's threads; a given `post` runs here, after signing.
      o.post === undefined
        ? (url, xml) => this.gateway.deliver(url, xml)
        : async (url, xml) => o.post!(url, await this.gateway.sign(xml)),
      o.onNote,
    );
    this.delivery = delivery;
    this.schemaPath = o.schemaPath;
    const gatewayOptions = {
      certificates: this.credentials,
      signer,
      ...(o.schemaPath !== undefined && { schemaPath: o.schemaPath }),
      maxRequestBytes: this.config.maxRequestBytes,
    };
    this.gateway =
      (o.gatewayThreads ?? 0) > 0
        ? new WorkerGateway({
            ...gatewayOptions,
            credentials: this.credentials,
            dsp: this.config.dsp,
            threads: o.gatewayThreads!,
          })
        : new InlineGateway(gatewayOptions);
    this.dsp = new Dsp({
      config: this.config,
      store,
      gateway: this.gateway,
      protection: this.protection,
      route: this.tunnel === undefined ? this.route : new RouteChain([this.route, this.tunnel]),
      wan: this.route,
      clock,
      field: {
        dirtySnapshots: () => this.dirtySnapshots(),
        restoreDirty: (ids) => this.runner.markDirty(ids),
        holdsFirmware: (premise, requestId) =>
          this.runner
            .actor<ChfState>(premise, this.field.chfOf(premise))
            .ota?.images.some((i) => i.requestId === requestId) === true,
      },
      onOutbound: (id, message) => delivery.queued(id, message),
      smki: testSmki(o.fleetSeed ?? 'smets-twin-demo'),
      policy: o.policy ?? DEFAULT_POLICY,
      firmware: this.firmware,
      ...(o.onNote !== undefined && { onNote: o.onNote }),
    });
  }

  /** Opens the DCC on a store: restores the field, or builds, installs and registers the demo fleet. */
  static async open(o: DccOptions): Promise<Dcc> {
    // The DSP reads Users, devices and counters on every request: a cache in front of the Store (store/cached.ts).
    const store = o.cache === false ? o.store : new CachedStore(o.store);
    const snapshots = await store.loadPremises();
    const openAt = o.startMs ?? Date.UTC(2026, 0, 1);
    // A new fleet is installed in the FLEET_INSTALL_MS before the DCC opens, so model time is `startMs` when it does
    // (the live server's ResponseDateTimes then read as the wall clock).
    const dcc = new Dcc(store, o, snapshots.length > 0 ? openAt : openAt - FLEET_INSTALL_MS);
    if (snapshots.length > 0) {
      // The images the restored premises name by SHA-256 (stored with their 11.1 / 11.4 requests).
      for (const image of await store.loadFirmwareImages())
        if (dcc.firmware.images.put(image.bytes) !== image.key)
          throw new Error(`stored firmware image ${image.key} does not match its SHA-256`);
      for (const s of snapshots) dcc.runner.restore(s.id, s.state);
      dcc.attached = true;
      await dcc.dsp.recover();
      await dcc.delivery.recover();
      return dcc;
    }
    const fleetOptions = {
      premises: o.fleet ?? 1,
      fleetSeed: o.fleetSeed ?? 'smets-twin-demo',
      ...(o.commissioned !== undefined && { commissioned: o.commissioned }),
      ...(o.receiverUrl !== undefined && { receiverUrl: o.receiverUrl }),
      ...(o.household !== undefined && { household: o.household }),
      ...(o.premiseOf !== undefined && { premiseOf: o.premiseOf }),
    };
    const fleet = buildFleet(dcc.runner, fleetOptions);
    dcc.runner.kernel.run({ until: dcc.runner.kernel.now + FLEET_INSTALL_MS });
    dcc.attached = true;
    await dcc.store.transaction(async (tx) => {
      await registerFleet(tx, fleet, fleetOptions, dcc.runner.kernel.now);
      const used = (await tx.getCounter('acb')) ?? 0n;
      if (used < fleet.acbCountersUsed) await tx.setCounter('acb', fleet.acbCountersUsed);
      // Every premise, whatever it is doing: a restart restores the premises in order, so none may be missing.
      await tx.putPremises(dcc.runner.takeDirty().map((id) => ({ id, state: dcc.runner.snapshot(id) })));
    });
    return dcc;
  }

  /** Virtual time only: runs the field for `ms` of model time, letting the DSP and deliveries keep up. */
  async advance(ms: number): Promise<void> {
    if (this.driver !== undefined)
      throw new RangeError('advance() is for virtual time; the DCC runs in real time');
    const until = this.runner.kernel.now + ms;
    for (;;) {
      await this.settle();
      const next = this.runner.kernel.nextEventTime();
      if (next === undefined || next > until) break;
      this.runner.kernel.run({ until: next });
    }
    this.runner.kernel.run({ until });
    await this.settle();
  }

  /** Waits until the DSP and the deliveries have nothing left to do now. */
  async settle(): Promise<void> {
    await this.dsp.idle();
    await this.delivery.idle();
    await new Promise((r) => setImmediate(r));
    await this.dsp.idle();
    await this.delivery.idle();
  }

  /** Hands the kernel to the wall clock (the live server). */
  startRealTime(clock?: WallClock): void {
    if (this.driver !== undefined) return;
    this.driver = new WallClockDriver(this.runner.kernel, clock === undefined ? {} : { clock });
    this.field.driveWith(this.driver);
    this.running = this.driver.start();
  }

  /** Stops the clock and waits for in-flight work; the Store keeps everything needed to resume. */
  async close(): Promise<void> {
    this.driver?.stop();
    await this.running;
    await this.dsp.idle();
    await this.delivery.idle();
    await this.gateway.close();
    const snapshots = this.dirtySnapshots();
    if (snapshots.length > 0) await this.store.putPremises(snapshots);
  }

  /**
   * Snapshots of the changed premises that are between exchanges — nothing on its way to their actors, nothing
   * they sent still waiting for the DSP — so a restored premise has either not yet seen a command or has answered it
   * and that answer is stored. The others stay dirty for a later transaction.
   */
  private dirtySnapshots(): { id: number; state: Uint8Array }[] {
    const ready = (id: number) =>
      this.runner.quiet(id) &&
      !this.dsp.uplinksPending(id) &&
      !this.route.holding(id) &&
      this.tunnel?.holding(id) !== true;
    return this.runner.takeDirty(ready).map((id) => ({ id, state: this.runner.snapshot(id) }));
  }
}

/** XML signing credentials from a seeded test PKI: the demo Users (OU 0x87) and the DSP (OU 0x89). */
/**
 * The SMKI repository's device KA certificates, issued by a test PKI seeded from the fleet seed (cached per device).
 * The devices check that a join carries the certificate, not its key against their own [A], so the test PKI's keys
 * serve. Type 2 devices (IHD, CAD) hold none.
 */
export function testSmki(seed: string): SmkiRepository {
  const pki = new TestPki({ seed: `${seed}/smki`, notBefore: new Date(Date.UTC(2025, 0, 1)) });
  const issued = new Map<Eui64, Uint8Array>();
  const types: Partial<Record<SmiDeviceType, DeviceType>> = {
    ESME: 'esme',
    GSME: 'gsme',
    CHF: 'chf',
    GPF: 'gpf',
    HCALCS: 'hcalcs',
    PPMID: 'ppmid',
  };
  return {
    kaCertificate(device) {
      const deviceType = types[device.deviceType];
      if (deviceType === undefined) return undefined;
      let der = issued.get(device.deviceId);
      if (der === undefined) {
        der = pki.issueDeviceCertificate({ eui: device.deviceId, deviceType, usage: 'KA' }).certificate;
        issued.set(device.deviceId, der);
      }
      return der;
    },
  };
}

export function testCredentials(
  seed: string,
  dsp: Eui64,
  /** Further Users' EUI-64s to issue for (e.g. the QA environment's, src/triage/qa.ts). */
  extraUsers: readonly Eui64[] = [],
): XmlSigningCredentials {
  const pki = new TestPki({ seed: `${seed}/xml`, notBefore: new Date(Date.UTC(2025, 0, 1)) });
  const credentials = new XmlSigningCredentials();
  const issue = (eui: Eui64, role: number): KeyObject => {
    const c = pki.issueOrganisationCertificate({ eui, role, usage: 'DS' });
    credentials.add(c.certificate, { privateKey: c.privateKey, signer: true, source: `test PKI ${eui}` });
    return c.privateKey;
  };
  issue(dsp, 0x89);
  for (const user of DEMO_USERS) issue(user.eui, 0x87);
  for (const eui of extraUsers) issue(eui, 0x87);
  return credentials;
}
