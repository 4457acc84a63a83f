// DER (ITU-T X.690 §8, §10) as GBCS uses it for its ASN.1 payloads (GBCS section 13): only the subset needed.
// A TLV tree round-trips byte-exactly by construction: the decoder refuses every form DER forbids (indefinite
// or non-minimal lengths, non-minimal tag numbers, constructed encodings of primitive universal types), so the
// one encoding the encoder can produce is the one that was read. The single exception, on request: a length
// written in more octets than needed, which GBCS devices send, is kept on the node and written back as it came.
import { DecodeError, EncodeError, Reader, Writer } from '../../bytes.js';

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

/** Where a decoded node sat in the outermost input; built nodes have none. */
export interface DerPosition {
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  valueStart: number;
}

export function derPosition(node: DerNode): DerPosition | undefined {
  return WireNode.position(node);
}

/**
 * A node read from the wire. Where it sat is kept in private fields, which no enumeration, comparison, spread
 * or serialisation sees, so the node stays the plain DerNode data it is (and costs no side table to record).
 */
abstract class WireNode {
  /** The reader it came from, and its identifier, content and end offsets in that reader's buffer. */
  readonly #from: TlvReader;
  readonly #start: number;
  readonly #valueStart: number;
  readonly #end: number;

  constructor(from: TlvReader, start: number, valueStart: number) {
    this.#from = from;
    this.#start = start;
    this.#valueStart = valueStart;
    this.#end = from.pos;
  }

  static position(node: DerNode): DerPosition | undefined {
    return node instanceof WireNode
      ? { start: node.#from.base + node.#start, valueStart: node.#from.base + node.#valueStart }
      : undefined;
  }

  /** The TLV bytes as read, when node and everything in it still encode to exactly them; else undefined. */
  static unchangedBytes(node: DerNode): Uint8Array | undefined {
    if (!(node instanceof WireNode)) return undefined;
    const source = node.#from.buf;
    const end = WireNode.#unchangedEnd(node, source, node.#start);
    return end === node.#end ? source.slice(node.#start, end) : undefined;
  }

  /** Where node's TLV ends if it is the TLV read from source at `at` and encodes to its bytes; else -1. */
  static #unchangedEnd(node: DerNode | undefined, source: Uint8Array, at: number): number {
    if (!(node instanceof WireNode) || node.#from.buf !== source || node.#start !== at) return -1;
    const { cls, tag, lengthOctets } = node;
    const validFields =
      TAG_CLASSES.includes(cls) &&
      Number.isInteger(tag) &&
      tag >= 0 &&
      tag < 2 ** (7 * MAX_TAG_OCTETS) &&
      (lengthOctets === undefined ||
        (Number.isInteger(lengthOctets) && lengthOctets >= 1 && lengthOctets <= 4));
    if (!validFields) return -1;
    const valueStart = node.#valueStart;
    const end = node.#end;
    const headerLength = writeHeader(scratchHeader, 0, node, end - valueStart);
    if (headerLength !== valueStart - at) return -1;
    if (!sameOctets(scratchHeader, 0, source, at, headerLength)) return -1;
    if (isConstructed(node)) {
      if (!Array.isArray(node.children)) return -1;
      let pos = valueStart;
      for (let i = 0; i < node.children.length && pos >= 0; i++)
        pos = WireNode.#unchangedEnd(node.children[i], source, pos);
      return pos === end ? end : -1;
    }
    const { bytes } = node;
    if (!(bytes instanceof Uint8Array) || bytes.length !== end - valueStart) return -1;
    if (!sameOctets(bytes, 0, source, valueStart, bytes.length)) return -1;
    return end;
  }
}

function sameOctets(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** Room for the longest header: 1 + 4 identifier octets, 1 + 4 length octets. */
const scratchHeader = new Uint8Array(10);

class WireConstructed extends WireNode implements DerConstructed {
  cls: TagClass;
  tag: number;
  children: DerNode[];
  declare lengthOctets?: number;

  /** Called once `from` has read the whole TLV. */
  constructor(
    from: TlvReader,
    cls: TagClass,
    tag: number,
    children: DerNode[],
    start: number,
    valueStart: number,
  ) {
    super(from, start, valueStart);
    this.cls = cls;
    this.tag = tag;
    this.children = children;
  }
}

class WirePrimitive extends WireNode implements DerPrimitive {
  cls: TagClass;
  tag: number;
  bytes: Uint8Array;
  declare lengthOctets?: number;

  /** Called once `from` has read the whole TLV. */
  constructor(
    from: TlvReader,
    cls: TagClass,
    tag: number,
    bytes: Uint8Array,
    start: number,
    valueStart: number,
  ) {
    super(from, start, valueStart);
    this.cls = cls;
    this.tag = tag;
    this.bytes = bytes;
  }
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
  const tlv = new TlvReader(r, path, options.lengths === 'keep');
  const node = tlv.node(r.buf.length, depth);
  r.pos = tlv.pos;
  return node;
}

/**
 * The decoder behind readDerNode: one pass over the reader's buffer by index. Error paths are built only when
 * an error is thrown, from the root path and the child indices leading to the failing node.
 */
class TlvReader {
  readonly buf: Uint8Array;
  pos: number;
  readonly base: number;
  private readonly layer: string;
  /** Child index at each level below the root, for the path in an error. */
  private readonly indices: number[] = [];
  /** Set by length(): the width of a kept non-minimal long form, else undefined. */
  private lengthOctets: number | undefined;

  constructor(
    r: Reader,
    private readonly rootPath: string,
    private readonly keepLengths: boolean,
  ) {
    this.buf = r.buf;
    this.pos = r.pos;
    this.base = r.base;
    this.layer = r.layer;
  }

  /** Reads the TLV at pos, which must end by `end` (the end of the enclosing value). */
  node(end: number, depth: number): DerNode {
    const buf = this.buf;
    const start = this.pos;
    if (depth >= MAX_DEPTH) this.fail('', `tlv.decode(nesting): deeper than ${MAX_DEPTH} levels`, start);
    const first = this.u8(end, '.tag');
    const cls = TAG_CLASSES[first >> 6]!;
    const constructed = (first & 0x20) !== 0;
    let tag = first & 0x1f;
    if (tag === 0x1f) tag = this.highTagNumber(start, end);
    const length = this.length(end);
    const lengthOctets = this.lengthOctets;
    const valueStart = this.pos;
    if (length > end - valueStart) this.truncated('.value', length, end);
    const valueEnd = valueStart + length;

    if (cls === 'universal') {
      if (tag === 0)
        this.fail(
          '',
          'tlv.decode(tag): universal tag 0 is reserved for end-of-contents, which DER never uses',
          start,
        );
      if (constructed && MUST_BE_PRIMITIVE.has(tag))
        this.fail('', `tlv.decode(tag): ${tagName(cls, tag)} must be primitive in DER`, start);
      if (!constructed && MUST_BE_CONSTRUCTED.has(tag))
        this.fail('', `tlv.decode(tag): ${tagName(cls, tag)} must be constructed`, start);
    }

    let node: DerNode;
    if (constructed) {
      const children: DerNode[] = [];
      const level = this.indices.push(0) - 1;
      while (this.pos < valueEnd) {
        this.indices[level] = children.length;
        children.push(this.node(valueEnd, depth + 1));
      }
      this.indices.pop();
      node = new WireConstructed(this, cls, tag, children, start, valueStart);
    } else {
      const bytes = buf.slice(valueStart, valueEnd);
      this.pos = valueEnd;
      if (cls === 'universal') {
        const problem = universalContentProblem(tag, bytes);
        if (problem !== undefined) this.fail('', problem, valueStart);
      }
      node = new WirePrimitive(this, cls, tag, bytes, start, valueStart);
    }
    if (lengthOctets !== undefined) node.lengthOctets = lengthOctets;
    return node;
  }

  /** Definite length (X.690 §8.1.3); sets lengthOctets only for a non-minimal long form kept by 'keep'. */
  private length(end: number): number {
    const at = this.pos;
    this.lengthOctets = undefined;
    const first = this.u8(end, '.length');
    if (first < 0x80) return first;
    const n = first & 0x7f;
    if (n === 0)
      this.fail('.length', 'tlv.decode(length): indefinite length (0x80) is not allowed in DER', at);
    if (n > 4) this.fail('.length', `tlv.decode(length): ${n} length octets (at most 4)`, at);
    let length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + this.u8(end, '.length');
    if (n === minimalLengthOctets(length)) return length;
    if (!this.keepLengths)
      this.fail(
        '.length',
        `tlv.decode(length): not minimal (${n} octet${n === 1 ? '' : 's'} for ${length})`,
        at,
      );
    this.lengthOctets = n;
    return length;
  }

  private highTagNumber(start: number, end: number): number {
    let tag = 0;
    for (let i = 0; ; i++) {
      if (i === MAX_TAG_OCTETS)
        this.fail('', `tlv.decode(tag): tag number longer than ${MAX_TAG_OCTETS} octets`, start);
      const b = this.u8(end, '.tag');
      if (i === 0 && b === 0x80)
        this.fail('', 'tlv.decode(tag): tag number not minimally encoded (leading 0x80)', start);
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (tag < 0x1f) this.fail('', `tlv.decode(tag): tag number ${tag} must use the one-octet form`, start);
    return tag;
  }

  private u8(end: number, field: string): number {
    if (this.pos >= end) this.truncated(field, 1, end);
    return this.buf[this.pos++]!;
  }

  /** The Reader's truncation error, at pos. */
  private truncated(field: string, n: number, end: number): never {
    const left = end - this.pos;
    this.fail(field, `truncated: needs ${n} byte${n === 1 ? '' : 's'}, ${left} left`, this.pos);
  }

  /** `field` is appended to the node's path ('.tag', '.length', '.value', or '' for the node itself). */
  private fail(field: string, reason: string, at: number): never {
    let path = this.rootPath;
    for (const i of this.indices) path += `.${i}`;
    throw new DecodeError(this.layer, this.base + at, path + field, reason);
  }
}

/** Octets after 0x8n in the minimal long form, or 0 for the short form. */
function minimalLengthOctets(length: number): number {
  return length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
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
  w.bytes(new TlvWriter(w.layer, path).encode(node, depth));
}

/** A node still exactly as it was read is copied from its input rather than encoded again. */
export function encodeDer(node: DerNode): Uint8Array {
  return WireNode.unchangedBytes(node) ?? new TlvWriter(DER_LAYER, '$').encode(node, 0);
}

/**
 * The encoder behind writeDerNode and encodeDer, in two passes: the first checks every node and records its
 * content length, the second writes the TLVs into one buffer of the exact size. As in TlvReader, error paths
 * are built only when an error is thrown.
 */
class TlvWriter {
  /** Content length of every node, in the order both passes visit them. */
  private readonly lengths: number[] = [];
  private next = 0;
  private out = new Uint8Array(0);
  private pos = 0;
  /** Child index at each level below the root, for the path in an error. */
  private readonly indices: number[] = [];

  constructor(
    private readonly layer: string,
    private readonly rootPath: string,
  ) {}

  encode(node: DerNode, depth: number): Uint8Array {
    this.out = new Uint8Array(this.measure(node, depth));
    this.write(node);
    return this.out;
  }

  /** Checks node and everything in it; returns its encoded size. */
  private measure(node: DerNode, depth: number): number {
    if (depth >= MAX_DEPTH) this.fail('', `tlv.encode(nesting): deeper than ${MAX_DEPTH} levels`);
    if (node === null || typeof node !== 'object')
      this.fail('', `tlv.encode: expected a DER node, got ${String(node)}`);
    const { cls, tag } = node;
    if (!TAG_CLASSES.includes(cls)) this.fail('', `tlv.encode(tag): unknown tag class ${String(cls)}`);
    if (!Number.isInteger(tag) || tag < 0 || tag >= 2 ** (7 * MAX_TAG_OCTETS))
      this.fail('', `tlv.encode(tag): tag number ${tag} out of range`);
    const constructed = isConstructed(node);
    if (cls === 'universal') {
      if (tag === 0) this.fail('', 'tlv.encode(tag): universal tag 0 is reserved for end-of-contents');
      if (constructed && MUST_BE_PRIMITIVE.has(tag))
        this.fail('', `tlv.encode(tag): ${tagName(cls, tag)} must be primitive in DER`);
      if (!constructed && MUST_BE_CONSTRUCTED.has(tag))
        this.fail('', `tlv.encode(tag): ${tagName(cls, tag)} must be constructed`);
    }

    const slot = this.lengths.push(0) - 1;
    let length = 0;
    if (constructed) {
      if (!Array.isArray(node.children)) this.fail('', 'tlv.encode: children must be an array');
      const level = this.indices.push(0) - 1;
      node.children.forEach((child, i) => {
        this.indices[level] = i;
        length += this.measure(child, depth + 1);
      });
      this.indices.pop();
    } else {
      if (!(node.bytes instanceof Uint8Array))
        this.fail('', 'tlv.encode: a primitive node needs bytes (Uint8Array)');
      if (cls === 'universal') {
        const problem = universalContentProblem(tag, node.bytes);
        if (problem !== undefined) this.fail('', problem);
      }
      length = node.bytes.length;
    }
    this.lengths[slot] = length;
    return tagOctets(tag) + this.lengthFieldOctets(length, node.lengthOctets) + length;
  }

  /** Octets of the length field, after checking that it can hold length (the checks of Writer.length). */
  private lengthFieldOctets(length: number, lengthOctets: number | undefined): number {
    if (lengthOctets === undefined) {
      if (length > 0xffffffff) this.fail('.length', `${length} is not a valid length`);
      return 1 + minimalLengthOctets(length);
    }
    if (!Number.isInteger(lengthOctets) || lengthOctets < 1 || lengthOctets > 4)
      this.fail('.length', `tlv.encode(length): lengthOctets must be 1 to 4, got ${lengthOctets}`);
    if (lengthOctets < minimalLengthOctets(length))
      this.fail('.length', `tlv.encode(length): ${length} does not fit in ${lengthOctets} length octet(s)`);
    return 1 + lengthOctets;
  }

  /** Writes a node measure() accepted. */
  private write(node: DerNode): void {
    const length = this.lengths[this.next++]!;
    this.pos = writeHeader(this.out, this.pos, node, length);
    if (isConstructed(node)) {
      node.children.forEach((child) => this.write(child));
    } else {
      this.out.set(node.bytes, this.pos);
      this.pos += length;
    }
  }

  /** `field` is appended to the node's path ('.length', or '' for the node itself). */
  private fail(field: string, reason: string): never {
    let path = this.rootPath;
    for (const i of this.indices) path += `.${i}`;
    throw new EncodeError(this.layer, path + field, reason);
  }
}

/** Writes the identifier and length octets of a node with valid fields at out[pos]; returns the end. */
function writeHeader(out: Uint8Array, pos: number, node: DerNode, length: number): number {
  const first = (TAG_CLASSES.indexOf(node.cls) << 6) | (isConstructed(node) ? 0x20 : 0);
  const tag = node.tag;
  if (tag < 0x1f) {
    out[pos++] = first | tag;
  } else {
    out[pos++] = first | 0x1f;
    for (let i = tagOctets(tag) - 2; i >= 0; i--)
      out[pos++] = (Math.floor(tag / 128 ** i) % 128) | (i > 0 ? 0x80 : 0);
  }
  const n = node.lengthOctets ?? minimalLengthOctets(length);
  if (n === 0) {
    out[pos++] = length;
  } else {
    out[pos++] = 0x80 | n;
    for (let i = n - 1; i >= 0; i--) out[pos++] = Math.floor(length / 2 ** (8 * i)) % 256;
  }
  return pos;
}

/** Identifier octets of a tag number: one, or the 0x1F octet and the base-128 groups (X.690 §8.1.2.4). */
function tagOctets(tag: number): number {
  let n = 1;
  if (tag >= 0x1f) for (let t = tag; t > 0; t = Math.floor(t / 128)) n++;
  return n;
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
