// X.509 (RFC 5280, as SMKI uses it: GBCS 12) on the GBCS ASN.1 DER tree codec (codec/gbcs/asn1/der.ts), which
// owns every DER rule: tags, minimal lengths, INTEGER / BIT STRING / OID content, OID arcs. What is left here
// is X.509's own: node builders for the certificate fields, accessors that check a field's tag, the directory
// string and time types of names and validity, and PEM armour.
import { DecodeError, EncodeError, Reader } from '../codec/bytes.js';
import {
  UNIVERSAL,
  derPosition,
  isConstructed,
  nodeName,
  oidFromString,
  oidToString,
  readDerNode,
  tagName,
  twosComplement,
  twosComplementBytes,
  type DerConstructed,
  type DerNode,
  type DerPrimitive,
  type TagClass,
} from '../codec/gbcs/asn1/der.js';
import { sameTag, type TagRef } from '../codec/gbcs/asn1/coder.js';

export const X509_LAYER = 'x509.der';

// ---------------------------------------------------------------- building

export function sequence(...children: DerNode[]): DerConstructed {
  return { cls: 'universal', tag: UNIVERSAL.SEQUENCE, children };
}

/** A SET with one member (every RDN and attribute set we write has exactly one, so DER ordering is moot). */
export function setOf1(child: DerNode): DerConstructed {
  return { cls: 'universal', tag: UNIVERSAL.SET, children: [child] };
}

/** `[n]` constructed: EXPLICIT, or IMPLICIT over a SEQUENCE. */
export function contextConstructed(n: number, ...children: DerNode[]): DerConstructed {
  return { cls: 'context', tag: n, children };
}

/** `[n] IMPLICIT` over a primitive type. */
export function contextPrimitive(n: number, bytes: Uint8Array): DerPrimitive {
  return { cls: 'context', tag: n, bytes };
}

function universalPrimitive(tag: number, bytes: Uint8Array): DerPrimitive {
  return { cls: 'universal', tag, bytes };
}

export function oid(dotted: string): DerPrimitive {
  const bytes = oidFromString(dotted);
  if (typeof bytes === 'string') throw new EncodeError(X509_LAYER, 'oid', bytes);
  return universalPrimitive(UNIVERSAL.OBJECT_IDENTIFIER, bytes);
}

export function integer(value: bigint): DerPrimitive {
  return universalPrimitive(UNIVERSAL.INTEGER, twosComplementBytes(value));
}

export function booleanTrue(): DerPrimitive {
  return universalPrimitive(UNIVERSAL.BOOLEAN, Uint8Array.of(0xff));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): DerPrimitive {
  const content = new Uint8Array(bytes.length + 1);
  content[0] = unusedBits;
  content.set(bytes, 1);
  return universalPrimitive(UNIVERSAL.BIT_STRING, content);
}

export function octetString(bytes: Uint8Array): DerPrimitive {
  return universalPrimitive(UNIVERSAL.OCTET_STRING, bytes);
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function printableString(text: string): DerPrimitive {
  if (!PRINTABLE.test(text))
    throw new EncodeError(X509_LAYER, 'printableString', `"${text}" has characters outside PrintableString`);
  return universalPrimitive(UNIVERSAL.PrintableString, new TextEncoder().encode(text));
}

export function utf8String(text: string): DerPrimitive {
  return universalPrimitive(UNIVERSAL.UTF8String, new TextEncoder().encode(text));
}

/** RFC 5280 4.1.2.5: UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds, always Zulu. */
export function time(date: Date): DerPrimitive {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new EncodeError(X509_LAYER, 'time', 'invalid Date');
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) throw new EncodeError(X509_LAYER, 'time', `year ${y} is outside 0000–9999`);
  const two = (n: number): string => String(n).padStart(2, '0');
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  const utc = y >= 1950 && y <= 2049;
  const text = utc ? `${two(y % 100)}${rest}` : `${String(y).padStart(4, '0')}${rest}`;
  return universalPrimitive(
    utc ? UNIVERSAL.UTCTime : UNIVERSAL.GeneralizedTime,
    new TextEncoder().encode(text),
  );
}

// ---------------------------------------------------------------- reading

/**
 * Decodes one complete DER value with der.ts, errors in layer x509.der under `path`. A value cut short is
 * reported as truncated at its first byte, from its outer header, before the tree is read.
 */
export function readDer(bytes: Uint8Array, path: string): DerNode {
  const r = new Reader(bytes, X509_LAYER);
  if (bytes.length > 0 && (bytes[0]! & 0x1f) !== 0x1f) {
    r.pos = 1;
    const length = r.length(path);
    if (length > r.remaining)
      r.fail(path, `truncated: content needs ${length} bytes, ${r.remaining} left`, 0);
    r.pos = 0;
  }
  const node = readDerNode(r, path);
  r.finish(path);
  return node;
}

/** Where node starts in the input it was read from (0 for a built node). */
export function offsetOf(node: DerNode): number {
  return derPosition(node)?.start ?? 0;
}

/** The tags X.509 reads by. */
export const TAG = {
  boolean: universal(UNIVERSAL.BOOLEAN, false),
  integer: universal(UNIVERSAL.INTEGER, false),
  bitString: universal(UNIVERSAL.BIT_STRING, false),
  octetString: universal(UNIVERSAL.OCTET_STRING, false),
  oid: universal(UNIVERSAL.OBJECT_IDENTIFIER, false),
  sequence: universal(UNIVERSAL.SEQUENCE, true),
  set: universal(UNIVERSAL.SET, true),
  utcTime: universal(UNIVERSAL.UTCTime, false),
  generalizedTime: universal(UNIVERSAL.GeneralizedTime, false),
} as const;

function universal(tag: number, constructed: boolean): TagRef {
  return { cls: 'universal', tag, constructed };
}

/** Context-specific tag number n, constructed (EXPLICIT and SEQUENCE-like IMPLICIT) or primitive. */
export function contextTag(n: number, constructed: boolean): TagRef {
  return { cls: 'context', tag: n, constructed };
}

function fail(node: DerNode, path: string, reason: string): never {
  throw new DecodeError(X509_LAYER, offsetOf(node), path, reason);
}

function describe(cls: TagClass, tag: number, constructed: boolean): string {
  return `${tagName(cls, tag)}${constructed ? ' (constructed)' : ''}`;
}

export function expectTag(node: DerNode, t: TagRef, path: string): DerNode {
  if (!sameTag(node, t))
    fail(
      node,
      path,
      `expected ${describe(t.cls, t.tag, t.constructed)}, got ${describe(node.cls, node.tag, isConstructed(node))}`,
    );
  return node;
}

/** The content octets of a primitive node with tag t. */
export function contentOf(node: DerNode, t: TagRef, path: string): Uint8Array {
  expectTag(node, t, path);
  return (node as DerPrimitive).bytes;
}

/** The members of a constructed node. */
export function children(node: DerNode, path: string): DerNode[] {
  if (!isConstructed(node)) fail(node, path, `${nodeName(node)} is not constructed`);
  return node.children;
}

/** The members, refusing any other count. */
export function childrenN(node: DerNode, min: number, max: number, path: string): DerNode[] {
  const c = children(node, path);
  if (c.length < min || c.length > max) {
    const want = min === max ? `${min}` : `${min}–${max}`;
    fail(node, path, `expected ${want} members, got ${c.length}`);
  }
  return c;
}

// INTEGER, BIT STRING and OID content was checked by der.ts when the node was read.

export function readOid(node: DerNode, path: string): string {
  return oidToString(contentOf(node, TAG.oid, path));
}

/** INTEGER as a bigint (two's complement). */
export function readInteger(node: DerNode, path: string): bigint {
  return twosComplement(contentOf(node, TAG.integer, path));
}

/** BIT STRING content: the unused-bit count and the bits' octets. */
export function readBitString(node: DerNode, path: string): { unusedBits: number; bytes: Uint8Array } {
  const b = contentOf(node, TAG.bitString, path);
  return { unusedBits: b[0]!, bytes: b.subarray(1) };
}

export function readTime(node: DerNode, path: string): Date {
  const utc = sameTag(node, TAG.utcTime);
  const generalized = sameTag(node, TAG.generalizedTime);
  const text = utc || generalized ? new TextDecoder('latin1').decode((node as DerPrimitive).bytes) : '';
  const m = utc
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
    : generalized
      ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : null;
  if (!m) fail(node, path, `not an RFC 5280 UTCTime/GeneralizedTime: ${nodeName(node)} "${text}"`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = utc ? (y < 50 ? 2000 + y : 1900 + y) : y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return date;
}

const TELETEX_STRING = 20;
const BMP_STRING = 30;

/** Directory string types X.509 names use; undefined for anything else (rendered as #hex). */
export function readDirectoryString(node: DerNode): string | undefined {
  if (node.cls !== 'universal' || isConstructed(node)) return undefined;
  const b = node.bytes;
  switch (node.tag) {
    case UNIVERSAL.UTF8String:
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    case UNIVERSAL.PrintableString:
    case UNIVERSAL.IA5String:
    case TELETEX_STRING:
      return new TextDecoder('latin1').decode(b);
    case BMP_STRING: {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    default:
      return undefined;
  }
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
