// A firmware campaign (issue 7; SECMP0007): one image to the PPMIDs of a fleet through SR 11.4, end to end — signed
// DUIS into the DSP, the CSP's delivery to each CH over the WAN route, the ZigBee OTA transfer on each HAN in block
// runs, activation, CCS08 and CS09 back to the suppliers — in virtual time. Reused by the campaign test (over HTTP)
// and the scenario kind `ppmid-firmware-campaign`.
import { buildDuisRequest } from '../codec/duis/request.js';
import { formatBase64 } from '../codec/duis/common.js';
import { parseDuisResponse } from '../codec/duis/response.js';
import { srvInfo } from '../codec/duis/srv.js';
import { eui64Hyphenated, type Eui64 } from '../codec/eui64.js';
import { parseGbcs } from '../codec/gbcs/frame.js';
import { encodeOtaImage, otaHeaderString } from '../codec/ota/image.js';
import { parseXml } from '../codec/xml/parse.js';
import { serializeXml } from '../codec/xml/serialize.js';
import { signDuis } from '../crypto/xmldsig.js';
import { Dcc } from '../dcc/dcc.js';
import { FIRST_PREMISE_NUMBER } from '../dcc/fleet.js';
import type { SubmitOutcome } from '../dcc/dsp.js';
import {
  ALERT_PPMID_FIRMWARE_ACTIVATED,
  CS09_FIRMWARE_ACTIVATION_ALERT,
  type PpmidState,
} from '../devices/ppmid.js';
import { ALERT_FIRMWARE_TRANSFER_FAILURE } from '../hub/chf-ota.js';
import type { ChfState } from '../hub/chf-state.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { TEST_PARTIES } from '../premise/build.js';
import { premiseEui } from '../premise/identities.js';
import type { Coverage, WanModelConfig } from '../routes/wan-model.js';
import { openStore } from '../store/open.js';
import { DEFAULT_OTA_LINK, type OtaLinkParams } from './ota-timing.js';

/** Most devices one DeviceIDList holds: the XSD's maxLength 1,199,999 characters, 24 per EUI (with its comma). */
export const MAX_DEVICE_ID_LIST = Math.floor((1_199_999 + 1) / 24);

export interface CampaignOptions {
  /** Premises (each with a PPMID); default 1,000. */
  readonly premises?: number;
  /** Image size, kB of 1,000 octets (default 700). */
  readonly imageKb?: number;
  readonly link?: OtaLinkParams;
  /** CSP delivery rate of the image to each CH, kbit/s [A]. */
  readonly wanFirmwareKbps?: number;
  /** Most images the CSP delivers at once, fleet-wide (default unbounded) [A]. */
  readonly wanFirmwareConcurrency?: number;
  /** The CSP WAN model (coverage, outages, hold limit); absent: every premise covered, no latency. */
  readonly wan?: WanModelConfig;
  readonly policy?: Policy;
  readonly fleetSeed?: string;
  /** An open DCC to run on (the test's HTTP harness); default: one opened in memory and closed at the end. */
  readonly dcc?: Dcc;
  /** How a signed request reaches the DSP (default dcc.dsp.submit on service D). */
  readonly submit?: (xml: string) => Promise<SubmitOutcome | { code: string }>;
  /** Longest the campaign may run, model hours (default 72). */
  readonly maxHours?: number;
  /** Model time the DCC opens and the campaign starts (UTC ms; default the DCC's). */
  readonly startMs?: number;
  /** Told of progress: devices activated of those targeted. */
  readonly progress?: (done: number, total: number) => void;
  /** Before the run: e.g. consumer choices injected at PPMIDs. */
  readonly prepare?: (dcc: Dcc) => void;
  /** While it runs, at model time `atMs` after the request: e.g. a hub power cycle. */
  readonly during?: { readonly afterMs: number; readonly act: (dcc: Dcc) => void }[];
  /** The supplier sending the requests (default the demo supplier) and its first RequestID counter. */
  readonly supplier?: Eui64;
  readonly firstCounter?: bigint;
  /**
   * What the DSP has pushed to the Users' receiver so far, in order, as DUIS XML: how the campaign learns when each
   * PPMID's CS09 (or its CH's CCS08 0x8F89) reached a supplier. Required with `dcc` (e.g. the HTTP harness's
   * receiver); the campaign's own DCC records its pushes itself.
   */
  readonly pushes?: () => readonly string[];
}

/** Receiver of the Users of the campaign's own DCC: its pushes are taken by `post`, never sent anywhere. */
const OWN_RECEIVER_URL = 'http://receiver.invalid/duis';

export interface DeviceOutcome {
  readonly premise: number;
  readonly ppmid: Eui64;
  /**
   * Image at the CH → Upgrade End Request at the CH (ms): the HAN transfer with its handshakes; null unless the
   * transfer completed (the CH's status 'transferred': not a refusal's or an abort's Upgrade End Request).
   */
  readonly transferMs: number | null;
  /** Upgrade End Request → activation at the PPMID (ms); null unless the transfer completed. */
  readonly activationMs: number | null;
  /** Request → the PPMID's CS09 at a supplier (ms): the DSP's push of it; null when none reached one. */
  readonly cs09AtSupplierMs: number | null;
  readonly activated: boolean;
  /** The consumer refused the update (policy firmwareConsumerRefusal 'allowed'; SECMP0007). */
  readonly refused: boolean;
  readonly firmwareVersion: number;
  readonly interruptions: number;
  /** The CSP could not deliver the image to the premise's CH (no coverage, beyond the hold limit): N61. */
  readonly unreachable: boolean;
  /** Request → image at the CH (ms): the CSP's queue, the premise's connection window and the WAN transfer. */
  readonly imageAtChMs: number | null;
  /** Block requests the PPMID re-sent after a lost Image Block Response (ota-timing.ts); 0 unless transferred. */
  readonly lostAttempts: number;
  /** The premise's SM WAN coverage. */
  readonly coverage: Coverage;
}

export interface CampaignResult {
  readonly devices: readonly DeviceOutcome[];
  /**
   * Request → the last CS09 at a supplier, ms (the campaign's end as the suppliers see it: an intermittent premise's
   * CS09 waits for its connection window); null when no CS09 reached a supplier (every request refused, say).
   */
  readonly campaignMs: number | null;
  /** Request → the last activation at a PPMID, ms; null when no PPMID activated in this campaign. */
  readonly lastActivationMs: number | null;
  readonly responseCodes: readonly string[];
  readonly activationFailures: number;
  readonly imageOctets: number;
  readonly fileVersion: number;
  /** Kernel events dispatched. */
  readonly events: number;
}

/** A ZigBee OTA file of `octets` in total (PPMID image type 0x0084 as in the 11.4 template [O]), deterministic. */
export function campaignImage(octets: number, fileVersion: number): Uint8Array {
  return testOtaImage(octets, fileVersion, 0x0084, false);
}

/**
 * A deterministic ZigBee OTA file of `octets` in total. `signed`: the body ends with the manufacturer signature tag
 * 0x0040 ‖ 64 octets, as the ESME / CH images of the 11.1 template do (domain brief §4.5) [O]; the signature octets
 * are a fixed filler [A: nobody checks them in the twin].
 */
export function testOtaImage(
  octets: number,
  fileVersion: number,
  imageType: number,
  signed: boolean,
): Uint8Array {
  const header = {
    manufacturerCode: 0x1234,
    imageType,
    fileVersion,
    zigbeeStackVersion: 0x0002,
    headerString: otaHeaderString('smets-twin campaign image'),
    minimumHardwareVersion: 0x0000,
    maximumHardwareVersion: 0xffff,
  };
  const payload = new Uint8Array(Math.max(signed ? 66 : 0, octets - 60));
  const end = signed ? payload.length - 66 : payload.length;
  for (let i = 0, x = 0x2545f491; i < end; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    payload[i] = x & 0xff;
  }
  if (signed) {
    payload[end] = 0x00;
    payload[end + 1] = 0x40;
    payload.fill(0x5a, end + 2);
  }
  return encodeOtaImage({ header, elements: [], payload });
}

export async function runFirmwareCampaign(o: CampaignOptions = {}): Promise<CampaignResult> {
  const premises = o.premises ?? 1000;
  const fleetSeed = o.fleetSeed ?? 'smets-twin-demo';
  const own = o.dcc === undefined;
  if (!own && o.pushes === undefined)
    throw new RangeError('runFirmwareCampaign: with a DCC given, `pushes` must say what its Users received');
  const store = own ? await openStore(':memory:') : undefined;
  const ownPushes: string[] = [];
  const pushes = o.pushes ?? (() => ownPushes);
  const dcc =
    o.dcc ??
    (await Dcc.open({
      store: store!,
      fleet: premises,
      fleetSeed,
      policy: o.policy ?? DEFAULT_POLICY,
      ota: o.link ?? DEFAULT_OTA_LINK,
      ...(o.startMs !== undefined && { startMs: o.startMs }),
      ...(o.wanFirmwareKbps !== undefined && { wanFirmwareKbps: o.wanFirmwareKbps }),
      ...(o.wanFirmwareConcurrency !== undefined && { wanFirmwareConcurrency: o.wanFirmwareConcurrency }),
      ...(o.wan !== undefined && { wan: o.wan }),
      receiverUrl: OWN_RECEIVER_URL,
      post: (_url, xml) => {
        ownPushes.push(xml);
        return Promise.resolve(200);
      },
    }));
  try {
    o.prepare?.(dcc);
    const fileVersion = 0x00000200;
    const image = campaignImage(Math.round((o.imageKb ?? 700) * 1000), fileVersion);
    const ppmids = Array.from({ length: premises }, (_, i) => premiseEui(FIRST_PREMISE_NUMBER + i, 'PPMID'));
    const supplier = o.supplier ?? TEST_PARTIES.supplier!;
    const submit = o.submit ?? ((xml: string) => dcc.dsp.submit('D', xml));
    const startMs = dcc.field.now();
    const codes: string[] = [];
    let counter = o.firstCounter ?? 1_000_000n;
    // DeviceIDList as large as the XSD allows; several requests when the fleet is larger.
    for (let i = 0; i < ppmids.length; i += MAX_DEVICE_ID_LIST) {
      const xml = updatePpmidFirmwareRequest(
        dcc,
        supplier,
        counter++,
        image,
        ppmids.slice(i, i + MAX_DEVICE_ID_LIST),
      );
      const outcome = await submit(xml);
      codes.push('code' in outcome ? outcome.code : outcome.kind);
    }
    // Every request refused (e.g. the image over the policy's limit): nothing will move, nothing to wait for.
    const allRefused = codes.every((c) => c.startsWith('E'));
    const during = allRefused ? [] : [...(o.during ?? [])].sort((a, b) => a.afterMs - b.afterMs);
    const limit = startMs + (o.maxHours ?? 72) * 3_600_000;
    const activated = () =>
      ppmids.filter((p, i) => dcc.runner.actor<PpmidState>(i, p).otaDownload?.activatedMs !== undefined)
        .length;
    const undelivered = dcc.dsp.firmware?.undelivered;
    // What the suppliers heard, from the DSP's pushes since the request: each PPMID's first CS09 and CCS08 0x8F89.
    const targeted = new Set<string>(ppmids);
    const cs09At = new Map<string, number>();
    const failedAt = new Map<string, number>();
    let seen = pushes().length;
    const hear = () => {
      const all = pushes();
      for (; seen < all.length; seen++) {
        const heard = firmwareOutcomePushed(all[seen]!);
        if (heard === undefined || !targeted.has(heard.ppmid) || heard.atMs < startMs) continue;
        const into = heard.kind === 'cs09' ? cs09At : failedAt;
        if (!into.has(heard.ppmid)) into.set(heard.ppmid, heard.atMs);
      }
    };
    // Settled when the suppliers know each PPMID's outcome (CS09, or the CH's CCS08 0x8F89 for a refused or discarded
    // image), the PPMID was told ABORT (nothing more will come), or the CSP could not deliver (N61); bounded by the
    // run's limit (a CS09 the WAN loses never arrives).
    const settled = () =>
      ppmids.every((p, i) => {
        const d = dcc.runner.actor<PpmidState>(i, p).otaDownload;
        return cs09At.has(p) || failedAt.has(p) || d?.status === 'aborted' || undelivered?.has(p) === true;
      });
    const step = 10 * 60_000;
    while (!allRefused && dcc.field.now() < limit) {
      const next = during[0];
      const until =
        next !== undefined
          ? Math.min(startMs + next.afterMs, dcc.field.now() + step)
          : dcc.field.now() + step;
      await dcc.advance(until - dcc.field.now());
      if (next !== undefined && dcc.field.now() >= startMs + next.afterMs) {
        during.shift();
        next.act(dcc);
      }
      o.progress?.(activated(), ppmids.length);
      hear();
      if (during.length === 0 && settled() && codes.length > 0) break;
    }
    hear();
    const devices = ppmids.map((ppmid, i): DeviceOutcome => {
      const p = dcc.runner.actor<PpmidState>(i, ppmid);
      const chf = dcc.runner.actor<ChfState>(i, dcc.field.chfOf(i));
      const t = chf.ota?.transfers.find((x) => x.client === ppmid);
      const img = chf.ota?.images.find((x) => x.requestId === t?.requestId);
      const d = p.otaDownload;
      // Only a completed transfer has a transfer time: a refusal's or an abort's Upgrade End Request also sets doneMs.
      const done = t?.status === 'transferred' && t.doneMs !== undefined ? t.doneMs : undefined;
      const cs09 = cs09At.get(ppmid);
      return {
        premise: i,
        ppmid,
        transferMs: done !== undefined && img !== undefined ? done - img.receivedMs : null,
        activationMs: d?.activatedMs !== undefined && done !== undefined ? d.activatedMs - done : null,
        cs09AtSupplierMs: cs09 === undefined ? null : cs09 - startMs,
        activated: p.firmwareVersion === fileVersion,
        refused: d?.status === 'refused',
        firmwareVersion: p.firmwareVersion,
        interruptions: t?.interruptions ?? 0,
        unreachable: undelivered?.has(ppmid) === true,
        imageAtChMs: img === undefined ? null : img.receivedMs - startMs,
        lostAttempts: done === undefined ? 0 : (t?.lostAttempts ?? 0),
        coverage: dcc.route.coverage(i),
      };
    });
    const activations = ppmids.flatMap((p, i) => {
      const at = dcc.runner.actor<PpmidState>(i, p).otaDownload?.activatedMs;
      return at === undefined || at < startMs ? [] : [at];
    });
    const heard = [...cs09At.values()];
    return {
      devices,
      campaignMs: heard.length === 0 ? null : Math.max(...heard) - startMs,
      lastActivationMs: activations.length === 0 ? null : Math.max(...activations) - startMs,
      responseCodes: codes,
      activationFailures: devices.filter((d) => d.activationMs !== null && !d.activated).length,
      imageOctets: image.length,
      fileVersion,
      events: dcc.runner.kernel.dispatched,
    };
  } finally {
    if (own) {
      await dcc.close();
      await store!.close();
    }
  }
}

/**
 * A push about a PPMID's firmware, as its supplier receives it: a DeviceAlertMessage carrying the PPMID's CS09
 * (0x8F8B), or its CH's CCS08 failure 0x8F89 naming it; when the DSP raised it (ResponseDateTime). Undefined otherwise.
 */
export function firmwareOutcomePushed(
  xml: string,
): { kind: 'cs09' | 'ccs08-failure'; ppmid: Eui64; atMs: number } | undefined {
  const response = parseDuisResponse(parseXml(xml));
  const body = response.body;
  if (body?.kind !== 'DeviceAlertMessage') return undefined;
  if (body.alertCode !== ALERT_PPMID_FIRMWARE_ACTIVATED && body.alertCode !== ALERT_FIRMWARE_TRANSFER_FAILURE)
    return undefined;
  const message = parseGbcs(body.gbcsPayload).message;
  const atMs = Date.parse(response.header.responseDateTime);
  if (message.header.messageCode === CS09_FIRMWARE_ACTIVATION_ALERT)
    return { kind: 'cs09', ppmid: message.header.originator, atMs };
  const p = message.payload;
  const entity = p.kind === 'asn1' ? (p.asn1.view as { entityId?: Eui64 }).entityId : undefined;
  return entity === undefined ? undefined : { kind: 'ccs08-failure', ppmid: entity, atMs };
}

/** An SR 11.4 request (CV 8, to the DSP) signed with the supplier's XML key. */
export function updatePpmidFirmwareRequest(
  dcc: Dcc,
  supplier: Eui64,
  counter: bigint,
  image: Uint8Array,
  devices: readonly Eui64[],
  firmwareVersion = '00000200',
): string {
  return firmwareUpdateRequest('11.4', dcc, supplier, counter, image, devices, firmwareVersion);
}

/** An SR 11.1 Update Firmware or 11.4 Update PPMID Firmware request (CV 8, to the DSP), signed by the supplier. */
export function firmwareUpdateRequest(
  srv: '11.1' | '11.4',
  dcc: Dcc,
  supplier: Eui64,
  counter: bigint,
  image: Uint8Array,
  devices: readonly Eui64[],
  firmwareVersion: string,
): string {
  const info = srvInfo(srv)!;
  const doc = buildDuisRequest({
    schemaVersion: '5.4',
    header: {
      requestId: { originator: supplier, target: dcc.config.dsp, counter },
      commandVariant: 8,
      serviceReference: info.serviceReference,
      serviceReferenceVariant: info.srv,
    },
    body: {
      element: info.bodyElement,
      children: [
        { name: 'FirmwareImage', text: formatBase64(image) },
        { name: 'FirmwareVersion', text: firmwareVersion },
        { name: 'DeviceIDList', text: devices.map(eui64Hyphenated).join(',') },
      ],
    },
  });
  const signer = dcc.credentials.signer(supplier);
  if (signer === undefined) throw new RangeError(`no XML signing key for ${supplier}`);
  return serializeXml(signDuis(doc, signer));
}
