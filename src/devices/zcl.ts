// The ZigBee Smart Energy vocabulary the GBZ devices (GSME, GPF, PPMID, HCALCS) speak inside GBZ payloads (GBCS 7.2; ZSE 1.4 clusters): cluster
// and attribute identifiers, the fixed little-endian fields of cluster-specific commands, and the response shapes
// RTDS 4.5.0 shows — one Default Response per command component, Read Attributes Responses, and responses that
// carry a date-time in their grouping header.
import type { GbcsPayload } from '../codec/gbcs/payload.js';
import type {
  GbzComponent,
  GbzEncryptedComponent,
  GbzPayload,
  GbzPlainComponent,
  ZclHeader,
  ZclPayload,
} from '../codec/gbcs/gbz/index.js';
import { dlmsDateTimeAt } from './outbound.js';
import type { Accepted } from './security.js';

/** ZCL cluster identifiers the gas use cases carry (ZSE 1.4; RTDS 4.5.0) [O]. */
export const CLUSTER = {
  otaUpgrade: 0x0019,
  price: 0x0700,
  metering: 0x0702,
  prepayment: 0x0705,
  calendar: 0x0707,
  deviceManagement: 0x0708,
} as const;

/** ZCL status codes used in answers (ZCL 07-5123 2.5.3). */
export const ZCL_STATUS = {
  success: 0x00,
  failure: 0x01,
  malformedCommand: 0x80,
  unsupportedClusterCommand: 0x81,
  unsupportedGeneralCommand: 0x82,
  unsupportedAttribute: 0x86,
  invalidValue: 0x87,
} as const;

/** ZCL global command ids (ZCL 2.5). */
export const GLOBAL = { readAttributes: 0x00, readAttributesResponse: 0x01, defaultResponse: 0x0b } as const;

/** ZSE Supply Status (Metering 0x0014; Change Supply proposed status): 0 OFF, 1 OFF/ARMED, 2 ON [O: RTDS 7.2–7.4]. */
export const SUPPLY_STATUS = { off: 0x00, armed: 0x01, on: 0x02 } as const;

/** ZigBee UTCTime (seconds since 2000) meaning "now", and the two GBCS uses "cancel" (RTDS CANCELLATION) [O]. */
export const ZIGBEE_TIME_NOW = 0;
export const ZIGBEE_TIME_CANCEL = 0xfffffffe;

// ---------------------------------------------------------------------------------------------------------
// Little-endian fields of cluster-specific payloads (ZCL is little-endian)

/** Reads fixed little-endian fields of a raw ZCL payload; `undefined` from any read past the end. */
export class ZclFields {
  constructor(private readonly bytes: Uint8Array) {}

  get length(): number {
    return this.bytes.length;
  }

  u8(at: number): number | undefined {
    return this.bytes[at];
  }

  uint(at: number, size: number): number | undefined {
    if (at + size > this.bytes.length) return undefined;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.bytes[at + i]!;
    return v;
  }

  u32(at: number): number | undefined {
    return this.uint(at, 4);
  }

  i32(at: number): number | undefined {
    const u = this.u32(at);
    return u === undefined ? undefined : u | 0;
  }

  u16(at: number): number | undefined {
    return this.uint(at, 2);
  }

  slice(at: number, size: number): Uint8Array | undefined {
    return at + size > this.bytes.length ? undefined : this.bytes.subarray(at, at + size);
  }
}

/** Builds a raw ZCL payload from little-endian fields. */
export class ZclBuilder {
  private readonly out: number[] = [];

  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }

  uint(v: number, size: number): this {
    let x = v < 0 ? v + 2 ** (8 * size) : v;
    for (let i = 0; i < size; i++) {
      this.out.push(x % 256);
      x = Math.floor(x / 256);
    }
    return this;
  }

  u32(v: number): this {
    return this.uint(v >>> 0, 4);
  }

  i32(v: number): this {
    return this.uint(v | 0, 4);
  }

  finish(): ZclPayload {
    return { kind: 'raw', bytes: Uint8Array.from(this.out) };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Commands as received

/** The plaintext GBZ components of a command, or undefined when its payload is not GBZ components. */
export function commandComponents(command: Accepted): readonly GbzComponent[] | undefined {
  const { payload } = command.parsed.message;
  return payload.kind === 'gbz' && payload.gbz.kind === 'components' ? payload.gbz.components : undefined;
}

/** A component's raw cluster-specific payload as fields, when it is one. */
export function rawFields(c: GbzComponent): ZclFields | undefined {
  return !c.encrypted && c.payload.kind === 'raw' ? new ZclFields(c.payload.bytes) : undefined;
}

export function isClusterCommand(
  c: GbzComponent,
  clusterId: number,
  commandId: number,
): c is GbzPlainComponent {
  return (
    !c.encrypted &&
    c.clusterId === clusterId &&
    c.header.frameType === 'cluster-specific' &&
    c.header.commandId === commandId
  );
}

/**
 * The one cluster-specific command (`clusterId`, `commandId`) a single-command use case carries, or undefined when
 * the command is anything else: no GBZ components, several, or another command.
 */
export function soleClusterCommand(
  command: Accepted,
  clusterId: number,
  commandId: number,
): GbzPlainComponent | undefined {
  const components = commandComponents(command);
  const c = components?.[0];
  return components?.length === 1 && c !== undefined && isClusterCommand(c, clusterId, commandId)
    ? c
    : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Responses

/** A component before its place in the payload is known. */
export type ComponentDraft =
  Omit<GbzPlainComponent, 'lastComponent'> | Omit<GbzEncryptedComponent, 'lastComponent'>;

/** A GBZ payload of the given components, last-component flags set. */
export function gbzComponents(components: readonly ComponentDraft[]): GbcsPayload {
  const gbz: GbzPayload = {
    kind: 'components',
    components: components.map((c, i): GbzComponent => ({
      ...c,
      lastComponent: i === components.length - 1,
    })),
  };
  return { kind: 'gbz', gbz };
}

/** The ZCL header answering `h`: same sequence number, opposite direction [O: RTDS responses]. */
export function answerHeader(
  h: ZclHeader,
  frameType: ZclHeader['frameType'],
  commandId: number,
  disableDefaultResponse = false,
): ZclHeader {
  return {
    frameType,
    manufacturerSpecific: false,
    direction: h.direction === 'client-to-server' ? 'server-to-client' : 'client-to-server',
    disableDefaultResponse,
    manufacturerCode: null,
    sequenceNumber: h.sequenceNumber,
    commandId,
  };
}

/** One Default Response component answering command component `c` with `status` [O: RTDS GCS04, GCS05, GCS06]. */
export function defaultResponseTo(c: GbzComponent, status: number): Omit<GbzPlainComponent, 'lastComponent'> {
  return {
    encrypted: false,
    clusterId: c.clusterId,
    fromDateTime: null,
    header: answerHeader(c.header, 'global', GLOBAL.defaultResponse),
    payload: { kind: 'default-response', commandId: c.header.commandId, status },
  };
}

/** Each component of `command` answered by its Default Response with `status` (none without GBZ components). */
export function answerEach(command: Accepted, status: number): GbcsPayload {
  return gbzComponents((commandComponents(command) ?? []).map((c) => defaultResponseTo(c, status)));
}

/** A cluster-specific response component answering `c` (e.g. Supply Status Response). */
export function clusterResponseTo(
  c: GbzComponent,
  commandId: number,
  payload: ZclPayload,
  disableDefaultResponse = false,
): Omit<GbzPlainComponent, 'lastComponent'> {
  return {
    encrypted: false,
    clusterId: c.clusterId,
    fromDateTime: null,
    header: answerHeader(c.header, 'cluster-specific', commandId, disableDefaultResponse),
    payload,
  };
}

/** DLMS clock status octet of a response date-time (GBCS via DLMS date-time; RTDS shows 0x00, 0x02, 0x04, 0xFF) [O]. */
export type ClockStatus = number;
export const CLOCK_STATUS_NOT_SPECIFIED = 0xff;

/**
 * A response's grouping-header date-time (CommandResult.responseDateTime), with the given clock status: RTDS shows
 * one on future-datable and top-up responses (status 0xFF) and on the reads the GPF can serve (0x00 / 0x04) [O].
 */
export function responseDateTime(
  utcMs: number,
  status: ClockStatus = CLOCK_STATUS_NOT_SPECIFIED,
): Uint8Array {
  const dt = dlmsDateTimeAt(utcMs);
  dt[11] = status;
  return dt;
}
