// The DSP's firmware services (SECMP0007; issue 7 item 3): SR 11.4 Update PPMID Firmware and SR 11.1 Update Firmware
// are non-device requests (CV 8). The DSP checks the image (a ZigBee OTA file within the policy's size limit), sorts
// the DeviceIDList into the devices it will serve and the DSPUpdate(PPMID)FirmwareWarning lists, and has the CSP
// deliver the image to each premise's CH (CS05, route.distribute). What comes back — CCS08 from the CH, CS09 from the
// PPMID — goes to every supplier linked to the PPMID and updates the inventory's firmware version.
import { updateFirmware, updatePpmidFirmware, type FirmwareUpdateBody } from '../codec/duis/bodies.js';
import type { DuisRequest } from '../codec/duis/request.js';
import type { ResponseCode } from '../codec/duis/response-codes.js';
import type { ResponsePayload } from '../codec/duis/response.js';
import type { DuisBodyElement } from '../codec/duis/tree.js';
import { DecodeError } from '../codec/bytes.js';
import { eui64Hyphenated, type Eui64 } from '../codec/eui64.js';
import type { ParsedGbcs } from '../codec/gbcs/frame.js';
import type { FirmwareDistribution } from '../devices/types.js';
import { otaHeaderOf, type FirmwareEnv } from '../firmware/images.js';
import type { Policy } from '../policy.js';
import type { DeliveryRoute } from '../routes/route.js';
import type { FirmwareTrackingRecord, Store, StoreOps } from '../store/store.js';
import {
  ALERT_FIRMWARE_VERIFIED,
  FIRMWARE_RECEIPT_ALERT_DLMS,
  FIRMWARE_RECEIPT_ALERT_GBZ,
} from '../devices/firmware-receipt.js';
import type { DccUser, SmiDevice, SmiDeviceType } from './types.js';

/** The SRVs and what each serves. */
const SERVED: Readonly<Record<'11.1' | '11.4', { types: readonly SmiDeviceType[]; warning: string }>> = {
  '11.4': { types: ['PPMID'], warning: 'DSPUpdatePPMIDFirmwareWarning' },
  // 11.1: the ESME, GSME (at its wake-ups) and HCALCS take the image by ZigBee OTA from the CH (CS05b); the CH holds
  // its own (CS05a). Each then waits for CS06 (11.3).
  '11.1': { types: ['ESME', 'GSME', 'CHF', 'HCALCS'], warning: 'DSPUpdateFirmwareWarning' },
};

/**
 * The response code of a refused image [A]: the DUIS table of meanings was not available (response-codes.ts); the
 * six-digit codes carry the SR in their digits, so E110401 / E110101 — the first 11.4 / 11.1 codes — are the
 * SR-specific validation failures the schema offers. The reason (image over the policy limit, not an OTA file) goes
 * with it in the DSP's log.
 */
const IMAGE_REFUSED: Readonly<Record<'11.1' | '11.4', ResponseCode>> = {
  '11.1': 'E110101',
  '11.4': 'E110401',
};
/** A partly accepted request: the schema's warning codes W110101 / W110401 with the warning body [A]. */
const PARTLY: Readonly<Record<'11.1' | '11.4', ResponseCode>> = { '11.1': 'W110101', '11.4': 'W110401' };

export type FirmwarePlan =
  | { readonly kind: 'refused'; readonly code: ResponseCode; readonly reason: string }
  | {
      readonly kind: 'ok';
      readonly code: ResponseCode;
      readonly payload: ResponsePayload | null;
      /** One distribution per premise, with the devices it is for. */
      readonly distributions: readonly { premise: number; distribution: FirmwareDistribution }[];
      readonly accepted: readonly SmiDevice[];
      /** The image, stored once by its key with the request (write). */
      readonly image: { readonly key: string; readonly bytes: Uint8Array };
      /** What the DSP tracks for each accepted device, from the request's transaction on. */
      readonly tracking: readonly FirmwareChange[];
    };

/** An image on its way to a device, as the DSP tracks it: stored with the request (Store firmware_tracking). */
export type Tracked = FirmwareTrackingRecord;

/** A device's tracking record as a DSP step leaves it (null: no longer tracked). */
export interface FirmwareChange {
  readonly device: Eui64;
  readonly record: FirmwareTrackingRecord | null;
}

/** A premise whose image the CSP could not deliver: its devices get N61. */
export interface FirmwareDeliveryFailure {
  readonly premise: number;
  readonly reason: string;
  readonly notices: readonly FirmwareDeliveryNotice[];
  readonly changes: readonly FirmwareChange[];
}

/**
 * The DSP's view of the distributions in progress. Each DSP step computes its FirmwareChanges, writes them in its own
 * transaction (`write`) and, once that is applied, updates these maps (`applied`); `load` rebuilds them after a restart.
 */
export class DspFirmware {
  /** Device → the distribution it is in (state 'tracked'). */
  readonly tracked = new Map<Eui64, Tracked>();
  /** Devices whose image the CSP could not deliver (N61), with the reason. */
  readonly undelivered = new Map<Eui64, string>();
  /** Devices whose deadline passed before they confirmed (N61): a later receipt alert is only logged. */
  readonly expired = new Map<Eui64, Tracked>();

  constructor(
    private readonly store: Store,
    private readonly firmware: FirmwareEnv,
    private readonly policy: Policy,
    /** How long the DSP waits for a device to confirm its image (config firmwareDeliveryTimeoutMs) [A]. */
    private readonly timeoutMs: number,
  ) {}

  /** Writes the changes in the step's transaction. */
  async write(tx: StoreOps, changes: readonly FirmwareChange[]): Promise<void> {
    const records = changes.flatMap((c) => (c.record === null ? [] : [c.record]));
    await tx.putFirmwareTracking(records);
    await tx.deleteFirmwareTracking(changes.filter((c) => c.record === null).map((c) => c.device));
  }

  /** The step's transaction is applied: the maps follow it. */
  applied(changes: readonly FirmwareChange[]): void {
    for (const { device, record } of changes) {
      this.tracked.delete(device);
      this.undelivered.delete(device);
      this.expired.delete(device);
      if (record?.state === 'tracked') this.tracked.set(device, record);
      else if (record?.state === 'undelivered') this.undelivered.set(device, record.reason ?? '');
      else if (record?.state === 'expired') this.expired.set(device, record);
    }
  }

  /** After a restart: the maps from the Store. */
  async load(): Promise<readonly Tracked[]> {
    const records = await this.store.loadFirmwareTracking();
    this.applied(records.map((record) => ({ device: record.device, record })));
    return records;
  }

  /** Plans an 11.1 / 11.4: nothing is stored, sent or tracked until the caller applies it. */
  async plan(
    req: DuisRequest,
    srv: '11.1' | '11.4',
    user: DccUser,
    requestId: string,
    nowMs: number,
  ): Promise<FirmwarePlan> {
    const body: FirmwareUpdateBody = (srv === '11.4' ? updatePpmidFirmware : updateFirmware).decode(req.body);
    const image = body.firmwareImage;
    const limit = this.policy.firmwareImageLimitKb * 1000;
    // SECMP0007 [S]: images are limited to 750 kB (policy firmwareImageLimitKb).
    if (image.length > limit)
      return {
        kind: 'refused',
        code: IMAGE_REFUSED[srv],
        reason: `image of ${image.length} octets exceeds the limit of ${limit} (policy firmwareImageLimitKb)`,
      };
    let header;
    try {
      header = otaHeaderOf(image);
    } catch (e) {
      if (e instanceof DecodeError)
        return { kind: 'refused', code: IMAGE_REFUSED[srv], reason: `not a ZigBee OTA image: ${e.message}` };
      throw e;
    }
    const lists: Record<string, Eui64[]> = {
      InvalidDeviceIDList: [],
      NotCommissionedDeviceIDList: [],
      NotApplicableFirmwareDeviceIDList: [],
      OtherRequestInProgressList: [],
    };
    const accepted: SmiDevice[] = [];
    const premiseCache = new Map<number, SmiDevice[]>();
    for (const id of new Set(body.deviceIdList)) {
      const device = await this.store.getDevice(id);
      if (device === undefined) lists['InvalidDeviceIDList']!.push(id);
      else if (!SERVED[srv].types.includes(device.deviceType) || device.premise === undefined)
        lists['NotApplicableFirmwareDeviceIDList']!.push(id);
      else if (device.status !== 'Commissioned') lists['NotCommissionedDeviceIDList']!.push(id);
      else if (!(await this.authorised(user, device, premiseCache))) lists['InvalidDeviceIDList']!.push(id);
      else if (this.tracked.has(id)) lists['OtherRequestInProgressList']!.push(id);
      else accepted.push(device);
    }
    const key = this.firmware.images.put(image);
    const byPremise = new Map<number, Eui64[]>();
    for (const d of accepted) byPremise.set(d.premise!, [...(byPremise.get(d.premise!) ?? []), d.deviceId]);
    const distributions = [...byPremise].map(([premise, targets]) => ({
      premise,
      distribution: {
        requestId,
        image: key,
        size: image.length,
        manufacturerCode: header.manufacturerCode,
        imageType: header.imageType,
        fileVersion: header.fileVersion,
        targets,
        activation: srv === '11.4' ? ('on-transfer' as const) : ('on-command' as const),
      },
    }));
    const warned = Object.entries(lists).filter(([, ids]) => ids.length > 0);
    const payload: ResponsePayload | null =
      warned.length === 0
        ? null
        : {
            kind: SERVED[srv].warning as 'DSPUpdatePPMIDFirmwareWarning',
            tree: {
              name: SERVED[srv].warning,
              children: warned.map(([name, ids]): DuisBodyElement => ({
                name,
                text: ids.map(eui64Hyphenated).join(','),
              })),
            },
          };
    const deadlineMs = nowMs + this.timeoutMs;
    const tracking = distributions.flatMap(({ premise, distribution }) =>
      distribution.targets.map((id): FirmwareChange => {
        const d = accepted.find((x) => x.deviceId === id)!;
        const record: Tracked = {
          device: id,
          requestId,
          user: user.eui,
          srv,
          firmwareVersion: body.firmwareVersion,
          state: 'tracked',
          premise,
          chf: d.chf ?? d.deviceId,
          deadlineMs,
          distribution,
        };
        return { device: id, record };
      }),
    );
    return {
      kind: 'ok',
      code: warned.length === 0 ? 'I99' : PARTLY[srv],
      payload,
      distributions,
      accepted,
      image: { key, bytes: image },
      tracking,
    };
  }

  /**
   * Hands each distribution to the route; the premises it cannot reach, with the N61s and changes their devices get.
   * `onChDelivery`: the CSP's delivery of a CH's own image (CS05a) will reach it at `atMs`.
   */
  dispatch(
    route: DeliveryRoute,
    distributions: readonly { premise: number; distribution: FirmwareDistribution }[],
    nowMs: number,
    onChDelivery: (chf: Eui64, atMs: number) => void = () => undefined,
  ): FirmwareDeliveryFailure[] {
    const failed: FirmwareDeliveryFailure[] = [];
    for (const { premise, distribution } of distributions) {
      const outcome =
        route.distribute === undefined
          ? { kind: 'unreachable' as const, reason: `route ${route.name} carries no firmware` }
          : route.distribute(premise, distribution, nowMs);
      const records = distribution.targets.flatMap((t) => {
        const r = this.tracked.get(t);
        return r?.requestId === distribution.requestId ? [r] : [];
      });
      if (outcome.kind === 'unreachable')
        failed.push({
          premise,
          reason: outcome.reason,
          notices: records.map((r) => ({ code: 'N61', tracked: r, chf: r.chf, device: r.device })),
          changes: records.map((r) => ({
            device: r.device,
            record: { ...r, state: 'undelivered', reason: outcome.reason },
          })),
        });
      else for (const r of records) if (r.chf === r.device) onChDelivery(r.device, outcome.atMs);
    }
    return failed;
  }

  /**
   * After a restart: the distributions still tracked whose image their CH does not hold (the CSP's delivery was on
   * its way when the process stopped, and the premise's stored snapshot predates it) — to hand to the CSP again —
   * and the CHs that hold their own tracked image (CS05a delivered, N60 not yet sent).
   */
  resumable(holds: (premise: number, requestId: string) => boolean): {
    redeliver: { premise: number; distribution: FirmwareDistribution }[];
    chDelivered: Eui64[];
  } {
    const redeliver = new Map<string, { premise: number; distribution: FirmwareDistribution }>();
    const chDelivered: Eui64[] = [];
    for (const r of this.tracked.values()) {
      if (holds(r.premise, r.requestId)) {
        if (r.chf === r.device && r.srv === '11.1') chDelivered.push(r.device);
        continue;
      }
      const key = `${r.premise}/${r.requestId}`;
      if (!redeliver.has(key)) redeliver.set(key, { premise: r.premise, distribution: r.distribution });
    }
    return { redeliver: [...redeliver.values()], chDelivered };
  }

  /** The deadlines to arm: the latest per request (its devices share one). */
  deadlines(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.tracked.values())
      out.set(r.requestId, Math.max(out.get(r.requestId) ?? 0, r.deadlineMs));
    return out;
  }

  /**
   * A request's deadline fell due: every device of it still tracked whose deadline has passed gets N61 and is tracked
   * no longer ('expired') [A: the DSP gives up after firmwareDeliveryTimeoutMs; the SEC's figure is not public].
   */
  expire(requestId: string, nowMs: number): { notices: FirmwareDeliveryNotice[]; changes: FirmwareChange[] } {
    const due = [...this.tracked.values()].filter((r) => r.requestId === requestId && r.deadlineMs <= nowMs);
    return {
      notices: due.map((r) => ({ code: 'N61', tracked: r, chf: r.chf, device: r.device })),
      changes: due.map((r) => ({
        device: r.device,
        record: {
          ...r,
          state: 'expired',
          reason: `not confirmed by ${new Date(r.deadlineMs).toISOString()}`,
        },
      })),
    };
  }

  /**
   * Who may update a device's firmware: its registered supplier, or — for a PPMID shared by several suppliers
   * (SECMP0007 [S]) — the registered supplier of any meter at its premise [A].
   */
  private async authorised(
    user: DccUser,
    device: SmiDevice,
    cache: Map<number, SmiDevice[]>,
  ): Promise<boolean> {
    return (await this.suppliersOf(device, cache)).includes(user.eui);
  }

  /** The suppliers linked to a device: its own, and for a PPMID those of the meters at its premise. */
  async suppliersOf(device: SmiDevice, cache = new Map<number, SmiDevice[]>()): Promise<Eui64[]> {
    const out = new Set<Eui64>();
    if (device.supplier !== undefined) out.add(device.supplier);
    if (device.deviceType === 'PPMID' && device.premise !== undefined) {
      let at = cache.get(device.premise);
      if (at === undefined) {
        at = await this.store.findDevices({ premise: device.premise });
        cache.set(device.premise, at);
      }
      for (const d of at)
        if ((d.deviceType === 'ESME' || d.deviceType === 'GSME') && d.supplier !== undefined)
          out.add(d.supplier);
    }
    return [...out];
  }

  /**
   * The CSP delivered the CH's own image (CS05a, SR 11.1): DCC alert N60 to the requester [A: the CSP confirms the
   * delivery when the image reaches the CH; nothing crosses the HAN]. Undefined when nothing is tracked for it.
   */
  chDelivered(chf: Eui64): { notice: FirmwareDeliveryNotice; changes: FirmwareChange[] } | undefined {
    const t = this.tracked.get(chf);
    if (t?.srv !== '11.1') return undefined;
    return {
      notice: { code: 'N60', tracked: t, chf, device: chf },
      changes: [{ device: chf, record: null }],
    };
  }

  /**
   * What an alert about firmware means for the inventory and who receives it: CCS08 (from the CH, about the device it
   * names) and CS09 (from the PPMID) go to every supplier linked to the PPMID; the Firmware Distribution Receipt Alert
   * (0x00CE / 0x00CF, GBCS 11.1) of a device in an 11.1 distribution gives its requester DCC alert N60 (0x8F72:
   * received and verified) or N61 (0x8F1C: verification failed [A]). A receipt alert after the device's deadline (its
   * N61 sent) is pushed to its Users as any device alert and logged (`late`), with no N60 [A]. Undefined for any other
   * alert. `changes`: what the alert does to the tracking (write them with `apply`'s transaction, then `applied`).
   */
  async onAlert(
    device: SmiDevice,
    parsed: ParsedGbcs,
    nowMs: number,
  ): Promise<
    | {
        recipients: Eui64[] | undefined;
        apply: (tx: StoreOps) => Promise<void>;
        changes: FirmwareChange[];
        notice?: FirmwareDeliveryNotice;
        late?: Tracked;
      }
    | undefined
  > {
    const code = parsed.message.header.messageCode;
    if (code === FIRMWARE_RECEIPT_ALERT_DLMS || code === FIRMWARE_RECEIPT_ALERT_GBZ) {
      const done: FirmwareChange[] = [{ device: device.deviceId, record: null }];
      const late = this.expired.get(device.deviceId);
      if (late !== undefined)
        return { recipients: undefined, apply: (tx) => this.write(tx, done), changes: done, late };
      const t = this.tracked.get(device.deviceId);
      if (t?.srv !== '11.1') return undefined;
      const verified = receiptAlertCode(parsed) === ALERT_FIRMWARE_VERIFIED;
      return {
        recipients: undefined,
        apply: (tx) => this.write(tx, done),
        changes: done,
        notice: {
          code: verified ? 'N60' : 'N61',
          tracked: t,
          chf: device.chf ?? device.deviceId,
          device: device.deviceId,
        },
      };
    }
    if (code !== 0x0128 && code !== 0x012b) return undefined;
    const p = parsed.message.payload;
    const view = (p.kind === 'asn1' ? p.asn1.view : undefined) as
      | { entityId?: Eui64; firmwareVersion?: Uint8Array; responseCode?: number; activateImage?: number }
      | undefined;
    const subjectId = code === 0x0128 ? view?.entityId : device.deviceId;
    const subject = subjectId === undefined ? undefined : await this.store.getDevice(subjectId);
    if (subject === undefined || view?.firmwareVersion === undefined) return undefined;
    const recipients = await this.suppliersOf(subject);
    const version = Buffer.from(view.firmwareVersion).toString('hex').toUpperCase();
    // The distribution ends with a failed CCS08 or with CS09 (tracked or expired alike).
    const known = this.tracked.has(subject.deviceId) || this.expired.has(subject.deviceId);
    const ends = code === 0x012b || view.responseCode !== 0;
    const changes: FirmwareChange[] = known && ends ? [{ device: subject.deviceId, record: null }] : [];
    if (code === 0x0128) {
      // CCS08: transferred (0) or not; the running version is unchanged until the PPMID activates, so the inventory
      // is too (DeviceFirmwareVersionStatus is the version's CPL status, DUIS: Active / Cancelled / Expired / Withdrawn).
      return { recipients, apply: (tx) => this.write(tx, changes), changes };
    }
    // CS09: the version now running, whether the activation succeeded or not.
    void nowMs;
    const updated = withFirmwareVersion(subject, version);
    return {
      recipients,
      apply: async (tx) => {
        await tx.putDevice(updated);
        await this.write(tx, changes);
      },
      changes,
    };
  }
}

/** A DCC alert N60 / N61 (CSPFirmwareDeliveryStatus) the DSP owes an 11.1 requester. */
export interface FirmwareDeliveryNotice {
  readonly code: 'N60' | 'N61';
  readonly tracked: Tracked;
  readonly chf: Eui64;
  readonly device: Eui64;
}

/** The alert code inside a receipt alert: the DLMS notification's first element, or the GBZ alert's code. */
function receiptAlertCode(parsed: ParsedGbcs): number | undefined {
  const p = parsed.message.payload;
  if (p.kind === 'gbz') return p.gbz.kind === 'alert' ? p.gbz.alertCode : undefined;
  if (p.kind !== 'dlms' || p.dlms.type !== 'data-notification') return undefined;
  const body = p.dlms.notificationBody;
  const first = body.type === 'structure' ? body.value[0] : undefined;
  return first?.type === 'long-unsigned' ? first.value : undefined;
}

/**
 * The SMI record with the version the device now runs. DeviceFirmwareVersionStatus is the version's status on the
 * Central Products List (DUIS: Active / Cancelled / Expired / Withdrawn): the twin has no CPL, so every version it
 * distributes is taken as Active [A].
 */
export function withFirmwareVersion(device: SmiDevice, version: string): SmiDevice {
  return { ...device, firmwareVersion: version, firmwareVersionStatus: 'Active' };
}

/**
 * The running firmware version a response or alert reports, as 8 hex digits, when it reports one (what the DSP
 * learns for the inventory): CS06's outcome 0 and the 0x00CA alert 0x8F66 (GBCS 11.3), ECS52's octet string, GCS38's
 * CurrentFileVersion and CS08's version (GBCS 11.2). Undefined otherwise.
 */
export function firmwareVersionReported(parsed: ParsedGbcs): string | undefined {
  const code = parsed.message.header.messageCode;
  const p = parsed.message.payload;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
  if (p.kind === 'asn1') {
    const v = p.asn1.view as
      | {
          kind?: string;
          executionOutcome?: { responseCode: number; firmwareVersion: Uint8Array };
          firmwareVersion?: Uint8Array;
          responseCode?: number;
          alertCode?: number;
        }
      | undefined;
    if (v?.kind === 'activateFirmwareResponse' || v?.kind === 'activateFirmwareAlert')
      return v.executionOutcome?.responseCode === 0 ? hex(v.executionOutcome.firmwareVersion) : undefined;
    if (v?.kind === 'readPpmidHcalcsFirmwareVersionResponse')
      return v.responseCode === 0 && v.firmwareVersion !== undefined ? hex(v.firmwareVersion) : undefined;
    return undefined;
  }
  if (code === ECS52_CODE && p.kind === 'dlms' && p.dlms.type === 'access-response') {
    const d = p.dlms.data[0];
    return d?.type === 'octet-string' && d.value.length === 4 ? hex(d.value) : undefined;
  }
  if (code === GCS38_CODE && p.kind === 'gbz' && p.gbz.kind === 'components') {
    for (const c of p.gbz.components) {
      if (c.encrypted || c.clusterId !== OTA_CLUSTER || c.payload.kind !== 'read-attributes-response')
        continue;
      const r = c.payload.records.find((x) => x.attributeId === 0x0002 && x.status === 0);
      if (r?.value?.kind === 'number')
        return (r.value.value >>> 0).toString(16).toUpperCase().padStart(8, '0');
    }
  }
  return undefined;
}

/** ECS52, GCS38 message codes and the ZigBee OTA cluster (domain brief Appendix B, §4.5) [O]. */
const ECS52_CODE = 0x0059;
const GCS38_CODE = 0x0084;
const OTA_CLUSTER = 0x0019;
