// DER (ITU-T X.690) — only the subset X.509 certificates need as SMKI uses them (RFC 5280 profile,
// GBCS 12): single-byte tags, definite minimal lengths, OIDs, INTEGER, BIT/OCTET STRING, times, names.
// Writers return finished TLVs; the reader builds a strict node tree with absolute offsets.
import { DecodeError, EncodeError, Reader, Writer, concatBytes, toHex } from '../codec/bytes.js';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Context-specific tag number n, constructed (EXPLICIT and SEQUENCE-like IMPLICIT) or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

const LAYER = 'x509.der';

// ---------------------------------------------------------------- writing

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = content.length === 1 ? content[0]! : concatBytes(...content);
  return new Writer(LAYER, body.length + 6).u8(tag).lengthPrefixed(body).finish();
}

export function sequence(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.sequence, ...items);
}

/** A SET with one member (every RDN and attribute set we write has exactly one, so DER ordering is moot). */
export function setOf1(item: Uint8Array): Uint8Array {
  return tlv(TAG.set, item);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => (/^\d+$/.test(a) ? Number(a) : NaN));
  if (
    arcs.length < 2 ||
    arcs.some((a) => !Number.isSafeInteger(a)) ||
    arcs[0]! > 2 ||
    (arcs[0]! < 2 && arcs[1]! > 39)
  ) {
    throw new EncodeError(LAYER, 'oid', `"${dotted}" is not a dotted OID`);
  }
  const out: number[] = [];
  const put = (v: number): void => {
    const groups = [v % 128];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v % 128));
    out.push(...groups);
  };
  put(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) put(a);
  return tlv(TAG.oid, Uint8Array.from(out));
}

/** A non-negative INTEGER from its big-endian magnitude (leading zeros dropped, sign octet added when needed). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  if (m.length === 0) throw new EncodeError(LAYER, 'integer', 'empty magnitude');
  return m[0]! >= 0x80 ? tlv(TAG.integer, Uint8Array.of(0), m) : tlv(TAG.integer, m);
}

export function smallInteger(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > 0x7f)
    throw new EncodeError(LAYER, 'integer', `${v} is not in 0..127`);
  return tlv(TAG.integer, Uint8Array.of(v));
}

export function booleanTrue(): Uint8Array {
  return tlv(TAG.boolean, Uint8Array.of(0xff));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.bitString, Uint8Array.of(unusedBits), bytes);
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.octetString, bytes);
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function printableString(text: string): Uint8Array {
  if (!PRINTABLE.test(text))
    throw new EncodeError(LAYER, 'printableString', `"${text}" has characters outside PrintableString`);
  return tlv(TAG.printableString, new TextEncoder().encode(text));
}

export function utf8String(text: string): Uint8Array {
  return tlv(TAG.utf8String, new TextEncoder().encode(text));
}

/** RFC 5280 4.1.2.5: UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds, always Zulu. */
export function time(date: Date): Uint8Array {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new EncodeError(LAYER, 'time', 'invalid Date');
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) throw new EncodeError(LAYER, 'time', `year ${y} is outside 0000–9999`);
  const two = (n: number): string => String(n).padStart(2, '0');
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  const utc = y >= 1950 && y <= 2049;
  const text = utc ? `${two(y % 100)}${rest}` : `${String(y).padStart(4, '0')}${rest}`;
  return tlv(utc ? TAG.utcTime : TAG.generalizedTime, new TextEncoder().encode(text));
}

// ---------------------------------------------------------------- reading

export interface DerNode {
  tag: number;
  /** Absolute offset of the tag octet in the outermost input. */
  offset: number;
  /** The content octets (a view, not a copy). */
  content: Uint8Array;
  /** The whole TLV (a view). */
  encoded: Uint8Array;
}

/** Reads one TLV; DER rules (definite, minimal lengths) come from Reader.length. */
export function readNode(r: Reader, path: string): DerNode {
  const start = r.pos;
  const offset = r.offset;
  const tag = r.u8(path);
  if ((tag & 0x1f) === 0x1f) r.fail(path, 'high-tag-number form is not used in X.509', offset);
  const length = r.length(path);
  if (length > r.remaining)
    r.fail(path, `truncated: content needs ${length} bytes, ${r.remaining} left`, offset);
  const contentStart = r.pos;
  r.pos += length;
  return {
    tag,
    offset,
    content: r.buf.subarray(contentStart, r.pos),
    encoded: r.buf.subarray(start, r.pos),
  };
}

/** Parses a complete DER value: exactly one TLV, nothing after it. */
export function readDer(bytes: Uint8Array, path: string): DerNode {
  const r = new Reader(bytes, LAYER);
  const node = readNode(r, path);
  r.finish(path);
  return node;
}

export function expectTag(node: DerNode, tag: number, path: string): DerNode {
  if (node.tag !== tag) {
    throw new DecodeError(LAYER, node.offset, path, `expected tag 0x${hex2(tag)}, got 0x${hex2(node.tag)}`);
  }
  return node;
}

/** The members of a constructed node. */
export function children(node: DerNode, path: string): DerNode[] {
  if ((node.tag & 0x20) === 0)
    throw new DecodeError(LAYER, node.offset, path, `tag 0x${hex2(node.tag)} is not constructed`);
  const headerLength = node.encoded.length - node.content.length;
  const r = new Reader(node.content, LAYER, node.offset + headerLength);
  const out: DerNode[] = [];
  while (!r.atEnd) out.push(readNode(r, `${path}[${out.length}]`));
  return out;
}

/** The members, refusing any other count. */
export function childrenN(node: DerNode, min: number, max: number, path: string): DerNode[] {
  const c = children(node, path);
  if (c.length < min || c.length > max) {
    const want = min === max ? `${min}` : `${min}–${max}`;
    throw new DecodeError(LAYER, node.offset, path, `expected ${want} members, got ${c.length}`);
  }
  return c;
}

export function readOid(node: DerNode, path: string): string {
  expectTag(node, TAG.oid, path);
  const b = node.content;
  if (b.length === 0) throw new DecodeError(LAYER, node.offset, path, 'empty OID');
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    if (v === 0 && b[i] === 0x80)
      throw new DecodeError(LAYER, node.offset, path, 'non-minimal OID sub-identifier');
    v = v * 128 + (b[i]! & 0x7f);
    if (!Number.isSafeInteger(v)) throw new DecodeError(LAYER, node.offset, path, 'OID arc too large');
    if ((b[i]! & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 40 ? 0 : v < 80 ? 1 : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    } else if (i === b.length - 1) {
      throw new DecodeError(LAYER, node.offset, path, 'OID ends inside a sub-identifier');
    }
  }
  return arcs.join('.');
}

/** INTEGER as a bigint (two's complement). */
export function readInteger(node: DerNode, path: string): bigint {
  expectTag(node, TAG.integer, path);
  const b = node.content;
  if (b.length === 0) throw new DecodeError(LAYER, node.offset, path, 'empty INTEGER');
  if (b.length > 1 && ((b[0] === 0 && b[1]! < 0x80) || (b[0] === 0xff && b[1]! >= 0x80))) {
    throw new DecodeError(LAYER, node.offset, path, 'non-minimal INTEGER');
  }
  const v = BigInt(`0x${toHex(b)}`);
  return b[0]! >= 0x80 ? v - (1n << BigInt(8 * b.length)) : v;
}

/** BIT STRING content: the unused-bit count and the bits' octets. */
export function readBitString(node: DerNode, path: string): { unusedBits: number; bytes: Uint8Array } {
  expectTag(node, TAG.bitString, path);
  const b = node.content;
  if (b.length === 0 || b[0]! > 7 || (b.length === 1 && b[0] !== 0)) {
    throw new DecodeError(LAYER, node.offset, path, 'malformed BIT STRING');
  }
  return { unusedBits: b[0]!, bytes: b.subarray(1) };
}

export function readTime(node: DerNode, path: string): Date {
  const text = new TextDecoder('latin1').decode(node.content);
  const m =
    node.tag === TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : node.tag === TAG.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!m)
    throw new DecodeError(
      LAYER,
      node.offset,
      path,
      `not an RFC 5280 UTCTime/GeneralizedTime: tag 0x${hex2(node.tag)} "${text}"`,
    );
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = node.tag === TAG.utcTime ? (y < 50 ? 2000 + y : 1900 + y) : y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return date;
}

/** Directory string types X.509 names use; undefined for anything else (rendered as #hex). */
export function readDirectoryString(node: DerNode): string | undefined {
  switch (node.tag) {
    case TAG.utf8String:
      return new TextDecoder('utf-8', { fatal: true }).decode(node.content);
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.teletexString:
      return new TextDecoder('latin1').decode(node.content);
    case TAG.bmpString: {
      let s = '';
      for (let i = 0; i + 1 < node.content.length; i += 2)
        s += String.fromCharCode((node.content[i]! << 8) | node.content[i + 1]!);
      return s;
    }
    default:
      return undefined;
  }
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0').toUpperCase();
}

// ---------------------------------------------------------------- PEM (RFC 7468)

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** The first PEM block's label and bytes, or undefined when the text holds no PEM block. */
export function fromPem(text: string): { label: string; der: Uint8Array } | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  return { label: m[1]!, der: new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64')) };
}
