// What DUIS requests and responses share (DUIS Schema V5.4, SEC Appendix AD): namespaces, the typed error, the
// RequestID/ResponseID triple, and the XML Schema lexical forms the headers and seed bodies use (XSD Part 2 §3.2/3.3),
// read strictly: a value the XSD refuses is a DuisError naming the element, the form expected and what came.
import { eui64Hyphenated, type Eui64 } from '../eui64.js';

export const SR_NAMESPACE = 'http://www.dccinterface.co.uk/ServiceUserGateway';
export const RA_NAMESPACE = 'http://www.dccinterface.co.uk/ResponseAndAlert';
export const DS_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** A document that is XML but not the DUIS expected: where (element path from the root, source offset) and why. */
export class DuisError extends Error {
  override readonly name = 'DuisError';
  constructor(
    /** Element path from the root, local names, e.g. 'Request/Header/RequestID'. */
    readonly path: string,
    readonly reason: string,
    /** Offset of the element's '<' in the source; -1 when built or unknown. */
    readonly offset = -1,
  ) {
    super(`duis: ${path}: ${reason}`);
  }
}

/**
 * RequestIDType / ResponseIDType: `originator:target:counter`. In a ResponseID the responder comes first, so
 * `originator` is the device or DCC answering and `target` the User.
 */
export interface DuisId {
  readonly originator: Eui64;
  readonly target: Eui64;
  /** OriginatorCounter, 0 ≤ counter < 2^64. */
  readonly counter: bigint;
}

const MAX_U64 = (1n << 64n) - 1n;
const HYPHENATED_EUI = /^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}$/;
const COUNTER = /^(?:0|[1-9][0-9]{0,19})$/;

/** Quotes a value for an error message, cut to 60 characters. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** XSD whiteSpace="collapse" edges: tokens, numbers, booleans and binary forms ignore surrounding XML whitespace. */
export function collapseEdges(text: string): string {
  return text.trim() === text ? text : text.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');
}

/** sr:EUI: eight hyphen-separated hex pairs, e.g. "00-DB-12-34-56-78-90-A0". */
export function parseHyphenatedEui(text: string, path: string, what = 'value'): Eui64 {
  const t = collapseEdges(text);
  if (!HYPHENATED_EUI.test(t)) {
    throw new DuisError(path, `${what} ${quote(text)} is not an EUI-64 written XX-XX-XX-XX-XX-XX-XX-XX`);
  }
  // The pattern has been checked: dropping the hyphens is all eui64() would do, at a quarter of the cost.
  const hex =
    t.slice(0, 2) +
    t.slice(3, 5) +
    t.slice(6, 8) +
    t.slice(9, 11) +
    t.slice(12, 14) +
    t.slice(15, 17) +
    t.slice(18, 20) +
    t.slice(21, 23);
  return hex.toUpperCase() as Eui64;
}

/** RequestIDType (and ResponseIDType, the same pattern). */
export function parseDuisId(text: string, path: string): DuisId {
  const t = collapseEdges(text);
  const parts = t.split(':');
  if (parts.length !== 3) {
    throw new DuisError(
      path,
      `expected originator:target:counter (3 parts separated by ":"), got ${parts.length} in ${quote(text)}`,
    );
  }
  const [o, g, c] = parts as [string, string, string];
  const originator = parseHyphenatedEui(o, path, 'originator');
  const target = parseHyphenatedEui(g, path, 'target');
  const counter = COUNTER.test(c) ? BigInt(c) : -1n;
  if (counter < 0n || counter > MAX_U64) {
    throw new DuisError(
      path,
      `counter ${quote(c)} is not a decimal 0..18446744073709551615 without leading zeros`,
    );
  }
  return { originator, target, counter };
}

export function formatDuisId(id: DuisId): string {
  if (id.counter < 0n || id.counter > MAX_U64) {
    throw new RangeError(`DUIS counter expected 0..2^64-1, got ${id.counter}`);
  }
  return `${eui64Hyphenated(id.originator)}:${eui64Hyphenated(id.target)}:${id.counter}`;
}

export function duisIdEqual(a: DuisId, b: DuisId): boolean {
  return a.originator === b.originator && a.target === b.target && a.counter === b.counter;
}

/** xs:nonNegativeInteger within [min, max] (optional '+', leading zeros allowed as the XSD allows them). */
export function parseBoundedInteger(
  text: string,
  path: string,
  min: number,
  max: number,
  what: string,
): number {
  const t = collapseEdges(text);
  if (!/^\+?[0-9]{1,16}$/.test(t))
    throw new DuisError(path, `${what} ${quote(text)} is not a decimal integer`);
  const n = Number(t);
  if (n < min || n > max) throw new DuisError(path, `${what} ${n} is outside ${min}..${max}`);
  return n;
}

/** xs:boolean: true, false, 1, 0. */
export function parseBoolean(text: string, path: string): boolean {
  const t = collapseEdges(text);
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw new DuisError(path, `${quote(text)} is not an xs:boolean (true, false, 1, 0)`);
}

const DATE_TIME =
  /^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?$/;

/** xs:dateTime, kept as written (edges collapsed): e.g. "2022-06-16T16:34:15.844Z". */
export function parseDateTime(text: string, path: string): string {
  const t = collapseEdges(text);
  if (!DATE_TIME.test(t))
    throw new DuisError(path, `${quote(text)} is not an xs:dateTime (YYYY-MM-DDThh:mm:ss[.s][Z|±hh:mm])`);
  return t;
}

/** xs:decimal, kept as written: the schemaVersion attribute. */
export function parseDecimal(text: string, path: string, what: string): string {
  const t = collapseEdges(text);
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(t))
    throw new DuisError(path, `${what} ${quote(text)} is not an xs:decimal`);
  return t;
}

const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

/** xs:hexBinary with a length in bytes between min and max. */
export function parseHexBinary(text: string, path: string, min = 0, max = Infinity): Uint8Array {
  const t = collapseEdges(text);
  if (!HEX.test(t)) throw new DuisError(path, `${quote(text)} is not xs:hexBinary (pairs of hex digits)`);
  const n = t.length / 2;
  if (n < min || n > max) {
    throw new DuisError(path, `expected ${min === max ? min : `${min}..${max}`} bytes of hex, got ${n}`);
  }
  return new Uint8Array(Buffer.from(t, 'hex'));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const XML_WHITESPACE = /[ \t\n\r]/g;

/**
 * xs:base64Binary, strictly: whitespace is dropped (signature values wrap lines), then whole quads only, padding
 * only at the end, and the bits padding leaves unused must be zero (the canonical final quantum, XSD Part 2 §3.2.16),
 * so decoding and re-encoding is the identity.
 */
export function parseBase64Binary(text: string, path: string): Uint8Array {
  const t = text.replace(XML_WHITESPACE, '');
  if (t.length % 4 !== 0 || !BASE64.test(t)) {
    throw new DuisError(path, `${quote(text)} is not xs:base64Binary (length ${t.length} after whitespace)`);
  }
  if (t.endsWith('==')) {
    if (!'AQgw'.includes(t[t.length - 3]!))
      throw new DuisError(path, 'base64 final quantum has non-zero unused bits');
  } else if (t.endsWith('=')) {
    if (!'AEIMQUYcgkosw048'.includes(t[t.length - 2]!)) {
      throw new DuisError(path, 'base64 final quantum has non-zero unused bits');
    }
  }
  return new Uint8Array(Buffer.from(t, 'base64'));
}

export function formatBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}
