// Triage and reset of a returned device (SECMP0010: Communications Hubs; SECMP0013: smart meters), as a DCC-side
// Triage Service that authorises and records, and a triage tool at the User's screened facility that resets the device
// in hand over its local port.
//
// Why this shape [A]: DUIS 5.4 has no Service Request for it (SECMP0013's original solution proposed new Service
// Requests that were never specified, and SECMP0010 was still in refinement in 2021: domain brief §6), so a DUIS SRV
// would be invented XML the XSD refuses. The seeds agree on the rest: triage happens off the consumer's premises, at the
// supplier's facility, with a tool (SECMP0010's HHT-like "triage tool", SECMP0013's alternate over an optical port);
// either a Supplier or a Registered Supplier Agent may do it, access control permitting (policy.triageRoles); and the
// DCC must know, since the SMI status of a device it resets has to say it is no longer in service and may be installed
// again. The service checks and plans first and writes nothing on a refusal (the tool then touches nothing); an
// accepted triage writes the SMI change in one transaction and hands back the reset devices.
import type { UserRole } from '../codec/duis/srv.js';
import { eui64Hyphenated, type Eui64 } from '../codec/eui64.js';
import type { DeviceCore } from '../devices/device.js';
import { returnOf } from '../dcc/ch-status.js';
import { applySmiEvent, SMI_TRANSITIONS, type SmiTransition } from '../dcc/inventory.js';
import type { DccUser, SmiDevice, SmiStatusChange } from '../dcc/types.js';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import type { Store, StoreOps } from '../store/store.js';
import { resetToManufactured, type ManufacturedDevice } from './reset.js';

/** Why a triage was refused; nothing was written and the device is untouched. */
export type TriageRefusalCode =
  /** policy.triage is 'none' (today's rule): returned devices are not triaged. */
  | 'triage-not-allowed'
  /** Not a DCC User, or not an active one. */
  | 'not-a-user'
  | 'user-not-active'
  /** None of the User's roles is in policy.triageRoles. */
  | 'role-not-eligible'
  | 'not-in-smi'
  /** A device without SMKI credentials (IHD, CAD): nothing to reset. */
  | 'not-triageable'
  /** Still in service: only a Withdrawn (CH returned, 8.14.3/8.14.4) or Decommissioned (8.3) device. */
  | 'not-returned'
  /** A CH reported lost or stolen (8.14.4) that turns up is not put back into service [A]. */
  | 'lost-or-stolen'
  /** A supplier triages only devices it was the registered supplier of; an RSA acts for any supplier [A]. */
  | 'not-registered'
  /** The devices in hand are not the device (and, for a CH, its GPF) the request names. */
  | 'wrong-device'
  /** The bench diagnosis found a real fault: not reset, it goes back to the CSP (CH) or the manufacturer (meter). */
  | 'fault-found';

export interface TriageRefusal {
  readonly ok: false;
  readonly code: TriageRefusalCode;
  readonly reason: string;
}

export interface TriageRequest {
  /** The DCC User asking (its roles decide, per policy.triageRoles). */
  readonly user: Eui64;
  /** The returned device: a meter, a PPMID or HCALCS, or a CHF (its GPF, the same hub, is reset with it). */
  readonly deviceId: Eui64;
  /** What the triage tool's diagnostics found on the bench [A: the twin models no hardware faults; the caller says]. */
  readonly faultFound: boolean;
}

export interface TriageSuccess {
  readonly ok: true;
  /** The SMI records after the reset: Pending, with no premise, MPxN, address or registered parties. */
  readonly records: readonly SmiDevice[];
  /** The reset devices, as manufactured (a CH: its CHF, then its GPF). */
  readonly devices: readonly ManufacturedDevice[];
  /** How the device came back: a CH's 8.14.3 / 8.14.4, or a meter's 8.3 decommissioning. */
  readonly returned: 'fault' | 'no-fault' | 'decommissioned';
}

export type TriageResult = TriageSuccess | TriageRefusal;

/** A triage checked against the SMI, not yet written. */
export type TriagePlan =
  (TriageSuccess & { readonly apply: (tx: StoreOps) => Promise<void> }) | TriageRefusal;

export interface TriageOptions {
  readonly policy?: Policy;
  /** The DCC's Access Control Broker: the one Remote Party a manufactured device holds. */
  readonly acb: Eui64;
  readonly transitions?: readonly SmiTransition[];
}

function refuse(code: TriageRefusalCode, reason: string): TriageRefusal {
  return { ok: false, code, reason };
}

const SUPPLIER_ROLES: readonly UserRole[] = ['IS', 'ES', 'GS'];

/**
 * The SMI record a reset leaves: identity, type, model and versions; no premise, MPxN, address or parties [A]. A GPF
 * keeps its `chf`: that is the hub's own hardware (the CHF it is part of), not where it was installed, and an 8.14.1
 * of the reset CH finds its GPF by it. Its GSME link (`gpf`) goes, as a meter's premise links do.
 */
export function resetRecord(d: SmiDevice): SmiDevice {
  return {
    deviceId: d.deviceId,
    deviceType: d.deviceType,
    status: d.status,
    manufacturer: d.manufacturer,
    model: d.model,
    smetsChtsVersion: d.smetsChtsVersion,
    firmwareVersion: d.firmwareVersion,
    firmwareVersionStatus: d.firmwareVersionStatus,
    cplStatus: d.cplStatus,
    gbcsVersion: d.gbcsVersion,
    ...(d.esmeVariant !== undefined && { esmeVariant: d.esmeVariant }),
    ...(d.hanVariant !== undefined && { hanVariant: d.hanVariant }),
    ...(d.cspRegion !== undefined && { cspRegion: d.cspRegion }),
    ...(d.deviceType === 'GPF' && d.chf !== undefined && { chf: d.chf }),
  };
}

/** How the device left service, from its last status change. */
function howReturned(
  device: SmiDevice,
  history: readonly SmiStatusChange[],
): TriageSuccess['returned'] | 'lost-or-stolen' {
  if (device.status === 'Decommissioned') return 'decommissioned';
  const last = history.findLast((c) => c.to === 'Withdrawn');
  const r = last === undefined ? undefined : returnOf(last);
  if (r?.kind === 'lost-or-stolen') return 'lost-or-stolen';
  // Withdrawn by 8.4 (or by an unrecorded cause): no fault reported [A].
  return r?.kind === 'fault' ? 'fault' : 'no-fault';
}

/**
 * Plans the triage of the device `request` names, with `inHand` the actor states of what the User holds (a CH: its
 * CHF and GPF). Reads only. Checks, in order: policy, User, role, SMI record, device type, returned status (not lost or
 * stolen), registration, the devices in hand, the diagnosis.
 */
export async function planTriage(
  store: StoreOps,
  request: TriageRequest,
  inHand: readonly DeviceCore[],
  nowMs: number,
  o: TriageOptions,
): Promise<TriagePlan> {
  const policy = o.policy ?? DEFAULT_POLICY;
  const id = eui64Hyphenated(request.deviceId);
  // SECMP0010/0013: not implemented today; the policy decides.
  if (policy.triage === 'none')
    return refuse('triage-not-allowed', 'triage and reset of returned devices is not allowed by policy');
  const user: DccUser | undefined = await store.getUser(request.user);
  if (user === undefined) return refuse('not-a-user', `${eui64Hyphenated(request.user)} is not a DCC User`);
  if (user.status !== 'active')
    return refuse('user-not-active', `User ${eui64Hyphenated(user.eui)} is ${user.status}`);
  const eligible = user.roles.filter((r) => policy.triageRoles.includes(r));
  if (eligible.length === 0)
    return refuse(
      'role-not-eligible',
      `roles ${user.roles.join(', ')} may not triage (policy: ${policy.triageRoles.join(', ') || 'none'})`,
    );
  const device = await store.getDevice(request.deviceId);
  if (device === undefined) return refuse('not-in-smi', `${id} is not in the SMI`);
  if (device.deviceType === 'IHD' || device.deviceType === 'CAD' || device.deviceType === 'GPF')
    return refuse(
      'not-triageable',
      device.deviceType === 'GPF'
        ? `${id} is a GPF: triage its CH by the CHF's DeviceID`
        : `${id} is a ${device.deviceType}: it holds no SMKI credentials to reset`,
    );
  if (device.status !== 'Withdrawn' && device.status !== 'Decommissioned')
    return refuse('not-returned', `${id} is ${device.status}: only a returned device is triaged`);
  const returned = howReturned(device, await store.statusHistory(device.deviceId));
  if (returned === 'lost-or-stolen')
    return refuse('lost-or-stolen', `${id} was reported lost or stolen (8.14.4)`);
  // [A] A supplier triages its own returns; an RSA (or another eligible non-supplier role) any. All the User's eligible
  // roles count: a User that is a supplier and an RSA may triage another supplier's device as the RSA.
  const anySupplier = eligible.some((r) => !SUPPLIER_ROLES.includes(r));
  if (!anySupplier && device.supplier !== undefined && device.supplier !== user.eui)
    return refuse('not-registered', `${eui64Hyphenated(user.eui)} was not the registered supplier of ${id}`);
  const records: SmiDevice[] = [device];
  if (device.deviceType === 'CHF') {
    const gpf = (await store.findDevices({ chf: device.deviceId })).find((d) => d.deviceType === 'GPF');
    if (gpf !== undefined) records.push(gpf);
  }
  const held = records.map((r) => inHand.find((s) => s.eui === r.deviceId));
  if (held.some((s) => s === undefined) || inHand.length !== records.length)
    return refuse(
      'wrong-device',
      `the triage tool must hold ${records.map((r) => `${r.deviceType} ${eui64Hyphenated(r.deviceId)}`).join(' and ')}`,
    );
  if (request.faultFound)
    return refuse(
      'fault-found',
      `${id} has a fault: not reset; it goes back to the ${device.deviceType === 'CHF' ? 'CSP' : 'manufacturer'}`,
    );
  const writes: { device: SmiDevice; change: SmiStatusChange | null }[] = [];
  for (const r of records) {
    // A GPF follows its CHF [A]: it was withdrawn with it.
    const t = applySmiEvent(r, 'triaged', nowMs, `triage ${user.eui}`, o.transitions ?? SMI_TRANSITIONS);
    if (!t.ok) return refuse('not-returned', t.reason);
    writes.push({ device: resetRecord(t.device), change: t.change });
  }
  const devices = held.map((s) => resetToManufactured(s!, o.acb));
  return {
    ok: true,
    records: writes.map((w) => w.device),
    devices,
    returned,
    apply: async (tx) => {
      for (const w of writes) {
        await tx.putDevice(w.device);
        if (w.change !== null) await tx.addStatusChange(w.change);
      }
    },
  };
}

/** Plans and, when accepted, writes the SMI change in one transaction. */
export async function triage(
  store: Store,
  request: TriageRequest,
  inHand: readonly DeviceCore[],
  nowMs: number,
  o: TriageOptions,
): Promise<TriageResult> {
  const plan = await planTriage(store, request, inHand, nowMs, o);
  if (!plan.ok) return plan;
  await store.transaction((tx) => plan.apply(tx));
  const { apply: _, ...result } = plan;
  void _;
  return result;
}
