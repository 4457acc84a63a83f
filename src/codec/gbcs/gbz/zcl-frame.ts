// ZCL frames inside GBZ components (ZCL 07-5123 2.4): the header (frame control, optional manufacturer
// code, transaction sequence number, command id) and the payload. Global commands that ZCL makes
// self-describing decode to records; every other command keeps its payload as raw bytes.
import type { Reader, Writer } from '../../bytes.js';
import { readU16LE, writeU16LE } from './le.js';
import {
  isAnalogType,
  readDataType,
  readTypedValue,
  readValue,
  writeDataType,
  writeTypedValue,
  writeValue,
  type ZclValue,
} from './zcl-data.js';

export type ZclFrameType = 'global' | 'cluster-specific';
export type ZclDirection = 'client-to-server' | 'server-to-client';

// Frame control bits, ZCL 2.4.1.1.
const FRAME_TYPE_MASK = 0x03;
const MANUFACTURER_SPECIFIC = 0x04;
const SERVER_TO_CLIENT = 0x08;
const DISABLE_DEFAULT_RESPONSE = 0x10;
const RESERVED_BITS = 0xe0;

export interface ZclHeader {
  readonly frameType: ZclFrameType;
  readonly manufacturerSpecific: boolean;
  readonly direction: ZclDirection;
  readonly disableDefaultResponse: boolean;
  /** Present exactly when manufacturerSpecific. */
  readonly manufacturerCode: number | null;
  readonly sequenceNumber: number;
  readonly commandId: number;
}

export type ZclReportDirection = 'reported' | 'received';

export interface ZclReadAttributeStatus {
  readonly attributeId: number;
  readonly status: number;
  /** Present exactly when status is SUCCESS (0x00). */
  readonly value: ZclValue | null;
}

export interface ZclAttributeValue {
  readonly attributeId: number;
  readonly value: ZclValue;
}

export interface ZclWriteAttributeStatus {
  readonly status: number;
  /** Null only in the lone SUCCESS record that stands for "all written" (ZCL 2.5.5.1). */
  readonly attributeId: number | null;
}

export type ZclReportingConfiguration =
  | {
      readonly direction: 'reported';
      readonly attributeId: number;
      readonly dataType: number;
      readonly minimumInterval: number;
      readonly maximumInterval: number;
      /** Present exactly for analog data types, and of that type. */
      readonly reportableChange: ZclValue | null;
    }
  | { readonly direction: 'received'; readonly attributeId: number; readonly timeout: number };

export interface ZclReportingStatus {
  readonly status: number;
  /** Both null only in the lone SUCCESS record that stands for "all configured" (ZCL 2.5.8.1). */
  readonly direction: ZclReportDirection | null;
  readonly attributeId: number | null;
}

export interface ZclAttributeSelector {
  readonly direction: ZclReportDirection;
  readonly attributeId: number;
}

export type ZclPayload =
  | { readonly kind: 'read-attributes'; readonly attributeIds: readonly number[] }
  | { readonly kind: 'read-attributes-response'; readonly records: readonly ZclReadAttributeStatus[] }
  | { readonly kind: 'write-attributes'; readonly records: readonly ZclAttributeValue[] }
  | { readonly kind: 'write-attributes-response'; readonly records: readonly ZclWriteAttributeStatus[] }
  | { readonly kind: 'configure-reporting'; readonly records: readonly ZclReportingConfiguration[] }
  | { readonly kind: 'configure-reporting-response'; readonly records: readonly ZclReportingStatus[] }
  | { readonly kind: 'read-reporting-configuration'; readonly records: readonly ZclAttributeSelector[] }
  | { readonly kind: 'report-attributes'; readonly records: readonly ZclAttributeValue[] }
  | { readonly kind: 'default-response'; readonly commandId: number; readonly status: number }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

export type ZclPayloadKind = ZclPayload['kind'];

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0').toUpperCase();
}

export function readZclHeader(r: Reader, path: string): ZclHeader {
  const at = r.offset;
  const fc = r.u8(`${path}.frame-control`);
  const frameType = fc & FRAME_TYPE_MASK;
  if (frameType > 1) r.fail(`${path}.frame-control`, `reserved frame type ${frameType} (0x${hex2(fc)})`, at);
  if (fc & RESERVED_BITS) r.fail(`${path}.frame-control`, `reserved bits set (0x${hex2(fc)})`, at);
  const manufacturerSpecific = (fc & MANUFACTURER_SPECIFIC) !== 0;
  return {
    frameType: frameType === 0 ? 'global' : 'cluster-specific',
    manufacturerSpecific,
    direction: fc & SERVER_TO_CLIENT ? 'server-to-client' : 'client-to-server',
    disableDefaultResponse: (fc & DISABLE_DEFAULT_RESPONSE) !== 0,
    manufacturerCode: manufacturerSpecific ? readU16LE(r, `${path}.manufacturer-code`) : null,
    sequenceNumber: r.u8(`${path}.sequence-number`),
    commandId: r.u8(`${path}.command-id`),
  };
}

export function writeZclHeader(w: Writer, h: ZclHeader, path: string): void {
  let fc: number;
  if (h.frameType === 'global') fc = 0;
  else if (h.frameType === 'cluster-specific') fc = 1;
  else
    return w.fail(
      `${path}.frame-type`,
      `expected 'global' or 'cluster-specific', got ${String(h.frameType)}`,
    );
  if (h.direction === 'server-to-client') fc |= SERVER_TO_CLIENT;
  else if (h.direction !== 'client-to-server')
    w.fail(
      `${path}.direction`,
      `expected 'client-to-server' or 'server-to-client', got ${String(h.direction)}`,
    );
  if (h.disableDefaultResponse) fc |= DISABLE_DEFAULT_RESPONSE;
  if (h.manufacturerSpecific !== (h.manufacturerCode !== null)) {
    w.fail(`${path}.manufacturer-code`, 'must be present exactly when the frame is manufacturer-specific');
  }
  if (h.manufacturerSpecific) fc |= MANUFACTURER_SPECIFIC;
  w.u8(fc, `${path}.frame-control`);
  if (h.manufacturerCode !== null) writeU16LE(w, h.manufacturerCode, `${path}.manufacturer-code`);
  w.u8(h.sequenceNumber, `${path}.sequence-number`);
  w.u8(h.commandId, `${path}.command-id`);
}

/** A payload layout: both directions declared together, as one value. */
interface PayloadCoder<K extends ZclPayloadKind> {
  readonly kind: K;
  decode(r: Reader, path: string): Extract<ZclPayload, { kind: K }>;
  encode(w: Writer, p: Extract<ZclPayload, { kind: K }>, path: string): void;
}

type AnyPayloadCoder = PayloadCoder<ZclPayloadKind>;

function readDirection(r: Reader, path: string): ZclReportDirection {
  const at = r.offset;
  const d = r.u8(path);
  if (d === 0) return 'reported';
  if (d === 1) return 'received';
  return r.fail(path, `expected 0x00 (reported) or 0x01 (received), got 0x${hex2(d)}`, at);
}

function writeDirection(w: Writer, d: ZclReportDirection, path: string): void {
  if (d === 'reported') w.u8(0, path);
  else if (d === 'received') w.u8(1, path);
  else w.fail(path, `expected 'reported' or 'received', got ${String(d)}`);
}

/** Reads a lone status octet: in ZCL's "all succeeded" form it must be SUCCESS. */
function readLoneSuccess(r: Reader, path: string): number {
  const at = r.offset;
  const status = r.u8(path);
  if (status !== 0)
    r.fail(path, `a status record without attribute must be SUCCESS (0x00), got 0x${hex2(status)}`, at);
  return status;
}

const readAttributes: PayloadCoder<'read-attributes'> = {
  kind: 'read-attributes',
  decode(r, path) {
    if (r.remaining % 2 !== 0) {
      r.fail(
        `${path}.attribute-ids`,
        `${r.remaining} bytes are not a whole number of 2-byte attribute identifiers`,
      );
    }
    const attributeIds: number[] = new Array(r.remaining / 2);
    const idsPath = `${path}.attribute-ids`;
    for (let i = 0; i < attributeIds.length; i++) attributeIds[i] = readU16LE(r, idsPath);
    return { kind: 'read-attributes', attributeIds };
  },
  encode(w, p, path) {
    for (let i = 0; i < p.attributeIds.length; i++)
      writeU16LE(w, p.attributeIds[i]!, `${path}.attribute-ids[${i}]`);
  },
};

const readAttributesResponse: PayloadCoder<'read-attributes-response'> = {
  kind: 'read-attributes-response',
  decode(r, path) {
    const records: ZclReadAttributeStatus[] = [];
    for (let i = 0; !r.atEnd; i++) {
      const p = `${path}.records[${i}]`;
      const attributeId = readU16LE(r, `${p}.attribute-id`);
      const status = r.u8(`${p}.status`);
      const value = status === 0 ? readTypedValue(r, `${p}.value`) : null;
      records.push({ attributeId, status, value });
    }
    return { kind: 'read-attributes-response', records };
  },
  encode(w, p, path) {
    p.records.forEach((rec, i) => {
      const q = `${path}.records[${i}]`;
      writeU16LE(w, rec.attributeId, `${q}.attribute-id`);
      w.u8(rec.status, `${q}.status`);
      if ((rec.status === 0) !== (rec.value !== null))
        w.fail(`${q}.value`, 'must be present exactly when the status is SUCCESS');
      if (rec.value !== null) writeTypedValue(w, rec.value, `${q}.value`);
    });
  },
};

function attributeValues<K extends 'write-attributes' | 'report-attributes'>(kind: K): PayloadCoder<K> {
  return {
    kind,
    decode(r, path) {
      const records: ZclAttributeValue[] = [];
      for (let i = 0; !r.atEnd; i++) {
        const p = `${path}.records[${i}]`;
        records.push({
          attributeId: readU16LE(r, `${p}.attribute-id`),
          value: readTypedValue(r, `${p}.value`),
        });
      }
      return { kind, records } as Extract<ZclPayload, { kind: K }>;
    },
    encode(w, p, path) {
      const records: readonly ZclAttributeValue[] = (p as { records: readonly ZclAttributeValue[] }).records;
      records.forEach((rec, i) => {
        writeU16LE(w, rec.attributeId, `${path}.records[${i}].attribute-id`);
        writeTypedValue(w, rec.value, `${path}.records[${i}].value`);
      });
    },
  };
}

const writeAttributes = attributeValues('write-attributes');
const reportAttributes = attributeValues('report-attributes');

const writeAttributesResponse: PayloadCoder<'write-attributes-response'> = {
  kind: 'write-attributes-response',
  decode(r, path) {
    if (r.remaining === 1) {
      return {
        kind: 'write-attributes-response',
        records: [{ status: readLoneSuccess(r, `${path}.records[0].status`), attributeId: null }],
      };
    }
    const records: ZclWriteAttributeStatus[] = [];
    for (let i = 0; !r.atEnd; i++) {
      const p = `${path}.records[${i}]`;
      records.push({ status: r.u8(`${p}.status`), attributeId: readU16LE(r, `${p}.attribute-id`) });
    }
    return { kind: 'write-attributes-response', records };
  },
  encode(w, p, path) {
    p.records.forEach((rec, i) => {
      const q = `${path}.records[${i}]`;
      if (rec.attributeId === null && (p.records.length !== 1 || rec.status !== 0)) {
        w.fail(`${q}.attribute-id`, 'may be omitted only in a lone SUCCESS record');
      }
      w.u8(rec.status, `${q}.status`);
      if (rec.attributeId !== null) writeU16LE(w, rec.attributeId, `${q}.attribute-id`);
    });
  },
};

const configureReporting: PayloadCoder<'configure-reporting'> = {
  kind: 'configure-reporting',
  decode(r, path) {
    const records: ZclReportingConfiguration[] = [];
    for (let i = 0; !r.atEnd; i++) {
      const p = `${path}.records[${i}]`;
      const direction = readDirection(r, `${p}.direction`);
      const attributeId = readU16LE(r, `${p}.attribute-id`);
      if (direction === 'received') {
        records.push({ direction, attributeId, timeout: readU16LE(r, `${p}.timeout`) });
        continue;
      }
      const dataType = readDataType(r, `${p}.data-type`);
      const minimumInterval = readU16LE(r, `${p}.minimum-interval`);
      const maximumInterval = readU16LE(r, `${p}.maximum-interval`);
      const reportableChange = isAnalogType(dataType)
        ? readValue(r, dataType, `${p}.reportable-change`)
        : null;
      records.push({ direction, attributeId, dataType, minimumInterval, maximumInterval, reportableChange });
    }
    return { kind: 'configure-reporting', records };
  },
  encode(w, p, path) {
    p.records.forEach((rec, i) => {
      const q = `${path}.records[${i}]`;
      writeDirection(w, rec.direction, `${q}.direction`);
      writeU16LE(w, rec.attributeId, `${q}.attribute-id`);
      if (rec.direction === 'received') {
        writeU16LE(w, rec.timeout, `${q}.timeout`);
        return;
      }
      writeDataType(w, rec.dataType, `${q}.data-type`);
      writeU16LE(w, rec.minimumInterval, `${q}.minimum-interval`);
      writeU16LE(w, rec.maximumInterval, `${q}.maximum-interval`);
      const change = rec.reportableChange;
      if (isAnalogType(rec.dataType) !== (change !== null)) {
        w.fail(`${q}.reportable-change`, 'must be present exactly for analog data types');
      }
      if (change !== null) {
        if (change.type !== rec.dataType)
          w.fail(
            `${q}.reportable-change`,
            `must be of the record's data type ${rec.dataType}, got ${change.type}`,
          );
        writeValue(w, change, `${q}.reportable-change`);
      }
    });
  },
};

const configureReportingResponse: PayloadCoder<'configure-reporting-response'> = {
  kind: 'configure-reporting-response',
  decode(r, path) {
    if (r.remaining === 1) {
      const status = readLoneSuccess(r, `${path}.records[0].status`);
      return {
        kind: 'configure-reporting-response',
        records: [{ status, direction: null, attributeId: null }],
      };
    }
    const records: ZclReportingStatus[] = [];
    for (let i = 0; !r.atEnd; i++) {
      const p = `${path}.records[${i}]`;
      const status = r.u8(`${p}.status`);
      const direction = readDirection(r, `${p}.direction`);
      records.push({ status, direction, attributeId: readU16LE(r, `${p}.attribute-id`) });
    }
    return { kind: 'configure-reporting-response', records };
  },
  encode(w, p, path) {
    p.records.forEach((rec, i) => {
      const q = `${path}.records[${i}]`;
      const omitted = rec.direction === null;
      if (omitted !== (rec.attributeId === null))
        w.fail(q, 'direction and attribute id are omitted together or not at all');
      if (omitted && (p.records.length !== 1 || rec.status !== 0))
        w.fail(q, 'attribute may be omitted only in a lone SUCCESS record');
      w.u8(rec.status, `${q}.status`);
      if (rec.direction !== null && rec.attributeId !== null) {
        writeDirection(w, rec.direction, `${q}.direction`);
        writeU16LE(w, rec.attributeId, `${q}.attribute-id`);
      }
    });
  },
};

const readReportingConfiguration: PayloadCoder<'read-reporting-configuration'> = {
  kind: 'read-reporting-configuration',
  decode(r, path) {
    const records: ZclAttributeSelector[] = [];
    for (let i = 0; !r.atEnd; i++) {
      const p = `${path}.records[${i}]`;
      const direction = readDirection(r, `${p}.direction`);
      records.push({ direction, attributeId: readU16LE(r, `${p}.attribute-id`) });
    }
    return { kind: 'read-reporting-configuration', records };
  },
  encode(w, p, path) {
    p.records.forEach((rec, i) => {
      writeDirection(w, rec.direction, `${path}.records[${i}].direction`);
      writeU16LE(w, rec.attributeId, `${path}.records[${i}].attribute-id`);
    });
  },
};

const defaultResponse: PayloadCoder<'default-response'> = {
  kind: 'default-response',
  decode(r, path) {
    const commandId = r.u8(`${path}.command-id`);
    const status = r.u8(`${path}.status`);
    r.finish(path);
    return { kind: 'default-response', commandId, status };
  },
  encode(w, p, path) {
    w.u8(p.commandId, `${path}.command-id`);
    w.u8(p.status, `${path}.status`);
  },
};

const raw: PayloadCoder<'raw'> = {
  kind: 'raw',
  decode(r) {
    return { kind: 'raw', bytes: r.rest() };
  },
  encode(w, p, path) {
    if (!(p.bytes instanceof Uint8Array)) w.fail(`${path}.bytes`, 'must be a Uint8Array');
    w.bytes(p.bytes);
  },
};

/** Global commands decoded as records (ZCL 2.5); any other global command id stays raw. */
const GLOBAL_PAYLOADS: ReadonlyMap<number, AnyPayloadCoder> = new Map<number, AnyPayloadCoder>([
  [0x00, readAttributes],
  [0x01, readAttributesResponse],
  [0x02, writeAttributes],
  [0x03, writeAttributes],
  [0x04, writeAttributesResponse],
  [0x05, writeAttributes],
  [0x06, configureReporting],
  [0x07, configureReportingResponse],
  [0x08, readReportingConfiguration],
  [0x0a, reportAttributes],
  [0x0b, defaultResponse],
] as [number, AnyPayloadCoder][]);

const RAW = raw as AnyPayloadCoder;

/** The one payload layout for a header: manufacturer-specific and cluster-specific commands stay raw. */
function payloadCoderFor(h: ZclHeader): AnyPayloadCoder {
  if (h.frameType !== 'global' || h.manufacturerSpecific) return RAW;
  return GLOBAL_PAYLOADS.get(h.commandId) ?? RAW;
}

/** The payload kind a header's command decodes to. */
export function zclPayloadKindFor(h: ZclHeader): ZclPayloadKind {
  return payloadCoderFor(h).kind;
}

/** Decodes the payload: r must hold exactly the payload bytes. */
export function readZclPayload(r: Reader, h: ZclHeader, path: string): ZclPayload {
  return payloadCoderFor(h).decode(r, path);
}

export function writeZclPayload(w: Writer, h: ZclHeader, p: ZclPayload, path: string): void {
  const coder = payloadCoderFor(h);
  if (p.kind !== coder.kind) {
    w.fail(
      path,
      `a '${String(p.kind)}' payload does not fit command 0x${hex2(h.commandId)} of a ${h.frameType} frame (expects '${coder.kind}')`,
    );
  }
  coder.encode(w, p, path);
}
