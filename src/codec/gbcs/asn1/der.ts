// DER (ITU-T X.690 §8, §10) as GBCS uses it for its ASN.1 payloads (GBCS section 13): only the subset needed.
// A TLV tree round-trips byte-exactly by construction: the decoder refuses every form DER forbids (indefinite
// or non-minimal lengths, non-minimal tag numbers, constructed encodings of primitive universal types), so the
// one encoding the encoder can produce is the one that was read. The single exception, on request: a length
// written in more octets than needed, which GBCS devices send, is kept on the node and written back as it came.
import { Reader, Writer } from '../../bytes.js';

export const DER_LAYER = 'gbcs.asn1';

/** Tag classes in bit order (X.690 §8.1.2.2). */
export const TAG_CLASSES = ['universal', 'application', 'context', 'private'] as const;
export type TagClass = (typeof TAG_CLASSES)[number];

/** Universal tag numbers used here (X.680 §8.4). */
export const UNIVERSAL = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OBJECT_IDENTIFIER: 6,
  ENUMERATED: 10,
  UTF8String: 12,
  SEQUENCE: 16,
  SET: 17,
  PrintableString: 19,
  IA5String: 22,
  UTCTime: 23,
  GeneralizedTime: 24,
} as const;

const UNIVERSAL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(UNIVERSAL).map(([name, n]) => [n, name.replace('_', ' ')]),
);

/** A constructed TLV: the tag's constructed bit is set and the value is a list of TLVs. */
export interface DerConstructed {
  cls: TagClass;
  tag: number;
  children: DerNode[];
  /** See {@link DerPrimitive.lengthOctets}. */
  lengthOctets?: number;
}

/** A primitive TLV: the value is opaque content octets. */
export interface DerPrimitive {
  cls: TagClass;
  tag: number;
  bytes: Uint8Array;
  /**
   * Present only when the sender wrote a longer length than DER allows: the number of octets after 0x8n.
   * GBCS devices do (RTDS CS02a/CS02b responses and alerts carry `30 82 00 9F`); keeping it keeps their bytes.
   */
  lengthOctets?: number;
}

export type DerNode = DerConstructed | DerPrimitive;

export function isConstructed(node: DerNode): node is DerConstructed {
  return 'children' in node;
}

/** Where a decoded node sat in the outermost input; built nodes have none. Kept aside so trees stay plain data. */
export interface DerPosition {
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  valueStart: number;
}

const positions = new WeakMap<DerNode, DerPosition>();

export function derPosition(node: DerNode): DerPosition | undefined {
  return positions.get(node);
}

/** DER requires these universal types in primitive form (X.690 §10.2) and SEQUENCE/SET in constructed form. */
const MUST_BE_PRIMITIVE = new Set<number>([1, 2, 3, 4, 5, 6, 10, 12, 19, 22, 23, 24]);
const MUST_BE_CONSTRUCTED = new Set<number>([UNIVERSAL.SEQUENCE, UNIVERSAL.SET]);

/** Deep enough for any GBCS payload with an X.509 certificate inside; bounds recursion on hostile input. */
export const MAX_DEPTH = 32;
/** Tag numbers fit in 4 base-128 octets (28 bits); GBCS uses only the low-tag-number form. */
const MAX_TAG_OCTETS = 4;

export function tagName(cls: TagClass, tag: number): string {
  switch (cls) {
    case 'universal':
      return UNIVERSAL_NAMES[tag] ?? `[UNIVERSAL ${tag}]`;
    case 'context':
      return `[${tag}]`;
    case 'application':
      return `[APPLICATION ${tag}]`;
    case 'private':
      return `[PRIVATE ${tag}]`;
  }
}

export function nodeName(node: DerNode): string {
  return tagName(node.cls, node.tag);
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

export interface DerDecodeOptions {
  /**
   * 'der' (default) refuses a length written in more octets than needed (X.690 §10.1);
   * 'keep' accepts it and records the width in `lengthOctets`, so the same bytes are written back.
   */
  lengths?: 'der' | 'keep';
}

/** Reads one TLV (and everything nested in it) from r; `path` names it in errors. */
export function readDerNode(r: Reader, path = '$', options: DerDecodeOptions = {}, depth = 0): DerNode {
  const start = r.offset;
  if (depth >= MAX_DEPTH) r.fail(path, `tlv.decode(nesting): deeper than ${MAX_DEPTH} levels`);
  const first = r.u8(`${path}.tag`);
  const cls = TAG_CLASSES[first >> 6]!;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) tag = readHighTagNumber(r, path, start);
  const { length, lengthOctets } = readLength(r, `${path}.length`, options.lengths ?? 'der');
  const valueStart = r.offset;
  const value: Reader = r.sub(length, `${path}.value`);

  if (cls === 'universal') {
    if (tag === 0)
      r.fail(
        path,
        'tlv.decode(tag): universal tag 0 is reserved for end-of-contents, which DER never uses',
        start,
      );
    if (constructed && MUST_BE_PRIMITIVE.has(tag))
      r.fail(path, `tlv.decode(tag): ${tagName(cls, tag)} must be primitive in DER`, start);
    if (!constructed && MUST_BE_CONSTRUCTED.has(tag))
      r.fail(path, `tlv.decode(tag): ${tagName(cls, tag)} must be constructed`, start);
  }

  let node: DerNode;
  if (constructed) {
    const children: DerNode[] = [];
    while (!value.atEnd) children.push(readDerNode(value, `${path}.${children.length}`, options, depth + 1));
    node = { cls, tag, children };
  } else {
    const bytes = value.rest();
    if (cls === 'universal') {
      const problem = universalContentProblem(tag, bytes);
      if (problem !== undefined) r.fail(path, problem, valueStart);
    }
    node = { cls, tag, bytes };
  }
  if (lengthOctets !== undefined) node.lengthOctets = lengthOctets;
  positions.set(node, { start, valueStart });
  return node;
}

/** Definite length (X.690 §8.1.3); `lengthOctets` is set only for a non-minimal long form kept by 'keep'. */
function readLength(
  r: Reader,
  path: string,
  mode: 'der' | 'keep',
): { length: number; lengthOctets?: number } {
  const at = r.offset;
  const first = r.u8(path);
  if (first < 0x80) return { length: first };
  const n = first & 0x7f;
  if (n === 0) r.fail(path, 'tlv.decode(length): indefinite length (0x80) is not allowed in DER', at);
  if (n > 4) r.fail(path, `tlv.decode(length): ${n} length octets (at most 4)`, at);
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + r.u8(path);
  if (n === minimalLengthOctets(length)) return { length };
  if (mode === 'der')
    r.fail(path, `tlv.decode(length): not minimal (${n} octet${n === 1 ? '' : 's'} for ${length})`, at);
  return { length, lengthOctets: n };
}

/** Octets after 0x8n in the minimal long form, or 0 for the short form. */
function minimalLengthOctets(length: number): number {
  return length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
}

function readHighTagNumber(r: Reader, path: string, start: number): number {
  let tag = 0;
  for (let i = 0; ; i++) {
    if (i === MAX_TAG_OCTETS)
      r.fail(path, `tlv.decode(tag): tag number longer than ${MAX_TAG_OCTETS} octets`, start);
    const b = r.u8(`${path}.tag`);
    if (i === 0 && b === 0x80)
      r.fail(path, 'tlv.decode(tag): tag number not minimally encoded (leading 0x80)', start);
    tag = tag * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) break;
  }
  if (tag < 0x1f) r.fail(path, `tlv.decode(tag): tag number ${tag} must use the one-octet form`, start);
  return tag;
}

/** Decodes a complete DER value; every byte must belong to it. */
export function decodeDer(bytes: Uint8Array, options: DerDecodeOptions = {}, base = 0): DerNode {
  const r: Reader = new Reader(bytes, DER_LAYER, base);
  const node = readDerNode(r, '$', options);
  r.finish('$');
  return node;
}

/**
 * DER content rules for the primitive universal types that carry numbers or bits (X.690 §8.2–8.6, §8.8,
 * §8.19, §11.1, §11.2); undefined when the content is acceptable. Strings and times are checked by their readers.
 */
export function universalContentProblem(tag: number, bytes: Uint8Array): string | undefined {
  switch (tag) {
    case UNIVERSAL.BOOLEAN:
      if (bytes.length !== 1) return `boolean.decode: expected 1 content octet, got ${bytes.length}`;
      if (bytes[0] !== 0x00 && bytes[0] !== 0xff)
        return `boolean.decode: DER TRUE is 0xFF, got 0x${hex(bytes[0]!)}`;
      return undefined;
    case UNIVERSAL.INTEGER:
    case UNIVERSAL.ENUMERATED: {
      const what = tag === UNIVERSAL.INTEGER ? 'integer' : 'enumerated';
      if (bytes.length === 0) return `${what}.decode: no content octets`;
      if (
        bytes.length > 1 &&
        ((bytes[0] === 0x00 && bytes[1]! < 0x80) || (bytes[0] === 0xff && bytes[1]! >= 0x80))
      ) {
        return `${what}.decode: not minimal two's complement (leading 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)})`;
      }
      return undefined;
    }
    case UNIVERSAL.BIT_STRING: {
      if (bytes.length === 0) return 'bitString.decode: missing the unused-bits octet';
      const unused = bytes[0]!;
      if (unused > 7) return `bitString.decode: ${unused} unused bits (at most 7)`;
      if (bytes.length === 1 && unused !== 0)
        return `bitString.decode: an empty bit string must have 0 unused bits, got ${unused}`;
      if (unused > 0 && (bytes[bytes.length - 1]! & ((1 << unused) - 1)) !== 0)
        return 'bitString.decode: unused bits must be zero in DER';
      return undefined;
    }
    case UNIVERSAL.NULL:
      return bytes.length === 0 ? undefined : `null.decode: expected no content octets, got ${bytes.length}`;
    case UNIVERSAL.OBJECT_IDENTIFIER: {
      if (bytes.length === 0) return 'oid.decode: no content octets';
      if ((bytes[bytes.length - 1]! & 0x80) !== 0) return 'oid.decode: last subidentifier is truncated';
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === 0x80 && (i === 0 || (bytes[i - 1]! & 0x80) === 0))
          return 'oid.decode: subidentifier not minimally encoded (leading 0x80)';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** Writes one TLV; refuses trees DER cannot express, so whatever it writes decodes back to the same tree. */
export function writeDerNode(w: Writer, node: DerNode, path = '$', depth = 0): void {
  if (depth >= MAX_DEPTH) w.fail(path, `tlv.encode(nesting): deeper than ${MAX_DEPTH} levels`);
  if (node === null || typeof node !== 'object')
    w.fail(path, `tlv.encode: expected a DER node, got ${String(node)}`);
  const { cls, tag } = node;
  const clsIndex = TAG_CLASSES.indexOf(cls);
  if (clsIndex < 0) w.fail(path, `tlv.encode(tag): unknown tag class ${String(cls)}`);
  if (!Number.isInteger(tag) || tag < 0 || tag >= 2 ** (7 * MAX_TAG_OCTETS))
    w.fail(path, `tlv.encode(tag): tag number ${tag} out of range`);
  const constructed = isConstructed(node);
  if (cls === 'universal') {
    if (tag === 0) w.fail(path, 'tlv.encode(tag): universal tag 0 is reserved for end-of-contents');
    if (constructed && MUST_BE_PRIMITIVE.has(tag))
      w.fail(path, `tlv.encode(tag): ${tagName(cls, tag)} must be primitive in DER`);
    if (!constructed && MUST_BE_CONSTRUCTED.has(tag))
      w.fail(path, `tlv.encode(tag): ${tagName(cls, tag)} must be constructed`);
  }

  let content: Uint8Array;
  if (constructed) {
    if (!Array.isArray(node.children)) w.fail(path, 'tlv.encode: children must be an array');
    const inner = new Writer(w.layer);
    node.children.forEach((child, i) => writeDerNode(inner, child, `${path}.${i}`, depth + 1));
    content = inner.finish();
  } else {
    if (!(node.bytes instanceof Uint8Array))
      w.fail(path, 'tlv.encode: a primitive node needs bytes (Uint8Array)');
    if (cls === 'universal') {
      const problem = universalContentProblem(tag, node.bytes);
      if (problem !== undefined) w.fail(path, problem);
    }
    content = node.bytes;
  }

  const classBits = clsIndex << 6;
  const constructedBit = constructed ? 0x20 : 0;
  if (tag < 0x1f) {
    w.u8(classBits | constructedBit | tag);
  } else {
    w.u8(classBits | constructedBit | 0x1f);
    const groups: number[] = [];
    for (let t = tag; t > 0; t = Math.floor(t / 128)) groups.unshift(t % 128);
    groups.forEach((g, i) => w.u8(i < groups.length - 1 ? g | 0x80 : g));
  }
  writeLength(w, content.length, node.lengthOctets, `${path}.length`);
  w.bytes(content);
}

function writeLength(w: Writer, length: number, lengthOctets: number | undefined, path: string): void {
  if (lengthOctets === undefined) {
    w.length(length, path);
    return;
  }
  if (!Number.isInteger(lengthOctets) || lengthOctets < 1 || lengthOctets > 4)
    w.fail(path, `tlv.encode(length): lengthOctets must be 1 to 4, got ${lengthOctets}`);
  if (lengthOctets < minimalLengthOctets(length))
    w.fail(path, `tlv.encode(length): ${length} does not fit in ${lengthOctets} length octet(s)`);
  w.u8(0x80 | lengthOctets);
  for (let i = lengthOctets - 1; i >= 0; i--) w.u8(Math.floor(length / 2 ** (8 * i)) % 256);
}

export function encodeDer(node: DerNode): Uint8Array {
  const w = new Writer(DER_LAYER);
  writeDerNode(w, node);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------------------
// Printing

/** One line per TLV, indented by depth: the generic view of a payload no typed view covers. */
export function formatDer(node: DerNode, indent = ''): string[] {
  if (isConstructed(node)) {
    const lines = [`${indent}${nodeName(node)} {`];
    for (const child of node.children) lines.push(...formatDer(child, indent + '  '));
    lines.push(`${indent}}`);
    return lines;
  }
  return [`${indent}${nodeName(node)} ${describePrimitive(node)}`];
}

function describePrimitive(node: DerPrimitive): string {
  const b = node.bytes;
  if (node.cls === 'universal') {
    switch (node.tag) {
      case UNIVERSAL.INTEGER:
      case UNIVERSAL.ENUMERATED:
        return String(twosComplement(b));
      case UNIVERSAL.BOOLEAN:
        return b[0] === 0 ? 'FALSE' : 'TRUE';
      case UNIVERSAL.NULL:
        return '';
      case UNIVERSAL.OBJECT_IDENTIFIER:
        return oidToString(b);
      case UNIVERSAL.UTCTime:
      case UNIVERSAL.GeneralizedTime:
      case UNIVERSAL.PrintableString:
      case UNIVERSAL.IA5String:
      case UNIVERSAL.UTF8String:
        return JSON.stringify(new TextDecoder().decode(b));
      case UNIVERSAL.BIT_STRING:
        return `(${b[0]} unused) ${hexOf(b.subarray(1))}`;
    }
  }
  return hexOf(b);
}

function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += hex(x);
  return s.length === 0 ? "''H" : `'${s}'H`;
}

/** Value of big-endian two's complement content octets. */
export function twosComplement(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  if (b.length > 0 && b[0]! >= 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

/** Minimal two's complement content octets of v (X.690 §8.3.2). */
export function twosComplementBytes(v: bigint): Uint8Array {
  const out: number[] = [];
  let x = v;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, x));
    out.unshift(byte);
    x >>= 8n;
    if ((x === 0n && byte < 0x80) || (x === -1n && byte >= 0x80)) break;
  }
  return Uint8Array.from(out);
}

/** Dotted form of OID content octets (already checked by universalContentProblem). */
export function oidToString(b: Uint8Array): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (const x of b) {
    v = (v << 7n) | BigInt(x & 0x7f);
    if ((x & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

/** OID content octets of a dotted string, or a reason it is not one. */
export function oidFromString(text: string): Uint8Array | string {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(text)) return `"${text}" is not a dotted object identifier`;
  const arcs = text.split('.').map((a) => BigInt(a));
  const [a0, a1, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  if (a0 < 2n && a1 > 39n) return `second arc ${a1} must be below 40 under arc ${a0}`;
  const out: number[] = [];
  for (const arc of [a0 * 40n + a1, ...rest]) {
    const groups: number[] = [];
    let x = arc;
    do {
      groups.unshift(Number(x & 0x7fn));
      x >>= 7n;
    } while (x > 0n);
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return Uint8Array.from(out);
}
