// ZCL data types (ZigBee Cluster Library 07-5123, table 2-10) and the self-describing values that
// global commands carry: a type octet, then a little-endian value whose size the type decides.
import type { Reader, Writer } from '../../bytes.js';
import { need, readBigUintLE, readU16LE, readUintLE, writeBigUintLE, writeU16LE, writeUintLE } from './le.js';

type DataClass = 'none' | 'uint' | 'int' | 'float' | 'octets' | 'string' | 'array' | 'struct';

/**
 * One row per ZCL data type: id, ZCL short name, how its value is laid out, its size (fixed size in octets;
 * for strings the size of the length prefix), and whether it is analog (reportable change present, ZCL 2.5.7).
 */
export const ZCL_DATA_TYPES = [
  [0x00, 'nodata', 'none', 0, false],
  [0x08, 'data8', 'uint', 1, false],
  [0x09, 'data16', 'uint', 2, false],
  [0x0a, 'data24', 'uint', 3, false],
  [0x0b, 'data32', 'uint', 4, false],
  [0x0c, 'data40', 'uint', 5, false],
  [0x0d, 'data48', 'uint', 6, false],
  [0x0e, 'data56', 'uint', 7, false],
  [0x0f, 'data64', 'uint', 8, false],
  [0x10, 'bool', 'uint', 1, false],
  [0x18, 'map8', 'uint', 1, false],
  [0x19, 'map16', 'uint', 2, false],
  [0x1a, 'map24', 'uint', 3, false],
  [0x1b, 'map32', 'uint', 4, false],
  [0x1c, 'map40', 'uint', 5, false],
  [0x1d, 'map48', 'uint', 6, false],
  [0x1e, 'map56', 'uint', 7, false],
  [0x1f, 'map64', 'uint', 8, false],
  [0x20, 'uint8', 'uint', 1, true],
  [0x21, 'uint16', 'uint', 2, true],
  [0x22, 'uint24', 'uint', 3, true],
  [0x23, 'uint32', 'uint', 4, true],
  [0x24, 'uint40', 'uint', 5, true],
  [0x25, 'uint48', 'uint', 6, true],
  [0x26, 'uint56', 'uint', 7, true],
  [0x27, 'uint64', 'uint', 8, true],
  [0x28, 'int8', 'int', 1, true],
  [0x29, 'int16', 'int', 2, true],
  [0x2a, 'int24', 'int', 3, true],
  [0x2b, 'int32', 'int', 4, true],
  [0x2c, 'int40', 'int', 5, true],
  [0x2d, 'int48', 'int', 6, true],
  [0x2e, 'int56', 'int', 7, true],
  [0x2f, 'int64', 'int', 8, true],
  [0x30, 'enum8', 'uint', 1, false],
  [0x31, 'enum16', 'uint', 2, false],
  [0x38, 'semi', 'float', 2, true],
  [0x39, 'single', 'float', 4, true],
  [0x3a, 'double', 'float', 8, true],
  [0x41, 'octstr', 'string', 1, false],
  [0x42, 'string', 'string', 1, false],
  [0x43, 'octstr16', 'string', 2, false],
  [0x44, 'string16', 'string', 2, false],
  [0x48, 'array', 'array', 0, false],
  [0x4c, 'struct', 'struct', 0, false],
  [0x50, 'set', 'array', 0, false],
  [0x51, 'bag', 'array', 0, false],
  [0xe0, 'ToD', 'uint', 4, true],
  [0xe1, 'date', 'uint', 4, true],
  [0xe2, 'UTC', 'uint', 4, true],
  [0xe8, 'clusterId', 'uint', 2, false],
  [0xe9, 'attribId', 'uint', 2, false],
  [0xea, 'bacOID', 'uint', 4, false],
  [0xf0, 'EUI64', 'uint', 8, false],
  [0xf1, 'key128', 'octets', 16, false],
  [0xff, 'unk', 'none', 0, false],
] as const satisfies readonly (readonly [number, string, DataClass, number, boolean])[];

export type ZclDataTypeName = (typeof ZCL_DATA_TYPES)[number][1];

/** Nesting bound for arrays and structures, so hostile input cannot exhaust the JS stack. */
export const MAX_DEPTH = 8;

/** Integer-like value of at most 6 octets; signed types hold negative numbers, floats their bit pattern. */
export interface ZclNumberValue {
  readonly kind: 'number';
  readonly type: number;
  readonly value: number;
}
/** Integer-like value of 7 or 8 octets (also EUI64 and the bit pattern of a double). */
export interface ZclBigintValue {
  readonly kind: 'bigint';
  readonly type: number;
  readonly value: bigint;
}
/** Fixed-size octets (key128). */
export interface ZclOctetsValue {
  readonly kind: 'octets';
  readonly type: number;
  readonly value: Uint8Array;
}
/** Length-prefixed octet or character string, kept as bytes; null is the invalid value (length 0xFF / 0xFFFF). */
export interface ZclStringValue {
  readonly kind: 'string';
  readonly type: number;
  readonly value: Uint8Array | null;
}
/** Array, set or bag: elements all of elementType; null is the invalid value (count 0xFFFF). */
export interface ZclArrayValue {
  readonly kind: 'array';
  readonly type: number;
  readonly elementType: number;
  readonly elements: readonly ZclValue[] | null;
}
/** Structure: each element carries its own type; null is the invalid value (count 0xFFFF). */
export interface ZclStructValue {
  readonly kind: 'struct';
  readonly type: number;
  readonly elements: readonly ZclValue[] | null;
}
/** nodata and unk: no value octets. */
export interface ZclNoValue {
  readonly kind: 'none';
  readonly type: number;
}

export type ZclValue =
  | ZclNumberValue
  | ZclBigintValue
  | ZclOctetsValue
  | ZclStringValue
  | ZclArrayValue
  | ZclStructValue
  | ZclNoValue;

export type ZclValueKind = ZclValue['kind'];

const NAME: (string | undefined)[] = new Array(256);
const CLASS: (DataClass | undefined)[] = new Array(256);
const SIZE = new Uint8Array(256);
const ANALOG = new Uint8Array(256);
for (const [id, name, cls, size, analog] of ZCL_DATA_TYPES) {
  NAME[id] = name;
  CLASS[id] = cls;
  SIZE[id] = size;
  ANALOG[id] = analog ? 1 : 0;
}

export function zclDataTypeName(type: number): string | undefined {
  return NAME[type];
}

/** Analog types carry a reportable change in Configure Reporting (ZCL 2.5.7.1.7). */
export function isAnalogType(type: number): boolean {
  return ANALOG[type] === 1;
}

export function isKnownType(type: number): boolean {
  return CLASS[type] !== undefined;
}

/** The value kind a type decodes to: the one representation of each wire form. */
export function valueKindOf(type: number): ZclValueKind | undefined {
  const cls = CLASS[type];
  switch (cls) {
    case undefined:
      return undefined;
    case 'uint':
    case 'int':
    case 'float':
      return SIZE[type]! <= 6 ? 'number' : 'bigint';
    default:
      return cls;
  }
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0').toUpperCase();
}

/** Reads a type octet. Unknown types cannot be skipped (their size is unknown), so they are refused. */
export function readDataType(r: Reader, path: string): number {
  const at = r.offset;
  const type = r.u8(path);
  if (CLASS[type] === undefined) r.fail(path, `unknown ZCL data type 0x${hex2(type)}`, at);
  return type;
}

/** Reads the value of a known type (the type octet already read). */
export function readValue(r: Reader, type: number, path: string, depth = 0): ZclValue {
  const size = SIZE[type]!;
  switch (CLASS[type]) {
    case 'none':
      return { kind: 'none', type };
    case 'uint':
    case 'float':
      return size <= 6
        ? { kind: 'number', type, value: readUintLE(r, size, path) }
        : { kind: 'bigint', type, value: readBigUintLE(r, size, path) };
    case 'int': {
      if (size <= 6) {
        const u = readUintLE(r, size, path);
        const half = 2 ** (8 * size - 1);
        return { kind: 'number', type, value: u >= half ? u - 2 * half : u };
      }
      return { kind: 'bigint', type, value: BigInt.asIntN(8 * size, readBigUintLE(r, size, path)) };
    }
    case 'octets':
      return { kind: 'octets', type, value: r.bytes(size, path) };
    case 'string': {
      const n = size === 1 ? r.u8(path) : readU16LE(r, path);
      if (n === (size === 1 ? 0xff : 0xffff)) return { kind: 'string', type, value: null };
      return { kind: 'string', type, value: r.bytes(n, path) };
    }
    case 'array': {
      if (depth >= MAX_DEPTH) r.fail(path, `nesting deeper than ${MAX_DEPTH} levels`);
      const elementType = readDataType(r, `${path}.element-type`);
      const count = readU16LE(r, `${path}.count`);
      if (count === 0xffff) return { kind: 'array', type, elementType, elements: null };
      // Every element needs at least its fixed size: refuse an impossible count before allocating.
      if (count * SIZE[elementType]! > r.remaining) need(r, count * SIZE[elementType]!, `${path}.elements`);
      const elements: ZclValue[] = new Array(count);
      for (let i = 0; i < count; i++) elements[i] = readValue(r, elementType, `${path}[${i}]`, depth + 1);
      return { kind: 'array', type, elementType, elements };
    }
    case 'struct': {
      if (depth >= MAX_DEPTH) r.fail(path, `nesting deeper than ${MAX_DEPTH} levels`);
      const count = readU16LE(r, `${path}.count`);
      if (count === 0xffff) return { kind: 'struct', type, elements: null };
      if (count > r.remaining) need(r, count, `${path}.elements`);
      const elements: ZclValue[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const p = `${path}[${i}]`;
        elements[i] = readValue(r, readDataType(r, `${p}.type`), p, depth + 1);
      }
      return { kind: 'struct', type, elements };
    }
    default:
      return r.fail(path, `unknown ZCL data type 0x${hex2(type)}`);
  }
}

/** Reads a type octet and its value. */
export function readTypedValue(r: Reader, path: string): ZclValue {
  return readValue(r, readDataType(r, `${path}.type`), path);
}

export function writeDataType(w: Writer, type: number, path: string): void {
  if (!Number.isInteger(type) || CLASS[type] === undefined)
    w.fail(path, `unknown ZCL data type ${String(type)}`);
  w.u8(type, path);
}

/** Writes the value of v (not its type octet); refuses a value whose shape does not fit its type. */
export function writeValue(w: Writer, v: ZclValue, path: string, depth = 0): void {
  const type = v.type;
  const kind = valueKindOf(type);
  if (kind === undefined) w.fail(path, `unknown ZCL data type ${String(type)}`);
  if (kind !== v.kind)
    w.fail(path, `a ${NAME[type]} value must be of kind '${kind}', got '${String(v.kind)}'`);
  const size = SIZE[type]!;
  switch (v.kind) {
    case 'none':
      return;
    case 'number':
      if (CLASS[type] === 'int') {
        const half = 2 ** (8 * size - 1);
        if (!Number.isInteger(v.value) || v.value < -half || v.value >= half) {
          w.fail(path, `${v.value} is not a signed ${8 * size}-bit integer`);
        }
        writeUintLE(w, v.value < 0 ? v.value + 2 * half : v.value, size, path);
      } else {
        writeUintLE(w, v.value, size, path);
      }
      return;
    case 'bigint':
      if (CLASS[type] === 'int') {
        if (typeof v.value !== 'bigint' || BigInt.asIntN(8 * size, v.value) !== v.value) {
          w.fail(path, `${String(v.value)} is not a signed ${8 * size}-bit integer`);
        }
        writeBigUintLE(w, BigInt.asUintN(8 * size, v.value), size, path);
      } else {
        writeBigUintLE(w, v.value, size, path);
      }
      return;
    case 'octets':
      w.fixed(v.value, size, path);
      return;
    case 'string': {
      const invalid = size === 1 ? 0xff : 0xffff;
      if (v.value === null) {
        writeUintLE(w, invalid, size, path);
        return;
      }
      if (!(v.value instanceof Uint8Array)) w.fail(path, 'string value must be a Uint8Array or null');
      if (v.value.length >= invalid)
        w.fail(path, `${v.value.length} bytes do not fit a ${NAME[type]} (at most ${invalid - 1})`);
      writeUintLE(w, v.value.length, size, path);
      w.bytes(v.value);
      return;
    }
    case 'array': {
      if (depth >= MAX_DEPTH) w.fail(path, `nesting deeper than ${MAX_DEPTH} levels`);
      writeDataType(w, v.elementType, `${path}.element-type`);
      if (v.elements === null) {
        writeU16LE(w, 0xffff, `${path}.count`);
        return;
      }
      if (v.elements.length >= 0xffff)
        w.fail(`${path}.count`, `${v.elements.length} elements do not fit an array`);
      writeU16LE(w, v.elements.length, `${path}.count`);
      for (let i = 0; i < v.elements.length; i++) {
        const e = v.elements[i]!;
        if (e.type !== v.elementType) {
          w.fail(`${path}[${i}]`, `element of type ${String(e.type)} in an array of type ${v.elementType}`);
        }
        writeValue(w, e, `${path}[${i}]`, depth + 1);
      }
      return;
    }
    case 'struct': {
      if (depth >= MAX_DEPTH) w.fail(path, `nesting deeper than ${MAX_DEPTH} levels`);
      if (v.elements === null) {
        writeU16LE(w, 0xffff, `${path}.count`);
        return;
      }
      if (v.elements.length >= 0xffff)
        w.fail(`${path}.count`, `${v.elements.length} elements do not fit a structure`);
      writeU16LE(w, v.elements.length, `${path}.count`);
      for (let i = 0; i < v.elements.length; i++) {
        const e = v.elements[i]!;
        writeDataType(w, e.type, `${path}[${i}].type`);
        writeValue(w, e, `${path}[${i}]`, depth + 1);
      }
      return;
    }
  }
}

/** Writes a type octet and its value. */
export function writeTypedValue(w: Writer, v: ZclValue, path: string): void {
  writeDataType(w, v.type, `${path}.type`);
  writeValue(w, v, path);
}
