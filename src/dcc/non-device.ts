// The DSP's non-device services on the Smart Metering Inventory (Command Variant 8): 8.2 Read Inventory, 8.3
// Decommission Device and 8.4 Update Inventory; and 12.1 Request WAN Matrix, from the SMI and the CSP WAN model. Each
// is planned first (body read, SMI checked, every change computed) and only then applied: a refused request writes
// nothing, and a pipeline may apply a plan inside Store.transaction with its own writes. Who may send each (E1-E4) is
// the pipeline's (srv.ts eligibleRoles); these are the effect.
import {
  choiceCoder,
  enumValue,
  euiValue,
  readInventory as readInventoryBody,
  requestWanMatrix as requestWanMatrixBody,
  sequenceCoder,
  stringValue,
  type Choice,
  type PropertyFilter,
  type ReadInventoryBody,
  type RequestWanMatrixBody,
} from '../codec/duis/bodies.js';
import { DuisError } from '../codec/duis/common.js';
import type { DuisRequestBody } from '../codec/duis/request.js';
import type { ResponseCode } from '../codec/duis/response-codes.js';
import type { ResponsePayload } from '../codec/duis/response.js';
import { srvInfo, type Srv } from '../codec/duis/srv.js';
import type { DuisBodyElement } from '../codec/duis/tree.js';
import { eui64Hyphenated, type Eui64 } from '../codec/eui64.js';
import type { Coverage, WanCoverageSource } from '../routes/wan-model.js';
import type { StoreOps } from '../store/store.js';
import {
  CSP_REGIONS,
  ESME_VARIANTS,
  MAX_INVENTORY_DEVICES,
  SMI_TRANSITIONS,
  applySmiEvent,
  byDeviceId,
  dateCommissionedMs,
  inventoryRecord,
  type InventoryEntry,
  type SmiEvent,
  type SmiTransition,
} from './inventory.js';
import type { DccUser, SmiDevice, SmiDeviceType, SmiStatus } from './types.js';

export interface NonDeviceInput {
  /** sr:Body's one child: the SRV's element (ReadInventory, DecommissionDevice, UpdateInventory). */
  readonly body: DuisRequestBody;
  /** Who sent it (the pipeline has checked E1-E3): services that check registration (E4) read it. */
  readonly user?: DccUser;
}

/**
 * What the DSP answers: I0 with a DSP payload (8.2), I99 (a successful non-device request with no XML data in the
 * response [C: domain brief §3.2]), or a response code with the reason. A body that is not the SRV's grammar is not
 * an outcome: it throws DuisError naming the path, as the transforms' body readers do (src/dcc/transform/body.ts).
 */
export type NonDeviceResult =
  | { readonly ok: true; readonly responseCode: 'I0'; readonly payload: ResponsePayload }
  | { readonly ok: true; readonly responseCode: 'I99'; readonly payload: null }
  | { readonly ok: false; readonly responseCode: ResponseCode; readonly reason: string };

export interface NonDeviceOptions {
  /** The SMI transition table (default SMI_TRANSITIONS); a Policy may replace it. */
  readonly transitions?: readonly SmiTransition[];
}

export type NonDeviceService = (
  input: NonDeviceInput,
  store: StoreOps,
  nowMs: number,
  options?: NonDeviceOptions,
) => Promise<NonDeviceResult>;

/** A service's decision before any write: the answer, and for an accepted request the writes that carry it out. */
export type NonDevicePlan =
  | (Extract<NonDeviceResult, { ok: true }> & { readonly apply: (tx: StoreOps) => Promise<void> })
  | Extract<NonDeviceResult, { ok: false }>;

/** Reads `store` only; never writes. */
export type NonDevicePlanner = (
  input: NonDeviceInput,
  store: StoreOps,
  nowMs: number,
  options?: NonDeviceOptions,
) => Promise<NonDevicePlan>;

/** The service that plans with `planner` and applies the plan to the same store. */
export function serviceOf(planner: NonDevicePlanner): NonDeviceService {
  return async (input, store, nowMs, options) => {
    const plan = await planner(input, store, nowMs, options);
    if (!plan.ok) return plan;
    await plan.apply(store);
    return plan.payload === null
      ? { ok: true, responseCode: 'I99', payload: null }
      : { ok: true, responseCode: 'I0', payload: plan.payload };
  };
}

const NO_WRITES = async (): Promise<void> => {};

/** I99 once `apply` has run. */
function ack(apply: (tx: StoreOps) => Promise<void> = NO_WRITES): NonDevicePlan {
  return { ok: true, responseCode: 'I99', payload: null, apply };
}

function refuse(responseCode: ResponseCode, reason: string): NonDevicePlan {
  return { ok: false, responseCode, reason };
}

function bodyOf(body: DuisRequestBody, srv: Srv): { name: string; children: DuisRequestBody['children'] } {
  const element = srvInfo(srv)!.bodyElement;
  if (body.element !== element)
    throw new DuisError('Request/Body', `expected sr:${element}, got sr:${body.element}`);
  if (body.attributes !== undefined) throw new DuisError(`Request/Body/${element}`, 'unexpected attributes');
  return { name: element, children: body.children };
}

const hyphenated = (id: Eui64): string => eui64Hyphenated(id);

// ---- 8.2 Read Inventory ----------------------------------------------------------------------------------------

function describeQuery(q: ReadInventoryBody): string {
  switch (q.kind) {
    case 'DeviceID':
      return `DeviceID ${hyphenated(q.value)}`;
    case 'MPxN':
      return `MPxN ${q.value}`;
    case 'UPRN':
      return `UPRN ${q.value}`;
    case 'PropertyFilter':
      return `PropertyFilter ${q.value.postCode} / ${q.value.addressIdentifier}`;
  }
}

/** The devices a premise query found, with every other device of their premises [A]. */
async function withPremises(store: StoreOps, found: readonly SmiDevice[]): Promise<SmiDevice[]> {
  const byId = new Map<Eui64, SmiDevice>();
  for (const d of found) byId.set(d.deviceId, d);
  const premises = new Set<number>();
  for (const d of found) if (d.premise !== undefined) premises.add(d.premise);
  for (const p of [...premises].sort((a, b) => a - b))
    for (const d of await store.findDevices({ premise: p })) byId.set(d.deviceId, d);
  return [...byId.values()].sort(byDeviceId);
}

async function matching(store: StoreOps, q: ReadInventoryBody): Promise<SmiDevice[]> {
  switch (q.kind) {
    case 'DeviceID':
      return store.findDevices({ deviceId: q.value });
    case 'MPxN':
      return store.findDevices({ mpxn: q.value });
    case 'UPRN':
      return withPremises(store, await store.findDevices({ uprn: q.value }));
    case 'PropertyFilter': {
      const f: PropertyFilter = q.value;
      return withPremises(
        store,
        await store.findDevices({ postCode: f.postCode, addressIdentifier: f.addressIdentifier }),
      );
    }
  }
}

/**
 * 8.2 Read Inventory: by DeviceID the device; by MPxN the meter(s) with that import MPxN; by UPRN or PropertyFilter
 * every device of the premise(s) found [A]. Devices are in DeviceID order with DateCommissioned from their status
 * history; at most 17 (the XSD's DSPInventory bound), the first 17 by DeviceID when more match [A]. Nothing matches:
 * E19 [A] (DUIS's own outcome is not public; the XSD's 8.2 codes E080201/E080202 have no known meaning [gap]).
 * Every status is readable, Decommissioned included [A].
 */
export const planReadInventory: NonDevicePlanner = async (input, store) => {
  const query = readInventoryBody.decode(input.body);
  const devices = (await matching(store, query)).slice(0, MAX_INVENTORY_DEVICES);
  if (devices.length === 0) return refuse('E19', `8.2: no device in the SMI matches ${describeQuery(query)}`);
  const entries: InventoryEntry[] = [];
  for (const device of devices) {
    const commissionedMs = dateCommissionedMs(await store.statusHistory(device.deviceId));
    entries.push(commissionedMs === undefined ? { device } : { device, commissionedMs });
  }
  const tree = inventoryRecord(entries);
  return { ok: true, responseCode: 'I0', payload: { kind: 'DSPInventory', tree }, apply: NO_WRITES };
};

// ---- status changes shared by 8.3 and 8.4 ----------------------------------------------------------------------

/** `event` through the transition table: the device and its history entry to write, or the refusal. */
function changeStatus(
  device: SmiDevice,
  event: SmiEvent,
  nowMs: number,
  cause: Srv,
  table: readonly SmiTransition[],
): NonDevicePlan {
  const r = applySmiEvent(device, event, nowMs, cause, table);
  if (!r.ok) return refuse(r.code, `${cause}: ${r.reason}`);
  const change = r.change;
  if (change === null) return ack();
  return ack(async (tx) => {
    await tx.putDevice(r.device);
    await tx.addStatusChange(change);
  });
}

// ---- 8.3 Decommission Device -----------------------------------------------------------------------------------

const decommissionBody = sequenceCoder<{ deviceId: Eui64 }>([
  { key: 'deviceId', element: 'DeviceID', coder: euiValue },
]);

/**
 * 8.3 Decommission Device (body: DeviceID): the device becomes Decommissioned through the transition table, with an
 * '8.3' history entry; E19 when it is not in the SMI, E5 from a status the table refuses (Pending, Decommissioned,
 * Withdrawn, Recovery, NotApplicable) [A]. The DCC alerts to other Users (MeterDecommissioningOrWithdrawal,
 * CHFDecommissioning in the XSD) are not raised here.
 */
export const planDecommissionDevice: NonDevicePlanner = async (input, store, nowMs, options) => {
  const { deviceId } = decommissionBody.decode(bodyOf(input.body, '8.3'), 'Request/Body/DecommissionDevice');
  const device = await store.getDevice(deviceId);
  if (device === undefined) return refuse('E19', `8.3: ${hyphenated(deviceId)} is not in the SMI`);
  // E4: only the supplier the SMI registers for the device may decommission it [A: as for device SRVs].
  const user = input.user?.eui;
  if (user !== undefined && device.supplier !== undefined && device.supplier !== user)
    return refuse(
      'E4',
      `8.3: ${hyphenated(user)} is not the supplier registered for ${hyphenated(deviceId)}`,
    );
  return changeStatus(device, 'decommissioned', nowMs, '8.3', options?.transitions ?? SMI_TRANSITIONS);
};

// ---- 8.4 Update Inventory --------------------------------------------------------------------------------------

/** UpdateDeviceDetails (DUIS Schema V5.4): each field optional; present ones replace the SMI's. */
export interface DeviceDetailsUpdate {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly smetsChtsVersion?: string;
  readonly firmwareVersion?: string;
  readonly esmeVariant?: string;
}

export type MpxnUpdate = Choice<{ ImportMPxN: string; SecondaryImportMPAN: string; ExportMPAN: string }>;

export type InventoryUpdate = Choice<{
  UpdateDeviceStatusExceptCH: 'Pending' | 'InstalledNotCommissioned';
  UpdateDeviceStatusCH: 'Commissioned' | 'Withdrawn' | 'InstalledNotCommissioned';
  UpdateDeviceDetails: DeviceDetailsUpdate;
  DeleteDevice: object;
  UpdateMPxN: MpxnUpdate;
}>;

export interface UpdateInventoryBody {
  readonly deviceId: Eui64;
  readonly update: InventoryUpdate;
}

// Facets as DUIS Schema V5.4 declares them: UpdateDeviceStatusExceptCH, UpdateDeviceStatusCH, UpdateDeviceDetails
// (DeviceManufacturer/DeviceModel ≤30, SMETSCHTSVersion 1..20, FirmwareVersion 1..8, ESMEVariant), DeleteDevice
// (empty), UpdateMPxN (ImportMPxN 1..13, SecondaryImportMPAN/ExportMPAN 13) [O].
const updateChoice = choiceCoder<{
  UpdateDeviceStatusExceptCH: 'Pending' | 'InstalledNotCommissioned';
  UpdateDeviceStatusCH: 'Commissioned' | 'Withdrawn' | 'InstalledNotCommissioned';
  UpdateDeviceDetails: DeviceDetailsUpdate;
  DeleteDevice: object;
  UpdateMPxN: MpxnUpdate;
}>({
  UpdateDeviceStatusExceptCH: enumValue(['Pending', 'InstalledNotCommissioned'] as const),
  UpdateDeviceStatusCH: enumValue(['Commissioned', 'Withdrawn', 'InstalledNotCommissioned'] as const),
  UpdateDeviceDetails: sequenceCoder<DeviceDetailsUpdate>([
    { key: 'manufacturer', element: 'DeviceManufacturer', coder: stringValue(0, 30), optional: true },
    { key: 'model', element: 'DeviceModel', coder: stringValue(0, 30), optional: true },
    { key: 'smetsChtsVersion', element: 'SMETSCHTSVersion', coder: stringValue(1, 20), optional: true },
    { key: 'firmwareVersion', element: 'FirmwareVersion', coder: stringValue(1, 8), optional: true },
    {
      key: 'esmeVariant',
      element: 'ESMEVariant',
      coder: enumValue(ESME_VARIANTS),
      optional: true,
    },
  ]),
  DeleteDevice: sequenceCoder<object>([]),
  UpdateMPxN: choiceCoder({
    ImportMPxN: stringValue(1, 13),
    SecondaryImportMPAN: stringValue(13, 13),
    ExportMPAN: stringValue(13, 13),
  }),
});

/** Reads an 8.4 body: sr:DeviceID, then one of the five changes (DUIS Schema V5.4 complexType UpdateInventory). */
export function decodeUpdateInventory(body: DuisRequestBody): UpdateInventoryBody {
  const path = 'Request/Body/UpdateInventory';
  const node = bodyOf(body, '8.4');
  const [first, ...rest] = node.children;
  if (first === undefined || first.name !== 'DeviceID' || first.namespace !== undefined)
    throw new DuisError(
      path,
      first === undefined ? 'missing sr:DeviceID' : `expected sr:DeviceID, got ${first.name}`,
    );
  const deviceId = euiValue.decode(first, `${path}/DeviceID`);
  const update = updateChoice.decode({ name: node.name, children: rest }, path);
  return { deviceId, update };
}

const CH_TYPES: readonly SmiDeviceType[] = ['CHF', 'GPF'];
const METER_TYPES: readonly SmiDeviceType[] = ['ESME', 'GSME'];
/** [A] Statuses in which a device's details and MPxN may no longer be changed. */
const FROZEN: readonly SmiStatus[] = ['Decommissioned', 'Withdrawn'];

/** The event each 8.4 status value raises in the transition table. */
const STATUS_EVENTS: Readonly<
  Record<'Pending' | 'InstalledNotCommissioned' | 'Commissioned' | 'Withdrawn', SmiEvent>
> = {
  Pending: 'statusSetPending',
  InstalledNotCommissioned: 'statusSetInstalledNotCommissioned',
  Commissioned: 'commissioned',
  Withdrawn: 'withdrawn',
};

/**
 * 8.4 Update Inventory (body: DeviceID and one change) [A throughout, DUIS's rules not being public]:
 * - UpdateDeviceStatusExceptCH (Pending | InstalledNotCommissioned): not for a CHF/GPF (E11); through the table.
 * - UpdateDeviceStatusCH (Commissioned | Withdrawn | InstalledNotCommissioned): CHF/GPF only (E11); through the table.
 * - UpdateDeviceDetails: the fields given replace the SMI's (ESMEVariant only on an ESME, E11); E5 once the device is
 *   Decommissioned or Withdrawn.
 * - DeleteDevice: removes a Pending (never installed) or NotApplicable (Type 2) record and its history; E5 otherwise.
 * - UpdateMPxN: a meter's ImportMPxN, an ESME's SecondaryImportMPAN / ExportMPAN (E11 for other devices); E5 once
 *   Decommissioned or Withdrawn.
 * E19 when the device is not in the SMI. Status changes append an '8.4' history entry.
 */
export const planUpdateInventory: NonDevicePlanner = async (input, store, nowMs, options) => {
  const { deviceId, update } = decodeUpdateInventory(input.body);
  const device = await store.getDevice(deviceId);
  const id = hyphenated(deviceId);
  if (device === undefined) return refuse('E19', `8.4: ${id} is not in the SMI`);
  const table = options?.transitions ?? SMI_TRANSITIONS;
  const type = device.deviceType;
  switch (update.kind) {
    case 'UpdateDeviceStatusExceptCH':
      if (CH_TYPES.includes(type))
        return refuse(
          'E11',
          `8.4: UpdateDeviceStatusExceptCH does not apply to a ${type}; use UpdateDeviceStatusCH`,
        );
      return changeStatus(device, STATUS_EVENTS[update.value], nowMs, '8.4', table);
    case 'UpdateDeviceStatusCH':
      if (!CH_TYPES.includes(type))
        return refuse('E11', `8.4: UpdateDeviceStatusCH applies to a CHF or GPF, not a ${type}`);
      return changeStatus(device, STATUS_EVENTS[update.value], nowMs, '8.4', table);
    case 'UpdateDeviceDetails': {
      if (FROZEN.includes(device.status))
        return refuse('E5', `8.4: the details of ${id} cannot change once it is ${device.status}`);
      const d = update.value;
      if (d.esmeVariant !== undefined && type !== 'ESME')
        return refuse('E11', `8.4: ESMEVariant applies to an ESME, not a ${type}`);
      if (Object.values(d).every((v) => v === undefined)) return ack();
      const updated: SmiDevice = {
        ...device,
        ...(d.manufacturer === undefined ? {} : { manufacturer: d.manufacturer }),
        ...(d.model === undefined ? {} : { model: d.model }),
        ...(d.smetsChtsVersion === undefined ? {} : { smetsChtsVersion: d.smetsChtsVersion }),
        ...(d.firmwareVersion === undefined ? {} : { firmwareVersion: d.firmwareVersion }),
        ...(d.esmeVariant === undefined ? {} : { esmeVariant: d.esmeVariant }),
      };
      return ack((tx) => tx.putDevice(updated));
    }
    case 'DeleteDevice': {
      if (device.status !== 'Pending' && device.status !== 'NotApplicable')
        return refuse(
          'E5',
          `8.4: ${id} is ${device.status}; only a Pending or NotApplicable record can be deleted`,
        );
      return ack(async (tx) => {
        await tx.deleteDevice(deviceId);
      });
    }
    case 'UpdateMPxN': {
      const m = update.value;
      if (m.kind === 'ImportMPxN' ? !METER_TYPES.includes(type) : type !== 'ESME')
        return refuse('E11', `8.4: ${m.kind} does not apply to a ${type}`);
      if (FROZEN.includes(device.status))
        return refuse('E5', `8.4: the MPxN of ${id} cannot change once it is ${device.status}`);
      const field = {
        ImportMPxN: 'importMpxn',
        SecondaryImportMPAN: 'secondaryImportMpan',
        ExportMPAN: 'exportMpan',
      } as const;
      const updated: SmiDevice = { ...device, [field[m.kind]]: m.value };
      return ack((tx) => tx.putDevice(updated));
    }
  }
};

// ---- 12.1 Request WAN Matrix ----------------------------------------------------------------------------------

type CspRegion = (typeof CSP_REGIONS)[number];

/**
 * WANTechnology by CSP region [A: the names are ours; the technologies as the CSPs describe their SM WANs: long-range
 * radio in the North, cellular in Central and South with mesh in the South, 4G in the 4G regions].
 */
const WAN_TECHNOLOGY: Readonly<Record<CspRegion, string>> = {
  North: 'Long Range Radio',
  Central: 'Cellular',
  South: 'Cellular and Mesh',
  '4G North': '4G Cellular',
  '4G Central': '4G Cellular',
  '4G South': '4G Cellular',
  Unknown: 'Unknown',
  SMETS1: 'SMETS1',
};

/** ConnectivityLikelihood by the WAN model's coverage [A]. */
const CONNECTIVITY: Readonly<Record<Coverage, 'High' | 'Medium' | 'Low'>> = {
  good: 'High',
  intermittent: 'Medium',
  none: 'Low',
};

/** AdditionalInformation (≤ 250 characters) by coverage [A]. */
const COVERAGE_NOTE: Readonly<Record<Coverage, string | undefined>> = {
  good: undefined,
  intermittent: 'SM WAN connection intermittent: messages may be held by the CSP for hours before delivery',
  none: 'No SM WAN coverage at this premise',
};

/** [A] At most this many premises are answered (DSPWANMatrixResponse is unbounded in the XSD). */
export const MAX_WAN_MATRIX_PREMISES = 50;

/** The post code as given, collapsed and upper-cased, without its space and with one before the inward code. */
function postCodeForms(postCode: string): string[] {
  const compact = postCode.replace(/\s+/g, '').toUpperCase();
  const spaced = compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
  return [...new Set([postCode, postCode.trim().replace(/\s+/g, ' ').toUpperCase(), compact, spaced])];
}

async function wanMatrixDevices(store: StoreOps, q: RequestWanMatrixBody): Promise<SmiDevice[]> {
  if (q.kind === 'UPRN') return store.findDevices({ uprn: q.value });
  const found: SmiDevice[] = [];
  const identifier = q.value.addressIdentifier;
  for (const postCode of postCodeForms(q.value.postCode))
    for (const addressIdentifier of new Set([identifier, identifier.trim()]))
      found.push(...(await store.findDevices({ postCode, addressIdentifier })));
  return found;
}

/** The premise's CSP region as the SMI records it (its CHF's first), 'Unknown' when none is recorded. */
function regionOf(devices: readonly SmiDevice[]): CspRegion {
  const chfFirst = [...devices].sort(
    (a, b) => Number(b.deviceType === 'CHF') - Number(a.deviceType === 'CHF'),
  );
  const region = chfFirst.find((d) => d.cspRegion !== undefined)?.cspRegion;
  return CSP_REGIONS.find((r) => r === region) ?? 'Unknown';
}

function matrixResponse(region: CspRegion, coverage: Coverage): DuisBodyElement {
  const note = COVERAGE_NOTE[coverage];
  return {
    name: 'DSPWANMatrixResponse',
    children: [
      { name: 'CSPRegion', text: region },
      { name: 'CSPRegionResponseCode', text: 'I0' },
      { name: 'CoverageAvailability', text: coverage === 'none' ? 'false' : 'true' },
      { name: 'WANTechnology', text: WAN_TECHNOLOGY[region] },
      { name: 'ConnectivityLikelihood', text: CONNECTIVITY[coverage] },
      ...(note === undefined ? [] : [{ name: 'AdditionalInformation', text: note }]),
    ],
  };
}

/**
 * 12.1 Request WAN Matrix (body: UPRN or PartialAddress; DUIS has no query by device), answered at once from the SMI
 * and the CSP WAN model [A throughout, DUIS's rules not being public]:
 * - UPRN: the premises of the SMI devices with that UPRN. PartialAddress: those with that post code (as given, or
 *   normalised: upper case, with or without the space before the inward code) and exactly that AddressIdentifier —
 *   the SMI offers no partial match.
 * - One DSPWANMatrixResponse per premise found, in premise order, at most MAX_WAN_MATRIX_PREMISES: CSPRegion from the
 *   SMI (its CHF's record first; 'Unknown' if none), CSPRegionResponseCode I0, CoverageAvailability (coverage not
 *   'none'), WANTechnology by region, ConnectivityLikelihood High / Medium / Low for good / intermittent / none, and
 *   AdditionalInformation for the last two. The sr:Request echoes the query as read.
 * - Nothing found: E19, as 8.2 answers (the XSD's E120101–E120103 have no known meaning [gap]).
 */
export function planRequestWanMatrix(wan: WanCoverageSource): NonDevicePlanner {
  return async (input, store) => {
    const query = requestWanMatrixBody.decode(input.body);
    const byPremise = new Map<number, SmiDevice[]>();
    for (const d of await wanMatrixDevices(store, query))
      if (d.premise !== undefined) byPremise.set(d.premise, [...(byPremise.get(d.premise) ?? []), d]);
    if (byPremise.size === 0) {
      const what =
        query.kind === 'UPRN'
          ? `UPRN ${query.value}`
          : `PartialAddress ${query.value.postCode} / ${query.value.addressIdentifier}`;
      return refuse('E19', `12.1: no premise in the SMI matches ${what}`);
    }
    const premises = [...byPremise.keys()].sort((a, b) => a - b).slice(0, MAX_WAN_MATRIX_PREMISES);
    const tree: DuisBodyElement = {
      name: 'DSPWANMatrix',
      children: [
        { name: 'Request', children: requestWanMatrixBody.encode(query).children },
        ...premises.map((p) => matrixResponse(regionOf(byPremise.get(p)!), wan.coverage(p))),
      ],
    };
    return { ok: true, responseCode: 'I0', payload: { kind: 'DSPWANMatrix', tree }, apply: NO_WRITES };
  };
}

export const readInventory: NonDeviceService = serviceOf(planReadInventory);
export const decommissionDevice: NonDeviceService = serviceOf(planDecommissionDevice);
export const updateInventory: NonDeviceService = serviceOf(planUpdateInventory);

/** The inventory services' planners by SRV (a pipeline applies the plan in its own transaction). */
export const NON_DEVICE_PLANNERS: ReadonlyMap<Srv, NonDevicePlanner> = new Map<Srv, NonDevicePlanner>([
  ['8.2', planReadInventory],
  ['8.3', planDecommissionDevice],
  ['8.4', planUpdateInventory],
]);

/** The inventory services by SRV: plan, then apply to the store given. */
export const NON_DEVICE_SERVICES: ReadonlyMap<Srv, NonDeviceService> = new Map<Srv, NonDeviceService>([
  ['8.2', readInventory],
  ['8.3', decommissionDevice],
  ['8.4', updateInventory],
]);
