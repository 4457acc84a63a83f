// SR 8.14.1-8.14.4 Communications Hub Status Update (DUIS 8.14; non-device, CV 8, roles IS/GS): the supplier tells
// the DCC that a CH it installed works with the SM WAN (8.14.1) or without it (8.14.2), or that it is sending a CH back
// with a fault (8.14.3) or without one (8.14.4). Planned against the SMI, applied in the DSP's transaction like the
// other inventory services (non-device.ts). Effects on the CHF and the GPF of the same hub [A: DUIS's SMI rules are
// not public, domain brief §10]:
//   8.14.1 install success              CHF + GPF → Commissioned              (event 'commissioned')
//   8.14.2 install, no SM WAN           CHF + GPF → InstalledNotCommissioned  (event 'statusSetInstalledNotCommissioned')
//   8.14.3 fault return                 CHF + GPF → Withdrawn                 (event 'withdrawn')
//   8.14.4 no-fault return              CHF + GPF → Withdrawn                 (event 'withdrawn')
// The status history names the SRV and the return's reason or type (returnOf reads it back), which the triage service
// (src/triage/) uses to tell a fault return from a no-fault one and a lost or stolen hub.
import {
  chfFaultReturn,
  chfInstallSuccessNoSmWan,
  chfInstallSuccessSmWan,
  chfNoFaultReturn,
} from '../codec/duis/bodies.js';
import type { Srv } from '../codec/duis/srv.js';
import { eui64Hyphenated, type Eui64 } from '../codec/eui64.js';
import type { StoreOps } from '../store/store.js';
import { applySmiEvent, SMI_TRANSITIONS, type SmiEvent } from './inventory.js';
import type { NonDeviceInput, NonDevicePlan, NonDevicePlanner } from './non-device.js';
import type { SmiDevice, SmiStatusChange } from './types.js';

/** What a CH return was, as its status history records it. */
export type ChReturn =
  | { readonly kind: 'fault'; readonly reason: string }
  | { readonly kind: 'no-fault'; readonly type: string }
  | { readonly kind: 'lost-or-stolen' };

/** DUIS 8.14.4 CHFNoFaultReturnType for a hub that is not coming back. */
export const LOST_OR_STOLEN = 'Lost or Stolen Hub';

/** The return a history entry's cause records ('8.14.3 <reason>', '8.14.4 <type>'), or undefined for another cause. */
export function returnOf(change: Pick<SmiStatusChange, 'cause'>): ChReturn | undefined {
  const m = /^8\.14\.([34]) (.*)$/.exec(change.cause);
  if (m === null) return undefined;
  if (m[1] === '3') return { kind: 'fault', reason: m[2]! };
  return m[2] === LOST_OR_STOLEN ? { kind: 'lost-or-stolen' } : { kind: 'no-fault', type: m[2]! };
}

function refuse(responseCode: 'E4' | 'E5' | 'E11' | 'E19', reason: string): NonDevicePlan {
  return { ok: false, responseCode, reason };
}

/** The GPF of the hub whose CHF is `chf`, as the SMI associates them. */
async function gpfOf(store: StoreOps, chf: Eui64): Promise<SmiDevice | undefined> {
  return (await store.findDevices({ chf })).find((d) => d.deviceType === 'GPF');
}

/**
 * `event` on the CHF `deviceId` and its GPF: E19 when the CHF is not in the SMI, E11 when the device is not a CHF, E4
 * when the SMI registers another supplier for it [A], E5 when the table refuses the event for either (then neither
 * changes); else I99 with both changes written together.
 */
async function chStatus(
  srv: Srv,
  deviceId: Eui64,
  event: SmiEvent,
  cause: string,
  store: StoreOps,
  nowMs: number,
  user: Eui64 | undefined,
  table = SMI_TRANSITIONS,
): Promise<NonDevicePlan> {
  const id = eui64Hyphenated(deviceId);
  const chf = await store.getDevice(deviceId);
  if (chf === undefined) return refuse('E19', `${srv}: ${id} is not in the SMI`);
  if (chf.deviceType !== 'CHF')
    return refuse('E11', `${srv}: Communications Hub Status Updates name a CHF, not a ${chf.deviceType}`);
  if (user !== undefined && chf.supplier !== undefined && chf.supplier !== user)
    return refuse('E4', `${srv}: ${eui64Hyphenated(user)} is not the supplier registered for ${id}`);
  const gpf = await gpfOf(store, deviceId);
  const writes: { device: SmiDevice; change: SmiStatusChange | null }[] = [];
  for (const device of gpf === undefined ? [chf] : [chf, gpf]) {
    const r = applySmiEvent(device, event, nowMs, cause, table);
    if (!r.ok) return refuse(r.code, `${srv}: ${r.reason}`);
    writes.push({ device: r.device, change: r.change });
  }
  return {
    ok: true,
    responseCode: 'I99',
    payload: null,
    apply: async (tx) => {
      for (const w of writes) {
        if (w.change === null) continue;
        await tx.putDevice(w.device);
        await tx.addStatusChange(w.change);
      }
    },
  };
}

/** A CH status update's planner: its body read, then `event` on the hub it names, recorded with `cause`. */
function chStatusPlanner<B extends { readonly deviceId: Eui64 }>(
  srv: Srv,
  body: { decode(element: NonDeviceInput['body']): B },
  event: SmiEvent,
  cause: (b: B) => string,
): NonDevicePlanner {
  return async (input, store, nowMs, options) => {
    const b = body.decode(input.body);
    return chStatus(srv, b.deviceId, event, cause(b), store, nowMs, input.user?.eui, options?.transitions);
  };
}

/** DUIS 8.14.1 Communications Hub Status Update - Install Success: the CH works with the SM WAN. */
export const planChfInstallSuccess = chStatusPlanner(
  '8.14.1',
  chfInstallSuccessSmWan,
  'commissioned',
  () => '8.14.1',
);

/** DUIS 8.14.2 Install No SM WAN: installed, but without SM WAN the CH cannot be commissioned [A]. */
export const planChfInstallNoSmWan = chStatusPlanner(
  '8.14.2',
  chfInstallSuccessNoSmWan,
  'statusSetInstalledNotCommissioned',
  () => '8.14.2',
);

/** DUIS 8.14.3 Fault Return: the CH goes back (to the CSP, or to triage: SECMP0010) with the reason given. */
export const planChfFaultReturn = chStatusPlanner(
  '8.14.3',
  chfFaultReturn,
  'withdrawn',
  (b) => `8.14.3 ${b.chfFaultReason}`,
);

/** DUIS 8.14.4 No Fault Return (including a lost or stolen hub). */
export const planChfNoFaultReturn = chStatusPlanner(
  '8.14.4',
  chfNoFaultReturn,
  'withdrawn',
  (b) => `8.14.4 ${b.chfNoFaultReturnType}`,
);

export const CH_STATUS_PLANNERS: ReadonlyMap<Srv, NonDevicePlanner> = new Map<Srv, NonDevicePlanner>([
  ['8.14.1', planChfInstallSuccess],
  ['8.14.2', planChfInstallNoSmWan],
  ['8.14.3', planChfFaultReturn],
  ['8.14.4', planChfNoFaultReturn],
]);
