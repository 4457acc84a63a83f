// Smart Metering Inventory rules (domain brief §3.4) as pure data and functions: the SMI status transitions, the
// DSP's SMI status check (E19/E5) per SRV group, and the 8.2 Read Inventory DSPInventory response tree.
//
// The exact SEC Section H / DUIS transition rules are not public [gap, domain brief §10]: every rule below is an
// assumption [A], written as a row of an exported table so that a Policy or configuration can replace it. What is
// sourced: the ten status names [O: Kraken enum; DUIS Schema V5.4 DeviceStatus lists nine, without NotApplicable];
// field practice Whitelisted = on a CHF/GPF log but not joined, InstalledNotCommissioned = joined but commissioning
// incomplete, Commissioned = done [O: installer guide, domain brief §3.4]; Type 2 Devices (IHD, CAD) have no SMI
// status [C: SEC glossary "Smart Metering Inventory" (d)], and a DCC Boxed 8.2 response lists a CAD without one [O].
import { DuisError } from '../codec/duis/common.js';
import type { Srv, SrvInfo, UserRole } from '../codec/duis/srv.js';
import type { DuisBodyElement } from '../codec/duis/tree.js';
import { eui64Hyphenated, type Eui64 } from '../codec/eui64.js';
import {
  SMI_DEVICE_TYPES,
  SMI_STATUSES,
  type SmiDevice,
  type SmiDeviceType,
  type SmiStatus,
  type SmiStatusChange,
} from './types.js';

// ---- events and the transition table -------------------------------------------------------------------------

/** What happens to a device that the SMI records. */
export const SMI_EVENTS = [
  /** SR 12.2 Device Pre-notification, or a fleet load: the device enters the SMI. */
  'preNotified',
  /** SR 8.11 Add (CCS01) succeeded for the device: it is on the CHF Device Log. */
  'addedToDeviceLog',
  /** SR 8.11 Remove (CCS02) succeeded for the device. */
  'removedFromDeviceLog',
  /** The device joined the SMHAN: the CHF's CS14 alert (0x8F12) carries its link-key hash, or an 8.7 join succeeded. */
  'joinedHan',
  /** 8.1.1 success (ESME/GSME); 8.14.1 install success or 8.4 UpdateDeviceStatusCH Commissioned (CHF/GPF); a
   * successful 8.7 join with a meter (PPMID/HCALCS). */
  'commissioned',
  /** SR 8.3 Decommission Device. */
  'decommissioned',
  /** 8.4 UpdateDeviceStatusCH Withdrawn; a CH fault / no-fault return (8.14.3/8.14.4). */
  'withdrawn',
  /** The DCC suspends the device (e.g. its model left the CPL). */
  'suspended',
  /** The DCC starts recovery of the device (compromised credentials). */
  'recovery',
  /** The DCC finished recovering the device. */
  'recovered',
  /** A Type 2 Device (IHD, CAD) is recorded without an SMI status. */
  'notApplicable',
  /** 8.4 UpdateDeviceStatusExceptCH Pending: an installation abandoned before commissioning. */
  'statusSetPending',
  /** 8.4 UpdateDeviceStatus(ExceptCH|CH) InstalledNotCommissioned; 8.14.2 CH installed without SM WAN. */
  'statusSetInstalledNotCommissioned',
  /** A returned device triaged and reset to its manufactured state (SECMP0010/0013, src/triage/). */
  'triaged',
] as const;
export type SmiEvent = (typeof SMI_EVENTS)[number];

/** Devices holding SMKI credentials, which carry an SMI status [C: SEC glossary]. */
export const TYPE_1_DEVICES = [
  'ESME',
  'GSME',
  'CHF',
  'GPF',
  'PPMID',
  'HCALCS',
] as const satisfies readonly SmiDeviceType[];
/** Devices without SMKI credentials: no SMI status, recorded as NotApplicable [C: SEC glossary; O: DCC Boxed CAD]. */
export const TYPE_2_DEVICES = ['IHD', 'CAD'] as const satisfies readonly SmiDeviceType[];
/** Type 1 devices a CHF Device Log holds (everything but the CHF itself). */
const LOGGED = ['ESME', 'GSME', 'GPF', 'PPMID', 'HCALCS'] as const satisfies readonly SmiDeviceType[];
const METERS = ['ESME', 'GSME'] as const satisfies readonly SmiDeviceType[];
const CH = ['CHF', 'GPF'] as const satisfies readonly SmiDeviceType[];
const HAN_PAIRED = ['PPMID', 'HCALCS'] as const satisfies readonly SmiDeviceType[];
const NOT_CH = ['ESME', 'GSME', 'PPMID', 'HCALCS'] as const satisfies readonly SmiDeviceType[];

/** One rule: `event` moves a device of `deviceTypes` from any of `from` to `to`. */
export interface SmiTransition {
  readonly event: SmiEvent;
  /** The device types the row applies to. */
  readonly deviceTypes: readonly SmiDeviceType[];
  /** Statuses the event applies in; null: a device not yet in the SMI. */
  readonly from: readonly (SmiStatus | null)[];
  /** The status after; 'unchanged': the event is accepted and changes nothing (no history entry). */
  readonly to: SmiStatus | 'unchanged';
  /** Why, with its source tag. */
  readonly note: string;
}

// Every row is an assumption [A] (its note cites what it leans on). Rows are read top to bottom; the first row matching
// (event, device type, from) decides. An (event, type, from) no row matches is refused.
// prettier-ignore
export const SMI_TRANSITIONS: readonly SmiTransition[] = [
  // -- entering the SMI
  { event: 'preNotified', deviceTypes: TYPE_1_DEVICES, from: [null], to: 'Pending', note: '[A] 12.2 / fleet: a Type 1 Device enters as Pending' },
  { event: 'preNotified', deviceTypes: TYPE_1_DEVICES, from: ['Pending'], to: 'unchanged', note: '[A] notified again before installation' },
  { event: 'preNotified', deviceTypes: TYPE_2_DEVICES, from: [null], to: 'NotApplicable', note: '[A] a Type 2 Device has no SMI status [C: SEC glossary]' },
  { event: 'preNotified', deviceTypes: TYPE_2_DEVICES, from: ['NotApplicable'], to: 'unchanged', note: '[A] notified again' },
  { event: 'notApplicable', deviceTypes: TYPE_2_DEVICES, from: [null, 'Pending', 'Whitelisted', 'InstalledNotCommissioned'], to: 'NotApplicable', note: '[A] Type 2 Devices carry no SMI status [C: SEC glossary]' },
  { event: 'notApplicable', deviceTypes: TYPE_2_DEVICES, from: ['NotApplicable'], to: 'unchanged', note: '[A]' },
  // -- installation: CHF Device Log, HAN join, commissioning
  { event: 'addedToDeviceLog', deviceTypes: LOGGED, from: ['Pending'], to: 'Whitelisted', note: '[A] Whitelisted = on the CHF/GPF log, not yet joined [O: field practice]' },
  { event: 'addedToDeviceLog', deviceTypes: LOGGED, from: ['Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Recovered'], to: 'unchanged', note: '[A] CCS01 for a device already on the log still succeeds [C: GBCS CCS01]: nothing changes' },
  { event: 'addedToDeviceLog', deviceTypes: TYPE_2_DEVICES, from: ['NotApplicable'], to: 'unchanged', note: '[A] Type 2: no SMI status to change' },
  { event: 'removedFromDeviceLog', deviceTypes: LOGGED, from: ['Whitelisted', 'InstalledNotCommissioned'], to: 'Pending', note: '[A] off the log before commissioning: back to awaiting installation' },
  { event: 'removedFromDeviceLog', deviceTypes: LOGGED, from: ['Pending', 'Commissioned', 'Decommissioned', 'Withdrawn', 'Suspended', 'Recovery', 'Recovered'], to: 'unchanged', note: '[A] a commissioned device keeps its status (8.3 decommissions); CCS02 after 8.3 is routine' },
  { event: 'removedFromDeviceLog', deviceTypes: TYPE_2_DEVICES, from: ['NotApplicable'], to: 'unchanged', note: '[A] Type 2: no SMI status to change' },
  { event: 'joinedHan', deviceTypes: LOGGED, from: ['Whitelisted'], to: 'InstalledNotCommissioned', note: '[A] InstalledNotCommissioned = joined the HAN, commissioning incomplete [O: field practice]' },
  { event: 'joinedHan', deviceTypes: LOGGED, from: ['InstalledNotCommissioned', 'Commissioned', 'Recovered'], to: 'unchanged', note: '[A] a re-join (CH power cycle, new link key) changes nothing' },
  { event: 'joinedHan', deviceTypes: TYPE_2_DEVICES, from: ['NotApplicable'], to: 'unchanged', note: '[A] Type 2: no SMI status to change' },
  { event: 'commissioned', deviceTypes: METERS, from: ['Whitelisted', 'InstalledNotCommissioned', 'Recovered'], to: 'Commissioned', note: '[A] 8.1.1 success; its response proves the meter is on the HAN even if no CS14 was seen' },
  { event: 'commissioned', deviceTypes: CH, from: ['Pending', 'Whitelisted', 'InstalledNotCommissioned', 'Recovered'], to: 'Commissioned', note: '[A] 8.14.1 install success / 8.4 UpdateDeviceStatusCH Commissioned' },
  { event: 'commissioned', deviceTypes: HAN_PAIRED, from: ['Whitelisted', 'InstalledNotCommissioned', 'Recovered'], to: 'Commissioned', note: '[A] a successful 8.7 join with a meter' },
  { event: 'commissioned', deviceTypes: TYPE_1_DEVICES, from: ['Commissioned'], to: 'unchanged', note: '[A] commissioning again changes nothing' },
  { event: 'commissioned', deviceTypes: TYPE_2_DEVICES, from: ['NotApplicable'], to: 'unchanged', note: '[A] Type 2: an IHD/CAD join has no SMI status to change' },
  // -- 8.4 status updates
  { event: 'statusSetPending', deviceTypes: NOT_CH, from: ['Whitelisted', 'InstalledNotCommissioned'], to: 'Pending', note: '[A] 8.4 UpdateDeviceStatusExceptCH Pending: installation abandoned' },
  { event: 'statusSetPending', deviceTypes: NOT_CH, from: ['Pending'], to: 'unchanged', note: '[A]' },
  { event: 'statusSetInstalledNotCommissioned', deviceTypes: TYPE_1_DEVICES, from: ['Pending', 'Whitelisted'], to: 'InstalledNotCommissioned', note: '[A] 8.4 InstalledNotCommissioned; 8.14.2 CH installed without SM WAN' },
  { event: 'statusSetInstalledNotCommissioned', deviceTypes: CH, from: ['Commissioned'], to: 'InstalledNotCommissioned', note: '[A] 8.4 UpdateDeviceStatusCH InstalledNotCommissioned (a CH that lost its SM WAN)' },
  { event: 'statusSetInstalledNotCommissioned', deviceTypes: TYPE_1_DEVICES, from: ['InstalledNotCommissioned'], to: 'unchanged', note: '[A]' },
  // -- leaving service
  { event: 'decommissioned', deviceTypes: TYPE_1_DEVICES, from: ['Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Suspended', 'Recovered'], to: 'Decommissioned', note: '[A] 8.3: only an installed (or whitelisted) device can be decommissioned; Pending was never installed' },
  { event: 'withdrawn', deviceTypes: TYPE_1_DEVICES, from: ['Pending', 'Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Suspended', 'Recovered'], to: 'Withdrawn', note: '[A] 8.4 UpdateDeviceStatusCH Withdrawn / CH returned; DCC alert MeterDecommissioningOrWithdrawal suggests meters too [O: XSD]' },
  // -- triage and reset of a returned device (SECMP0010 CH, SECMP0013 meters): back to awaiting installation
  { event: 'triaged', deviceTypes: TYPE_1_DEVICES, from: ['Withdrawn', 'Decommissioned'], to: 'Pending', note: '[A] SECMP0010/0013: reset to its manufactured state, the device awaits installation again like a new one' },
  // -- DCC actions
  { event: 'suspended', deviceTypes: TYPE_1_DEVICES, from: ['Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Recovered'], to: 'Suspended', note: '[A] DCC suspends an installed device' },
  { event: 'recovery', deviceTypes: TYPE_1_DEVICES, from: ['InstalledNotCommissioned', 'Commissioned', 'Suspended', 'Recovered'], to: 'Recovery', note: '[A] DCC recovery starts' },
  { event: 'recovered', deviceTypes: TYPE_1_DEVICES, from: ['Recovery'], to: 'Recovered', note: '[A] DCC recovery done; Recovered then behaves as Commissioned' },
];

/** The outcome of an event on a status: accepted (possibly changing nothing), or refused with a DUIS code. */
export type SmiTransitionResult =
  | { readonly ok: true; readonly from: SmiStatus | null; readonly to: SmiStatus; readonly changed: boolean }
  | { readonly ok: false; readonly code: 'E5' | 'E19'; readonly reason: string };

/** Where `event` takes a `deviceType` device in status `from` (null: not in the SMI), by the first matching row. */
export function smiTransition(
  from: SmiStatus | null,
  event: SmiEvent,
  deviceType: SmiDeviceType,
  table: readonly SmiTransition[] = SMI_TRANSITIONS,
): SmiTransitionResult {
  const row = table.find(
    (r) => r.event === event && r.deviceTypes.includes(deviceType) && r.from.includes(from),
  );
  if (row === undefined) {
    return from === null
      ? {
          ok: false,
          code: 'E19',
          reason: `${deviceType} is not in the SMI: '${event}' needs a device record`,
        }
      : {
          ok: false,
          code: 'E5',
          reason: `'${event}' is not allowed for a ${deviceType} whose SMI status is ${from}`,
        };
  }
  if (row.to === 'unchanged') {
    if (from === null)
      throw new Error(`SMI transition table: '${event}' leaves a device outside the SMI unchanged`);
    return { ok: true, from, to: from, changed: false };
  }
  return { ok: true, from, to: row.to, changed: row.to !== from };
}

/** A device's SMI record before it has a status (what pre-notification supplies). */
export type NewSmiDevice = Omit<SmiDevice, 'status'> & { readonly status?: undefined };

export type SmiEventResult =
  | { readonly ok: true; readonly device: SmiDevice; readonly change: SmiStatusChange | null }
  | { readonly ok: false; readonly code: 'E5' | 'E19'; readonly reason: string };

/**
 * Applies `event` to a device (or to a record not yet in the SMI) at `atMs`: the device with its new status and the
 * history entry to append (null when nothing changed), or the refusal. Pure: the caller writes both, or neither.
 */
export function applySmiEvent(
  device: SmiDevice | NewSmiDevice,
  event: SmiEvent,
  atMs: number,
  cause: string,
  table: readonly SmiTransition[] = SMI_TRANSITIONS,
): SmiEventResult {
  const from = device.status ?? null;
  const t = smiTransition(from, event, device.deviceType, table);
  if (!t.ok) return t;
  const next: SmiDevice = { ...device, status: t.to };
  if (!t.changed) return { ok: true, device: next, change: null };
  return { ok: true, device: next, change: { deviceId: device.deviceId, atMs, from, to: t.to, cause } };
}

// ---- the DSP's SMI status check ------------------------------------------------------------------------------

/** Who may send an SRV to a device in a status: every eligible role, or only these. */
export type RoleGate = 'any' | readonly UserRole[];

export interface SmiStatusRule {
  readonly group: string;
  /** The SRVs of the group; 'other': every device SRV no earlier rule lists. */
  readonly srvs: readonly Srv[] | 'other';
  /** The statuses the target device may be in, and who may then send; any other status: E5. */
  readonly allowed: Readonly<Partial<Record<SmiStatus, RoleGate>>>;
}

const SUPPLIERS: readonly UserRole[] = ['IS', 'GS'];

// [A] DUIS's per-SRV SMI status table is not public. Installation work must reach a device before it is
// commissioned, and installing is the supplier's job; everything else needs a commissioned (or recovered) device.
// Pending, Decommissioned, Withdrawn, Suspended, Recovery and NotApplicable refuse every device SR.
export const SMI_STATUS_RULES: readonly SmiStatusRule[] = [
  {
    group: 'installation',
    // 8.1.1 commission; 8.7/8.8 join/unjoin; 8.9 read log; 8.11 CHF log; 8.12 restore logs (CH swap); 11.2 firmware
    // version; 6.15 credentials; 6.24 read credentials [A]
    srvs: [
      '8.1.1',
      '8.7.1',
      '8.7.2',
      '8.8.1',
      '8.8.2',
      '8.9',
      '8.11',
      '8.12.1',
      '8.12.2',
      '11.2',
      '6.15.1',
      '6.15.2',
      '6.24.1',
      '6.24.2',
    ],
    allowed: {
      Whitelisted: SUPPLIERS,
      InstalledNotCommissioned: SUPPLIERS,
      Commissioned: 'any',
      Recovered: 'any',
    },
  },
  { group: 'operation', srvs: 'other', allowed: { Commissioned: 'any', Recovered: 'any' } },
];

/**
 * The DSP's SMI status check for a device SR to `device` (its business target): null when the SR may go, E19 when
 * the SMI has no such device, E5 when its status does not allow the SRV (for `role`, when given). Non-device SRVs
 * (CV 8) are not checked here: each service checks the inventory itself (src/dcc/non-device.ts).
 */
export function checkSmiStatus(
  srv: SrvInfo,
  device: SmiDevice | undefined,
  role?: UserRole,
  rules: readonly SmiStatusRule[] = SMI_STATUS_RULES,
): null | { readonly code: 'E5' | 'E19'; readonly reason: string } {
  if (srv.nonDevice) return null;
  if (device === undefined)
    return { code: 'E19', reason: `SRV ${srv.srv}: the target device is not in the SMI` };
  const rule =
    rules.find((r) => r.srvs !== 'other' && r.srvs.includes(srv.srv)) ??
    rules.find((r) => r.srvs === 'other');
  const gate = rule?.allowed[device.status];
  const what = `SRV ${srv.srv} ${srv.name}`;
  if (rule === undefined || gate === undefined) {
    return {
      code: 'E5',
      reason: `${what} may not be sent to a ${device.deviceType} whose SMI status is ${device.status}`,
    };
  }
  if (gate !== 'any' && role !== undefined && !gate.includes(role)) {
    return {
      code: 'E5',
      reason: `${what} to a ${device.deviceType} whose SMI status is ${device.status} is for ${gate.join(', ')} only, not ${role}`,
    };
  }
  return null;
}

// ---- 8.2 Read Inventory: the DSPInventory tree ---------------------------------------------------------------

/** At most 17 sr:Device per sr:DSPInventory (DUIS Schema V5.4 complexType DSPInventory) [O]. */
export const MAX_INVENTORY_DEVICES = 17;

/**
 * The sr:Device children in the order of DUIS Schema V5.4 complexType Device [O]. Not written: S1SP and Connectivity
 * (SMETS1 service provider and connectivity: SmiDevice holds neither) [gap].
 */
export const INVENTORY_DEVICE_FIELDS = [
  'DeviceID',
  'DeviceType',
  'DeviceStatus',
  'DeviceManufacturer',
  'DeviceModel',
  'SMETSCHTSVersion',
  'DeviceFirmwareVersion',
  'DeviceFirmwareVersionStatus',
  'CPLStatus',
  'DateCommissioned',
  'ImportMPxN',
  'SecondaryImportMPAN',
  'ExportMPAN',
  'ESMEVariant',
  'UPRN',
  'PropertyFilter',
  'CSPRegion',
  'DeviceGBCSVersion',
  'HANVariant',
  'S1SP',
  'Connectivity',
] as const;

// Enumerations of DUIS Schema V5.4 simple types [O].
/** DeviceStatus: every SMI status but NotApplicable (a Type 2 device's record has none). */
const DEVICE_STATUS_VALUES: readonly SmiStatus[] = SMI_STATUSES.filter((s) => s !== 'NotApplicable');
/** FirmwareVersionStatus and CPLStatus share these values. */
export const CPL_STATUS_VALUES = ['Active', 'Cancelled', 'Expired', 'Withdrawn'] as const;
export const CSP_REGIONS = [
  'North',
  'Central',
  'South',
  '4G North',
  '4G Central',
  '4G South',
  'Unknown',
  'SMETS1',
] as const;
// prettier-ignore
export const ESME_VARIANTS = [
  'A', 'B', 'C', 'AD', 'BD', 'CD', 'ADE', 'BDE', 'CDE', 'ADF', 'BDF', 'CDF', 'ADEF', 'BDEF', 'CDEF', 'ADG', 'ADEG',
  'AF', 'BF', 'CF', 'AEF', 'BEF', 'CEF', 'AG', 'AEG',
] as const;

const PATH = 'Response/Body/ResponseMessage/DSPInventory/Device';

function leaf(name: string, text: string): DuisBodyElement {
  return text === '' ? { name, children: [] } : { name, text };
}

function checkLength(field: string, value: string, min: number, max: number): string {
  const n = [...value].length;
  if (n < min || n > max)
    throw new DuisError(`${PATH}/${field}`, `expected ${min}..${max} characters, got ${n}`);
  return value;
}

function checkEnum(field: string, value: string, values: readonly string[]): string {
  if (!values.includes(value))
    throw new DuisError(`${PATH}/${field}`, `"${value}" is not one of ${values.join(', ')}`);
  return value;
}

/** xs:date as the DCC Boxed 8.2 sample writes it: the UTC day with a 'Z' zone, e.g. '2025-12-28Z' [O]. */
export function formatDuisDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 10)}Z`;
}

/** When the device was (last) commissioned, from its status history; undefined when never. */
export function dateCommissionedMs(history: readonly SmiStatusChange[]): number | undefined {
  for (let i = history.length - 1; i >= 0; i--)
    if (history[i]!.to === 'Commissioned') return history[i]!.atMs;
  return undefined;
}

/**
 * One sr:Device of a DSPInventory: the SMI record's fields in schema order, optional ones only when known. No
 * DeviceStatus for NotApplicable (Type 2 Devices; the XSD enumeration has no such value) [O: DCC Boxed CAD]. A value
 * the XSD would refuse is a DuisError naming the field (a bad SMI record, not a business refusal).
 */
export function inventoryDevice(device: SmiDevice, commissionedMs?: number): DuisBodyElement {
  if (!(SMI_DEVICE_TYPES as readonly string[]).includes(device.deviceType))
    throw new DuisError(`${PATH}/DeviceType`, `"${device.deviceType}" is not a DUIS DeviceType`);
  const kids: DuisBodyElement[] = [
    { name: 'DeviceID', text: eui64Hyphenated(device.deviceId) },
    { name: 'DeviceType', text: device.deviceType },
  ];
  if (device.status !== 'NotApplicable')
    kids.push({ name: 'DeviceStatus', text: checkEnum('DeviceStatus', device.status, DEVICE_STATUS_VALUES) });
  kids.push(
    leaf('DeviceManufacturer', checkLength('DeviceManufacturer', device.manufacturer, 0, 30)),
    leaf('DeviceModel', checkLength('DeviceModel', device.model, 0, 30)),
  );
  if (device.smetsChtsVersion !== '')
    kids.push(leaf('SMETSCHTSVersion', checkLength('SMETSCHTSVersion', device.smetsChtsVersion, 1, 20)));
  if (device.firmwareVersion !== '')
    kids.push(
      leaf('DeviceFirmwareVersion', checkLength('DeviceFirmwareVersion', device.firmwareVersion, 1, 8)),
    );
  if (device.firmwareVersionStatus !== '') {
    const v = checkEnum('DeviceFirmwareVersionStatus', device.firmwareVersionStatus, CPL_STATUS_VALUES);
    kids.push(leaf('DeviceFirmwareVersionStatus', v));
  }
  if (device.cplStatus !== '')
    kids.push(leaf('CPLStatus', checkEnum('CPLStatus', device.cplStatus, CPL_STATUS_VALUES)));
  if (commissionedMs !== undefined) kids.push(leaf('DateCommissioned', formatDuisDate(commissionedMs)));
  if (device.importMpxn !== undefined)
    kids.push(leaf('ImportMPxN', checkLength('ImportMPxN', device.importMpxn, 1, 13)));
  if (device.secondaryImportMpan !== undefined)
    kids.push(
      leaf('SecondaryImportMPAN', checkLength('SecondaryImportMPAN', device.secondaryImportMpan, 13, 13)),
    );
  if (device.exportMpan !== undefined)
    kids.push(leaf('ExportMPAN', checkLength('ExportMPAN', device.exportMpan, 13, 13)));
  if (device.esmeVariant !== undefined)
    kids.push(leaf('ESMEVariant', checkEnum('ESMEVariant', device.esmeVariant, ESME_VARIANTS)));
  if (device.uprn !== undefined) {
    if (!Number.isSafeInteger(device.uprn) || device.uprn < 1 || device.uprn > 999_999_999_999)
      throw new DuisError(`${PATH}/UPRN`, `${device.uprn} is not a positive integer of at most 12 digits`);
    kids.push(leaf('UPRN', String(device.uprn)));
  }
  if (device.postCode !== undefined) {
    kids.push({
      name: 'PropertyFilter',
      children: [
        leaf('PostCode', checkLength('PropertyFilter/PostCode', device.postCode, 6, 8)),
        leaf(
          'AddressIdentifier',
          checkLength('PropertyFilter/AddressIdentifier', device.addressIdentifier ?? '', 0, 30),
        ),
      ],
    });
  }
  if (device.cspRegion !== undefined)
    kids.push(leaf('CSPRegion', checkEnum('CSPRegion', device.cspRegion, CSP_REGIONS)));
  if (device.gbcsVersion !== '') kids.push(leaf('DeviceGBCSVersion', device.gbcsVersion));
  if (device.hanVariant !== undefined && device.hanVariant !== '')
    kids.push(leaf('HANVariant', device.hanVariant));
  return { name: 'Device', children: kids };
}

/** An SMI record and, when known, when it was commissioned (for DateCommissioned). */
export interface InventoryEntry {
  readonly device: SmiDevice;
  readonly commissionedMs?: number;
}

/** The 8.2 Read Inventory response payload: sr:DSPInventory with 1..17 sr:Device, in the order given. */
export function inventoryRecord(entries: readonly InventoryEntry[]): DuisBodyElement {
  if (entries.length < 1 || entries.length > MAX_INVENTORY_DEVICES) {
    throw new DuisError(
      'Response/Body/ResponseMessage/DSPInventory',
      `expected 1..${MAX_INVENTORY_DEVICES} devices, got ${entries.length}`,
    );
  }
  return { name: 'DSPInventory', children: entries.map((e) => inventoryDevice(e.device, e.commissionedMs)) };
}

/** Orders SMI records by DeviceID, as Store.findDevices does. */
export function byDeviceId(a: { readonly deviceId: Eui64 }, b: { readonly deviceId: Eui64 }): number {
  return a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0;
}
