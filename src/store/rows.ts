// Rows ↔ records for the Store: checks on what goes in (RangeError naming the field), uint64 as 20-digit text,
// bytes as plain Uint8Array, absent optional fields as NULL and back as absent keys.
import type { UserRole } from '../codec/duis/srv.js';
import type { Eui64 } from '../codec/eui64.js';
import type {
  DccUser,
  DccUserStatus,
  SmiDevice,
  SmiDeviceType,
  SmiStatus,
  SmiStatusChange,
} from '../dcc/types.js';
import type { FirmwareDistribution } from '../devices/types.js';
import type {
  DeviceLogReport,
  FirmwareTrackingRecord,
  OutboundKind,
  OutboundNew,
  OutboundRecord,
  OutboundState,
  OutboundUpdate,
  RequestRecord,
  RequestState,
} from './store.js';
import type { Selectable } from 'kysely';
import type {
  DevicesTable,
  FirmwareTrackingTable,
  OutboundTable,
  RequestsTable,
  UsersTable,
} from './schema.js';

const UINT64_MAX = (1n << 64n) - 1n;

/** A uint64 as 20 zero-padded decimal digits: exact, and ordered as text the way it is as a number. */
export function uint64Text(field: string, value: bigint): string {
  if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX)
    throw new RangeError(`${field} must be a bigint in 0..2^64-1, got ${String(value)}`);
  return value.toString().padStart(20, '0');
}

export function uint64FromText(text: string): bigint {
  return BigInt(text);
}

/** Integers stored as BIGINT (virtual ms, premise ids, UPRNs, counts). */
export function int(field: string, value: number): number {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${field} must be a safe integer, got ${String(value)}`);
  return value;
}

/** PostgreSQL text cannot hold U+0000; refusing it on both databases keeps them alike. */
export function text(field: string, value: string): string {
  if (typeof value !== 'string') throw new RangeError(`${field} must be a string, got ${typeof value}`);
  if (value.includes('\0')) throw new RangeError(`${field} must not contain U+0000`);
  return value;
}

const optInt = (field: string, v: number | undefined) => (v === undefined ? null : int(field, v));
const optText = (field: string, v: string | undefined) => (v === undefined ? null : text(field, v));
const optUint64 = (field: string, v: bigint | undefined) => (v === undefined ? null : uint64Text(field, v));

export function bytesIn(field: string, v: Uint8Array | undefined): Uint8Array | null {
  if (v === undefined) return null;
  if (!(v instanceof Uint8Array)) throw new RangeError(`${field} must be a Uint8Array`);
  // Both drivers take a Buffer for BLOB / BYTEA; this one shares the caller's memory.
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A plain Uint8Array copy of what the driver returned (a Buffer, possibly a view of a pooled slab). */
export const bytesOut = (v: Uint8Array): Uint8Array => new Uint8Array(v);

/** `{ [key]: value }`, or `{}` for NULL: the record never has an undefined-valued key. */
function opt<K extends string, V>(key: K, v: V | null): { [P in K]?: V };
function opt<K extends string, V, W>(key: K, v: V | null, map: (v: V) => W): { [P in K]?: W };
function opt<K extends string, V, W>(key: K, v: V | null, map?: (v: V) => W): { [P in K]?: V | W } {
  if (v === null) return {};
  return { [key]: map ? map(v) : v } as { [P in K]?: V | W };
}

const eui = (v: string) => v as Eui64;

export function userRow(u: DccUser): UsersTable {
  return {
    eui: text('user.eui', u.eui),
    roles: JSON.stringify(u.roles.map((r, i) => text(`user.roles[${i}]`, r))),
    status: text('user.status', u.status),
    receiver_url: optText('user.receiverUrl', u.receiverUrl),
    name: optText('user.name', u.name),
  };
}

export function userFromRow(r: UsersTable): DccUser {
  return {
    eui: eui(r.eui),
    roles: JSON.parse(r.roles) as UserRole[],
    status: r.status as DccUserStatus,
    ...opt('receiverUrl', r.receiver_url),
    ...opt('name', r.name),
  };
}

export function deviceRow(d: SmiDevice): DevicesTable {
  return {
    device_id: text('device.deviceId', d.deviceId),
    device_type: text('device.deviceType', d.deviceType),
    status: text('device.status', d.status),
    premise: optInt('device.premise', d.premise),
    chf: optText('device.chf', d.chf),
    gpf: optText('device.gpf', d.gpf),
    associated_meter: optText('device.associatedMeter', d.associatedMeter),
    manufacturer: text('device.manufacturer', d.manufacturer),
    model: text('device.model', d.model),
    smets_chts_version: text('device.smetsChtsVersion', d.smetsChtsVersion),
    firmware_version: text('device.firmwareVersion', d.firmwareVersion),
    firmware_version_status: text('device.firmwareVersionStatus', d.firmwareVersionStatus),
    cpl_status: text('device.cplStatus', d.cplStatus),
    gbcs_version: text('device.gbcsVersion', d.gbcsVersion),
    import_mpxn: optText('device.importMpxn', d.importMpxn),
    secondary_import_mpan: optText('device.secondaryImportMpan', d.secondaryImportMpan),
    export_mpan: optText('device.exportMpan', d.exportMpan),
    esme_variant: optText('device.esmeVariant', d.esmeVariant),
    han_variant: optText('device.hanVariant', d.hanVariant),
    uprn: optInt('device.uprn', d.uprn),
    post_code: optText('device.postCode', d.postCode),
    address_identifier: optText('device.addressIdentifier', d.addressIdentifier),
    csp_region: optText('device.cspRegion', d.cspRegion),
    supplier: optText('device.supplier', d.supplier),
    network_operator: optText('device.networkOperator', d.networkOperator),
  };
}

export function deviceFromRow(r: DevicesTable): SmiDevice {
  return {
    deviceId: eui(r.device_id),
    deviceType: r.device_type as SmiDeviceType,
    status: r.status as SmiStatus,
    ...opt('premise', r.premise),
    ...opt('chf', r.chf, eui),
    ...opt('gpf', r.gpf, eui),
    ...opt('associatedMeter', r.associated_meter, eui),
    manufacturer: r.manufacturer,
    model: r.model,
    smetsChtsVersion: r.smets_chts_version,
    firmwareVersion: r.firmware_version,
    firmwareVersionStatus: r.firmware_version_status,
    cplStatus: r.cpl_status,
    gbcsVersion: r.gbcs_version,
    ...opt('importMpxn', r.import_mpxn),
    ...opt('secondaryImportMpan', r.secondary_import_mpan),
    ...opt('exportMpan', r.export_mpan),
    ...opt('esmeVariant', r.esme_variant),
    ...opt('hanVariant', r.han_variant),
    ...opt('uprn', r.uprn),
    ...opt('postCode', r.post_code),
    ...opt('addressIdentifier', r.address_identifier),
    ...opt('cspRegion', r.csp_region),
    ...opt('supplier', r.supplier, eui),
    ...opt('networkOperator', r.network_operator, eui),
  };
}

export interface StatusRow {
  device_id: string;
  at_ms: number;
  from_status: string | null;
  to_status: string;
  cause: string;
}

export function statusRow(c: SmiStatusChange): StatusRow {
  return {
    device_id: text('change.deviceId', c.deviceId),
    at_ms: int('change.atMs', c.atMs),
    from_status: c.from === null ? null : text('change.from', c.from),
    to_status: text('change.to', c.to),
    cause: text('change.cause', c.cause),
  };
}

export function statusFromRow(r: StatusRow): SmiStatusChange {
  return {
    deviceId: eui(r.device_id),
    atMs: r.at_ms,
    from: r.from_status as SmiStatus | null,
    to: r.to_status as SmiStatus,
    cause: r.cause,
  };
}

export function requestRow(q: RequestRecord): RequestsTable {
  return {
    request_id: text('request.requestId', q.requestId),
    user_eui: text('request.user', q.user),
    target_eui: text('request.target', q.target),
    counter: uint64Text('request.counter', q.counter),
    srv: text('request.srv', q.srv),
    command_variant: int('request.commandVariant', q.commandVariant),
    state: text('request.state', q.state),
    premise: optInt('request.premise', q.premise),
    command: bytesIn('request.command', q.command),
    gbcs_originator: optText('request.gbcsOriginator', q.gbcsOriginator),
    gbcs_counter: optUint64('request.gbcsCounter', q.gbcsCounter),
    accepted_ms: int('request.acceptedMs', q.acceptedMs),
    deadline_ms: optInt('request.deadlineMs', q.deadlineMs),
    execution_ms: optInt('request.executionMs', q.executionMs),
    response_code: optText('request.responseCode', q.responseCode),
    response: bytesIn('request.response', q.response),
  };
}

export function requestFromRow(r: RequestsTable): RequestRecord {
  return {
    requestId: r.request_id,
    user: eui(r.user_eui),
    target: eui(r.target_eui),
    counter: uint64FromText(r.counter),
    srv: r.srv,
    commandVariant: r.command_variant,
    state: r.state as RequestState,
    ...opt('premise', r.premise),
    ...opt('command', r.command, bytesOut),
    ...opt('gbcsOriginator', r.gbcs_originator, eui),
    ...opt('gbcsCounter', r.gbcs_counter, uint64FromText),
    acceptedMs: r.accepted_ms,
    ...opt('deadlineMs', r.deadline_ms),
    ...opt('executionMs', r.execution_ms),
    ...opt('responseCode', r.response_code),
    ...opt('response', r.response, bytesOut),
  };
}

/** An outbox row as inserted: everything but the id the database assigns. */
export type OutboundRowIn = Omit<Selectable<OutboundTable>, 'id'>;

export function outboundRow(m: OutboundNew): OutboundRowIn {
  return {
    user_eui: text('message.user', m.user),
    kind: text('message.kind', m.kind),
    xml: text('message.xml', m.xml),
    request_id: optText('message.requestId', m.requestId),
    created_ms: int('message.createdMs', m.createdMs),
    next_attempt_ms: int('message.nextAttemptMs', m.nextAttemptMs),
    expires_ms: int('message.expiresMs', m.expiresMs),
    attempts: 0,
    state: 'pending',
    last_error: null,
  };
}

export function outboundUpdateRow(u: OutboundUpdate) {
  return {
    state: text('update.state', u.state),
    attempts: int('update.attempts', u.attempts),
    next_attempt_ms: int('update.nextAttemptMs', u.nextAttemptMs),
    last_error: optText('update.lastError', u.lastError),
  };
}

export function outboundFromRow(r: Selectable<OutboundTable>): OutboundRecord {
  return {
    id: r.id,
    user: eui(r.user_eui),
    kind: r.kind as OutboundKind,
    xml: r.xml,
    ...opt('requestId', r.request_id),
    createdMs: r.created_ms,
    nextAttemptMs: r.next_attempt_ms,
    expiresMs: r.expires_ms,
    attempts: r.attempts,
    state: r.state as OutboundState,
    ...opt('lastError', r.last_error),
  };
}

/** A Device Log report as one JSON text: EUI-64s as they are, link-key hashes in hex. */
export function deviceLogReportRow(r: DeviceLogReport): { chf: string; report: string } {
  const report = {
    extendedPanId: text('deviceLogReport.extendedPanId', r.extendedPanId),
    entries: r.entries.map((e) => ({
      device: e.device,
      linkKeyHash: Buffer.from(e.linkKeyHash).toString('hex'),
    })),
    atMs: int('deviceLogReport.atMs', r.atMs),
  };
  return { chf: text('deviceLogReport.chf', r.chf), report: JSON.stringify(report) };
}

export function deviceLogReportFromRow(row: { chf: string; report: string }): DeviceLogReport {
  const r = JSON.parse(row.report) as {
    extendedPanId: string;
    entries: { device: string; linkKeyHash: string }[];
    atMs: number;
  };
  return {
    chf: eui(row.chf),
    extendedPanId: eui(r.extendedPanId),
    entries: r.entries.map((e) => ({
      device: eui(e.device),
      linkKeyHash: Uint8Array.from(Buffer.from(e.linkKeyHash, 'hex')),
    })),
    atMs: r.atMs,
  };
}

export function firmwareTrackingRow(r: FirmwareTrackingRecord): FirmwareTrackingTable {
  const d = r.distribution;
  const distribution = {
    requestId: text('tracking.distribution.requestId', d.requestId),
    image: text('tracking.distribution.image', d.image),
    size: int('tracking.distribution.size', d.size),
    manufacturerCode: int('tracking.distribution.manufacturerCode', d.manufacturerCode),
    imageType: int('tracking.distribution.imageType', d.imageType),
    fileVersion: int('tracking.distribution.fileVersion', d.fileVersion),
    targets: d.targets.map((t, i) => text(`tracking.distribution.targets[${i}]`, t)),
    activation: text('tracking.distribution.activation', d.activation),
  };
  return {
    device_id: text('tracking.device', r.device),
    request_id: text('tracking.requestId', r.requestId),
    user_eui: text('tracking.user', r.user),
    srv: text('tracking.srv', r.srv),
    firmware_version: text('tracking.firmwareVersion', r.firmwareVersion),
    state: text('tracking.state', r.state),
    premise: int('tracking.premise', r.premise),
    chf: text('tracking.chf', r.chf),
    deadline_ms: int('tracking.deadlineMs', r.deadlineMs),
    distribution: JSON.stringify(distribution),
    reason: optText('tracking.reason', r.reason),
  };
}

export function firmwareTrackingFromRow(r: FirmwareTrackingTable): FirmwareTrackingRecord {
  const d = JSON.parse(r.distribution) as FirmwareDistribution;
  return {
    device: eui(r.device_id),
    requestId: r.request_id,
    user: eui(r.user_eui),
    srv: r.srv as FirmwareTrackingRecord['srv'],
    firmwareVersion: r.firmware_version,
    state: r.state as FirmwareTrackingRecord['state'],
    premise: r.premise,
    chf: eui(r.chf),
    deadlineMs: r.deadline_ms,
    distribution: { ...d, targets: d.targets.map(eui) },
    ...opt('reason', r.reason),
  };
}
