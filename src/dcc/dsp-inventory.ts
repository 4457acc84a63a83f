// The DSP's side of the Smart Metering Inventory: the status check before a device request (E5), the non-device
// services on the inventory (8.2, 8.3, 8.4), and the status changes that devices' answers drive — a CCS01 success
// whitelists the device it names, the CHF's CS14 alert showing a link-key hash means it joined, an 8.1.1 success
// commissions a meter, a successful 8.7 join commissions a PPMID/IHD/HCALCS [A] (src/dcc/inventory.ts rules).
import type { DuisRequest } from '../codec/duis/request.js';
import type { ResponsePayload } from '../codec/duis/response.js';
import type { ResponseCode } from '../codec/duis/response-codes.js';
import type { SrvInfo } from '../codec/duis/srv.js';
import type { Eui64 } from '../codec/eui64.js';
import { decodeGbcs, type ParsedGbcs } from '../codec/gbcs/frame.js';
import { CCS01, deviceNamedBy, readDeviceLogChangedAlert } from '../codec/gbcs/use-cases/chf-device-log.js';
import type { RequestRecord, Store, StoreOps } from '../store/store.js';
import {
  applySmiEvent,
  checkSmiStatus,
  SMI_TRANSITIONS,
  type SmiEvent,
  type SmiTransition,
} from './inventory.js';
import { CH_STATUS_PLANNERS } from './ch-status.js';
import { NON_DEVICE_PLANNERS } from './non-device.js';
import type { DccUser, SmiDevice } from './types.js';

export type NonDeviceOutcome =
  | { readonly kind: 'refused'; readonly code: ResponseCode; readonly reason: string }
  | { readonly kind: 'unsupported'; readonly reason: string }
  | {
      readonly kind: 'ok';
      readonly payload: ResponsePayload | null;
      readonly apply: (tx: StoreOps) => Promise<void>;
    };

/** Writes to make in the DSP's transaction. */
export type InventoryEffects = (tx: StoreOps) => Promise<void>;

const HAN_TYPE_2_OR_PAIRED = new Set(['PPMID', 'IHD', 'HCALCS', 'CAD']);

export class DspInventory {
  constructor(
    private readonly store: Store,
    private readonly transitions: readonly SmiTransition[] = SMI_TRANSITIONS,
  ) {}

  /** E5/E19 for a device request, or null. */
  check(srv: SrvInfo, device: SmiDevice, user: DccUser): { code: ResponseCode; reason: string } | null {
    const role = user.roles.find((r) => srv.eligibleRoles.includes(r));
    return checkSmiStatus(srv, device, role);
  }

  /** A CV8 request on the inventory: planned against the store; the caller applies it in its transaction. */
  async service(req: DuisRequest, srv: SrvInfo, user: DccUser, nowMs: number): Promise<NonDeviceOutcome> {
    const planner = NON_DEVICE_PLANNERS.get(srv.srv) ?? CH_STATUS_PLANNERS.get(srv.srv);
    if (planner === undefined)
      return {
        kind: 'unsupported',
        reason: `non-device SRV ${srv.srv} ${srv.name} is not offered by this DSP yet`,
      };
    const plan = await planner({ body: req.body, user }, this.store, nowMs, {
      transitions: this.transitions,
    });
    if (!plan.ok) return { kind: 'refused', code: plan.responseCode, reason: plan.reason };
    return { kind: 'ok', payload: plan.payload, apply: plan.apply };
  }

  /** Status changes a device's response to a request drives. */
  async afterResponse(rec: RequestRecord, response: ParsedGbcs, nowMs: number): Promise<InventoryEffects> {
    if (!succeeded(response) || rec.command === undefined) return noEffects;
    const changes: [Eui64, SmiEvent][] = [];
    if (rec.srv === '8.11') {
      const command = decodeGbcs(rec.command);
      const device = deviceNamedBy(command);
      if (device !== undefined)
        changes.push([
          device,
          command.header.messageCode === CCS01 ? 'addedToDeviceLog' : 'removedFromDeviceLog',
        ]);
    } else if (rec.srv === '8.1.1') changes.push([rec.target, 'commissioned']);
    else if (rec.srv === '8.7.1' || rec.srv === '8.7.2') {
      const other = otherDeviceOf(rec.command);
      for (const eui of [rec.target, other]) if (eui !== undefined) changes.push([eui, 'commissioned']);
    }
    // The history names the request, so that the join it enabled can be reported against it (N24).
    return this.effects(
      changes,
      `SRV ${rec.srv} ${rec.requestId}`,
      nowMs,
      (d) => (rec.srv !== '8.7.1' && rec.srv !== '8.7.2') || HAN_TYPE_2_OR_PAIRED.has(d.deviceType),
    );
  }

  /**
   * Status changes an alert drives: a CS14 whose entry carries a link-key hash means that device joined the SMHAN.
   * `joinedFor` lists the SR 8.11 requests whose device has now joined: the DSP reports each with DCC alert N24.
   */
  async afterAlert(
    device: SmiDevice,
    alert: ParsedGbcs,
    nowMs: number,
  ): Promise<{ effects: InventoryEffects; joinedFor: string[] }> {
    const none = { effects: noEffects, joinedFor: [] };
    if (device.deviceType !== 'CHF') return none;
    const log = readDeviceLogChangedAlert(alert.message);
    if (log === undefined) return none;
    const report = {
      chf: device.deviceId,
      extendedPanId: log.extendedPanId,
      entries: log.entries,
      atMs: nowMs,
    };
    const joined = log.entries
      .filter((e) => e.linkKeyHash.length > 0)
      .map((e): [Eui64, SmiEvent] => [e.device, 'joinedHan']);
    const joinedFor: string[] = [];
    for (const [eui] of joined) {
      const current = await this.store.getDevice(eui);
      if (current?.status !== 'Whitelisted') continue;
      const added = (await this.store.statusHistory(eui)).findLast((c) => c.to === 'Whitelisted');
      const requestId = /^SRV 8\.11 (\S+)$/.exec(added?.cause ?? '')?.[1];
      if (requestId !== undefined) joinedFor.push(requestId);
    }
    const statusChanges = await this.effects(joined, 'CS14', nowMs, (d) => d.status === 'Whitelisted');
    // The DSP keeps each CHF's last reported Device Log: 8.12.1 restores it onto a replacement CHF (CCS03).
    const effects: InventoryEffects = async (tx) => {
      await tx.putDeviceLogReport(report);
      await statusChanges(tx);
    };
    return { effects, joinedFor };
  }

  /** The writes for `changes`, each applied only where the table allows it (a refused transition changes nothing). */
  private async effects(
    changes: readonly [Eui64, SmiEvent][],
    cause: string,
    nowMs: number,
    applies: (device: SmiDevice) => boolean,
  ): Promise<InventoryEffects> {
    const updates: { device: SmiDevice; change: Parameters<StoreOps['addStatusChange']>[0] }[] = [];
    for (const [eui, event] of changes) {
      const device = await this.store.getDevice(eui);
      if (device === undefined || !applies(device)) continue;
      const result = applySmiEvent(device, event, nowMs, cause, this.transitions);
      if (result.ok && result.change !== null) updates.push({ device: result.device, change: result.change });
    }
    if (updates.length === 0) return noEffects;
    return async (tx) => {
      for (const u of updates) {
        await tx.putDevice(u.device);
        await tx.addStatusChange(u.change);
      }
    };
  }
}

const noEffects: InventoryEffects = async () => {};

/** Whether a device's response reports success: every DLMS result 0, an ASN.1 responseCode 0 [A: GBZ taken as success]. */
export function succeeded(response: ParsedGbcs): boolean {
  const p = response.message.payload;
  if (p.kind === 'dlms') {
    if (p.dlms.type !== 'access-response') return false;
    return p.dlms.responseSpecifications.every((s) =>
      s.type === 'action' ? s.actionResult === 0 : s.type === 'set' ? s.dataAccessResult === 0 : true,
    );
  }
  if (p.kind === 'asn1') {
    const view = p.asn1.view as { responseCode?: unknown } | undefined;
    return view?.responseCode === undefined || view.responseCode === 0;
  }
  return true;
}

/** The other device of a CS03 join command. */
function otherDeviceOf(command: Uint8Array): Eui64 | undefined {
  const p = decodeGbcs(command).payload;
  if (p.kind !== 'asn1') return undefined;
  const view = p.asn1.view as { otherDeviceEntityId?: unknown } | undefined;
  return typeof view?.otherDeviceEntityId === 'string' ? (view.otherDeviceEntityId as Eui64) : undefined;
}
