// The A-XDR contents of the simple (non-constructed) Data types, without their tag: what follows the tag in a
// Data, and what a compact-array packs per element. Each type is declared once, both directions together.
import { toHex, type Reader } from '../../bytes.js';
import { HERE, type DlmsDecoder, type DlmsEncoder } from './context.js';
import type { DlmsData, DlmsDataOf, DlmsDataTypeName } from './types.js';

export type SimpleTypeName = Exclude<DlmsDataTypeName, 'array' | 'structure' | 'compact-array'>;

export interface ValueCoder<N extends SimpleTypeName = SimpleTypeName> {
  readonly name: N;
  /** Fewest octets the contents take (a compact-array refuses element types that take none). */
  readonly minSize: number;
  decode(c: DlmsDecoder): DlmsDataOf<N>;
  encode(c: DlmsEncoder, d: DlmsDataOf<N>): void;
}

type NumberTypeName =
  'double-long' | 'double-long-unsigned' | 'bcd' | 'integer' | 'long' | 'unsigned' | 'long-unsigned' | 'enum';
type OctetsTypeName = 'octet-string' | 'visible-string' | 'utf8-string';
type FixedTypeName = 'float32' | 'float64' | 'date-time' | 'date' | 'time';

function empty<N extends 'null-data' | 'dont-care'>(name: N): ValueCoder<N> {
  const value = Object.freeze({ type: name }) as DlmsDataOf<N>;
  return { name, minSize: 0, decode: () => value, encode: () => {} };
}

/** Reader and Writer name their fixed-size integer methods alike, so one name gives both directions. */
type IntegerMethod = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32';

function number<N extends NumberTypeName>(name: N, method: IntegerMethod): ValueCoder<N> {
  return {
    name,
    minSize: method.endsWith('8') ? 1 : method.endsWith('16') ? 2 : 4,
    decode: (c) => ({ type: name, value: readInteger(c.r, method) }) as DlmsDataOf<N>,
    encode: (c, d) => void c.w[method](d.value, HERE),
  };
}

/**
 * c.r[method](HERE) spelt out: every number coder shares one decode function, where a computed method name would be
 * one lookup site serving six methods (slow in V8), and this is on the path of most Data values.
 */
function readInteger(r: Reader, method: IntegerMethod): number {
  switch (method) {
    case 'u8':
      return r.u8(HERE);
    case 'i8':
      return r.i8(HERE);
    case 'u16':
      return r.u16(HERE);
    case 'i16':
      return r.i16(HERE);
    case 'u32':
      return r.u32(HERE);
    case 'i32':
      return r.i32(HERE);
  }
}

function bigNumber<N extends 'long64' | 'long64-unsigned'>(name: N, signed: boolean): ValueCoder<N> {
  return {
    name,
    minSize: 8,
    decode: (c) => ({ type: name, value: signed ? c.r.i64(HERE) : c.r.u64(HERE) }) as DlmsDataOf<N>,
    encode: (c, d) => void (signed ? c.w.i64(d.value, HERE) : c.w.u64(d.value, HERE)),
  };
}

function fixedOctets<N extends FixedTypeName>(name: N, size: number): ValueCoder<N> {
  return {
    name,
    minSize: size,
    decode: (c) => ({ type: name, value: c.r.bytes(size, HERE) }) as DlmsDataOf<N>,
    encode: (c, d) => void c.w.fixed(d.value, size, HERE),
  };
}

/** An A-XDR length or quantity, under its own path segment so a bad length is told apart from short contents. */
export function readLength(c: DlmsDecoder): number {
  c.path.push('length');
  const n = c.r.length(HERE);
  c.path.pop();
  return n;
}

export function writeLength(c: DlmsEncoder, n: number): void {
  c.path.push('length');
  c.w.length(n, HERE);
  c.path.pop();
}

function octets<N extends OctetsTypeName>(name: N): ValueCoder<N> {
  return {
    name,
    minSize: 1,
    decode: (c) => {
      const n = readLength(c);
      return { type: name, value: c.r.bytes(n, HERE) } as DlmsDataOf<N>;
    },
    encode: (c, d) => {
      if (!(d.value instanceof Uint8Array)) c.fail(`value must be a Uint8Array, got ${typeof d.value}`);
      writeLength(c, d.value.length);
      c.w.bytes(d.value);
    },
  };
}

const BOOLEAN_FALSE = 0x00;
const BOOLEAN_TRUE = 0xff;

const booleanCoder: ValueCoder<'boolean'> = {
  name: 'boolean',
  minSize: 1,
  decode: (c) => {
    const at = c.r.offset;
    const b = c.r.u8(HERE);
    // GBCS (every RTDS message) sends TRUE as 0xFF; other non-zero octets are refused so that each
    // accepted encoding re-encodes to the same octet.
    if (b !== BOOLEAN_FALSE && b !== BOOLEAN_TRUE)
      c.fail(`boolean must be 0x00 or 0xFF, got 0x${hex2(b)}`, at);
    return { type: 'boolean', value: b === BOOLEAN_TRUE };
  },
  encode: (c, d) => {
    if (typeof d.value !== 'boolean') c.fail(`value must be a boolean, got ${typeof d.value}`);
    c.w.u8(d.value ? BOOLEAN_TRUE : BOOLEAN_FALSE, HERE);
  },
};

const bitStringCoder: ValueCoder<'bit-string'> = {
  name: 'bit-string',
  minSize: 1,
  decode: (c) => {
    const bitLength = readLength(c);
    return { type: 'bit-string', bitLength, value: c.r.bytes(Math.ceil(bitLength / 8), HERE) };
  },
  encode: (c, d) => {
    const n = Math.ceil(d.bitLength / 8);
    if (!(d.value instanceof Uint8Array) || d.value.length !== n) {
      c.fail(
        `${d.bitLength} bits need ${n} octets, got ${d.value instanceof Uint8Array ? d.value.length : typeof d.value}`,
      );
    }
    writeLength(c, d.bitLength);
    c.w.bytes(d.value);
  },
};

/** One octet as two hex digits, for error messages. */
export function hex2(v: number): string {
  return toHex(Uint8Array.of(v));
}

/** The simple types' coders by name. */
const VALUE_CODERS: { readonly [N in SimpleTypeName]: ValueCoder<N> } = {
  'null-data': empty('null-data'),
  boolean: booleanCoder,
  'bit-string': bitStringCoder,
  'double-long': number('double-long', 'i32'),
  'double-long-unsigned': number('double-long-unsigned', 'u32'),
  'octet-string': octets('octet-string'),
  'visible-string': octets('visible-string'),
  'utf8-string': octets('utf8-string'),
  bcd: number('bcd', 'u8'),
  integer: number('integer', 'i8'),
  long: number('long', 'i16'),
  unsigned: number('unsigned', 'u8'),
  'long-unsigned': number('long-unsigned', 'u16'),
  long64: bigNumber('long64', true),
  'long64-unsigned': bigNumber('long64-unsigned', false),
  enum: number('enum', 'u8'),
  float32: fixedOctets('float32', 4),
  float64: fixedOctets('float64', 8),
  'date-time': fixedOctets('date-time', 12),
  date: fixedOctets('date', 5),
  time: fixedOctets('time', 4),
  'dont-care': empty('dont-care'),
};

/** A coder as dispatch sees it: the caller has already matched the value's type to the coder. */
export interface AnyValueCoder {
  readonly minSize: number;
  decode(c: DlmsDecoder): DlmsData;
  encode(c: DlmsEncoder, d: DlmsData): void;
}

export const SIMPLE_CODERS: Readonly<Record<SimpleTypeName, AnyValueCoder>> = VALUE_CODERS;
