// Declared ASN.1 coders over the DER tree: one value reads a node into a typed value and builds the node back,
// so a typed view round-trips by construction (the micro-packed shape, on top of der.ts instead of bytes).
// Readers are strict: a value that DER could not have produced from the same typed value is refused, so
// build(read(node)) is the node again (length-octet widths aside, which payload.ts carries over separately).
import { DecodeError, EncodeError } from '../../bytes.js';
import { eui64, eui64FromBytes, eui64ToBytes, type Eui64 } from '../../eui64.js';
import {
  DER_LAYER,
  UNIVERSAL,
  decodeDer,
  derPosition,
  encodeDer,
  isConstructed,
  nodeName,
  tagName,
  twosComplement,
  twosComplementBytes,
  universalContentProblem,
  oidFromString,
  oidToString,
  type DerNode,
  type TagClass,
} from './der.js';

export interface TagRef {
  cls: TagClass;
  tag: number;
  constructed: boolean;
}

export interface Coder<T> {
  /** What the coder expects, for messages: 'INTEGER', '[3] INTEGER', 'SEQUENCE', 'NULL or SEQUENCE'. */
  readonly expects: string;
  /** Whether node can be read by this coder; decides OPTIONAL elements and CHOICE alternatives. */
  matches(node: DerNode): boolean;
  read(node: DerNode, path: string): T;
  build(value: T, path: string): DerNode;
}

/** A coder bound to one tag, which IMPLICIT tagging can replace. */
export interface TaggedCoder<T> extends Coder<T> {
  readonly tag: TagRef;
  withTag(tag: TagRef, expects: string): TaggedCoder<T>;
  /** Reads the content of a node whose tag was already checked (by this coder or an IMPLICIT one). */
  readValue(node: DerNode, path: string): T;
  /** Builds the node under the given tag. */
  buildValue(value: T, path: string, tag: TagRef): DerNode;
}

export type ValueOf<C> = C extends Coder<infer T> ? T : never;

export function failAt(node: DerNode, path: string, reason: string, valueOffset = false): never {
  const pos = derPosition(node);
  throw new DecodeError(DER_LAYER, (valueOffset ? pos?.valueStart : pos?.start) ?? 0, path, reason);
}

export function encodeFail(path: string, reason: string): never {
  throw new EncodeError(DER_LAYER, path, reason);
}

/** Whether node has exactly this class, tag number and form. */
export function sameTag(node: DerNode, tag: TagRef): boolean {
  return node.cls === tag.cls && node.tag === tag.tag && isConstructed(node) === tag.constructed;
}

function universal(tag: number, constructed = false): TagRef {
  return { cls: 'universal', tag, constructed };
}

/** A coder for one tag: checks the tag, then hands the node to readValue; buildValue gets the tag to use. */
function tagged<T>(
  tag: TagRef,
  expects: string,
  readValue: (node: DerNode, path: string) => T,
  buildValue: (value: T, path: string, tag: TagRef) => DerNode,
): TaggedCoder<T> {
  return {
    tag,
    expects,
    matches: (node) => sameTag(node, tag),
    read(node, path) {
      if (!sameTag(node, tag)) failAt(node, path, `expected ${expects}, got ${describe(node)}`);
      return readValue(node, path);
    },
    build: (value, path) => buildValue(value, path, tag),
    withTag: (t, e) => tagged(t, e, readValue, buildValue),
    readValue,
    buildValue,
  };
}

function describe(node: DerNode): string {
  return `${nodeName(node)}${isConstructed(node) ? ' (constructed)' : ''}`;
}

function primitiveBytes(node: DerNode): Uint8Array {
  return isConstructed(node) ? new Uint8Array(0) : node.bytes;
}

// ---------------------------------------------------------------------------------------------------------
// IMPLICIT / EXPLICIT context tags

/** `[n] IMPLICIT inner`: the same content under a context-specific tag. */
export function implicit<T>(n: number, inner: TaggedCoder<T>): TaggedCoder<T> {
  return inner.withTag(
    { cls: 'context', tag: n, constructed: inner.tag.constructed },
    `[${n}] ${inner.expects}`,
  );
}

/** `[n] EXPLICIT inner`: a constructed context tag wrapping exactly one inner TLV. */
export function explicit<T>(n: number, inner: Coder<T>): TaggedCoder<T> {
  const expects = `[${n}] EXPLICIT ${inner.expects}`;
  return tagged(
    { cls: 'context', tag: n, constructed: true },
    expects,
    (node, path) => {
      const children = isConstructed(node) ? node.children : [];
      if (children.length !== 1)
        failAt(node, path, `${expects} must hold exactly one element, got ${children.length}`);
      return inner.read(children[0]!, path);
    },
    (value, path, tag) => ({ cls: tag.cls, tag: tag.tag, children: [inner.build(value, path)] }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// INTEGER, ENUMERATED, BOOLEAN, NULL

function integerContent(node: DerNode, path: string, what: 'INTEGER' | 'ENUMERATED'): bigint {
  const bytes = primitiveBytes(node);
  const problem = universalContentProblem(
    what === 'INTEGER' ? UNIVERSAL.INTEGER : UNIVERSAL.ENUMERATED,
    bytes,
  );
  if (problem !== undefined) failAt(node, path, problem, true);
  return twosComplement(bytes);
}

function bigintCoder(
  what: 'INTEGER' | 'ENUMERATED',
  min: bigint | undefined,
  max: bigint | undefined,
): TaggedCoder<bigint> {
  const range = min === undefined && max === undefined ? '' : ` (${min ?? '-∞'}..${max ?? '∞'})`;
  const outOfRange = (v: bigint) => (min !== undefined && v < min) || (max !== undefined && v > max);
  return tagged(
    universal(what === 'INTEGER' ? UNIVERSAL.INTEGER : UNIVERSAL.ENUMERATED),
    what,
    (node, path) => {
      const v = integerContent(node, path, what);
      if (outOfRange(v)) failAt(node, path, `${what.toLowerCase()}.decode: ${v} is outside${range}`, true);
      return v;
    },
    (value, path, tag) => {
      if (typeof value !== 'bigint') encodeFail(path, `${what} value must be a bigint, got ${typeof value}`);
      if (outOfRange(value)) encodeFail(path, `${value} is outside${range}`);
      return { cls: tag.cls, tag: tag.tag, bytes: twosComplementBytes(value) };
    },
  );
}

/** INTEGER as a bigint, optionally bounded. */
export function integer(min?: bigint, max?: bigint): TaggedCoder<bigint> {
  return bigintCoder('INTEGER', min, max);
}

function numberCoder(what: 'INTEGER' | 'ENUMERATED', min: number, max: number): TaggedCoder<number> {
  const big = bigintCoder(what, BigInt(min), BigInt(max));
  return tagged(
    big.tag,
    what,
    (node, path) => Number(big.readValue(node, path)),
    (value, path, tag) => {
      if (!Number.isSafeInteger(value))
        encodeFail(path, `${what} value must be an integer, got ${String(value)}`);
      return big.buildValue(BigInt(value), path, tag);
    },
  );
}

/** INTEGER that fits a number: codes, roles, types. */
export function smallInteger(min: number, max: number): TaggedCoder<number> {
  return numberCoder('INTEGER', min, max);
}

export function enumerated(min: number, max: number): TaggedCoder<number> {
  return numberCoder('ENUMERATED', min, max);
}

export const boolean: TaggedCoder<boolean> = tagged(
  universal(UNIVERSAL.BOOLEAN),
  'BOOLEAN',
  (node, path) => {
    const problem = universalContentProblem(UNIVERSAL.BOOLEAN, primitiveBytes(node));
    if (problem !== undefined) failAt(node, path, problem, true);
    return primitiveBytes(node)[0] === 0xff;
  },
  (value, path, tag) => {
    if (typeof value !== 'boolean') encodeFail(path, `BOOLEAN value must be a boolean, got ${typeof value}`);
    return { cls: tag.cls, tag: tag.tag, bytes: Uint8Array.of(value ? 0xff : 0x00) };
  },
);

export const nullValue: TaggedCoder<null> = tagged(
  universal(UNIVERSAL.NULL),
  'NULL',
  (node, path) => {
    const problem = universalContentProblem(UNIVERSAL.NULL, primitiveBytes(node));
    if (problem !== undefined) failAt(node, path, problem, true);
    return null;
  },
  (value, path, tag) => {
    if (value !== null) encodeFail(path, `NULL value must be null, got ${String(value)}`);
    return { cls: tag.cls, tag: tag.tag, bytes: new Uint8Array(0) };
  },
);

// ---------------------------------------------------------------------------------------------------------
// OCTET STRING, BIT STRING, OBJECT IDENTIFIER

/** OCTET STRING, optionally of a fixed size. */
export function octetString(size?: number): TaggedCoder<Uint8Array> {
  const expects = size === undefined ? 'OCTET STRING' : `OCTET STRING (SIZE(${size}))`;
  return tagged(
    universal(UNIVERSAL.OCTET_STRING),
    expects,
    (node, path) => {
      const bytes = primitiveBytes(node);
      if (size !== undefined && bytes.length !== size)
        failAt(node, path, `octetString.decode: expected ${size} octets, got ${bytes.length}`, true);
      return bytes.slice();
    },
    (value, path, tag) => {
      if (!(value instanceof Uint8Array))
        encodeFail(path, `OCTET STRING value must be a Uint8Array, got ${typeof value}`);
      if (size !== undefined && value.length !== size)
        encodeFail(path, `expected ${size} octets, got ${value.length}`);
      return { cls: tag.cls, tag: tag.tag, bytes: value.slice() };
    },
  );
}

/** An 8-octet Entity Identifier (GBCS 4.3.1) as its EUI-64 text. */
export const entityId: TaggedCoder<Eui64> = (() => {
  const eight = octetString(8);
  return tagged(
    eight.tag,
    eight.expects,
    (node, path) => eui64FromBytes(eight.readValue(node, path)),
    (value, path, tag) => {
      let id: Eui64;
      try {
        id = eui64(String(value));
      } catch {
        encodeFail(path, `"${String(value)}" is not an EUI-64 (16 hex digits)`);
      }
      return eight.buildValue(eui64ToBytes(id), path, tag);
    },
  );
})();

export interface BitString {
  /** 0..7 unused bits in the last octet. */
  unusedBits: number;
  bytes: Uint8Array;
}

export const bitString: TaggedCoder<BitString> = tagged(
  universal(UNIVERSAL.BIT_STRING),
  'BIT STRING',
  (node, path) => {
    const content = primitiveBytes(node);
    const problem = universalContentProblem(UNIVERSAL.BIT_STRING, content);
    if (problem !== undefined) failAt(node, path, problem, true);
    return { unusedBits: content[0]!, bytes: content.slice(1) };
  },
  (value, path, tag) => {
    if (value === null || typeof value !== 'object' || !(value.bytes instanceof Uint8Array))
      encodeFail(path, 'BIT STRING value must be { unusedBits, bytes }');
    const content = new Uint8Array(value.bytes.length + 1);
    content[0] = value.unusedBits;
    content.set(value.bytes, 1);
    const problem = universalContentProblem(UNIVERSAL.BIT_STRING, content);
    if (problem !== undefined) encodeFail(path, problem);
    return { cls: tag.cls, tag: tag.tag, bytes: content };
  },
);

/**
 * BIT STRING with named bits as the list of set names (X.680 §22). DER drops trailing zero bits (X.690 §11.2.2),
 * so a set of names has exactly one encoding; a longer one is refused rather than silently shortened.
 */
export function namedBits<const N extends string>(names: readonly N[]): TaggedCoder<N[]> {
  const expects = `BIT STRING { ${names.join(', ')} }`;
  return tagged(
    bitString.tag,
    expects,
    (node, path) => {
      const { unusedBits, bytes } = bitString.readValue(node, path);
      const bitCount = bytes.length * 8 - unusedBits;
      const set: N[] = [];
      for (let bit = 0; bit < bitCount; bit++) {
        if ((bytes[bit >> 3]! & (0x80 >> (bit & 7))) === 0) continue;
        if (bit >= names.length)
          failAt(node, path, `namedBits.decode: bit ${bit} has no name in ${expects}`, true);
        set.push(names[bit]!);
      }
      if (bitCount > 0 && (bytes[(bitCount - 1) >> 3]! & (0x80 >> ((bitCount - 1) & 7))) === 0) {
        failAt(node, path, 'namedBits.decode: DER drops trailing zero bits of a named bit list', true);
      }
      return set;
    },
    (value, path, tag) => {
      if (!Array.isArray(value)) encodeFail(path, `${expects} value must be an array of names`);
      let highest = -1;
      const bits = new Set<number>();
      for (const name of value) {
        const bit = names.indexOf(name);
        if (bit < 0) encodeFail(path, `"${String(name)}" is not one of ${names.join(', ')}`);
        if (bits.has(bit)) encodeFail(path, `"${name}" is listed twice`);
        bits.add(bit);
        highest = Math.max(highest, bit);
      }
      const bitCount = highest + 1;
      const bytes = new Uint8Array(Math.ceil(bitCount / 8));
      for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
      return bitString.buildValue({ unusedBits: bytes.length * 8 - bitCount, bytes }, path, tag);
    },
  );
}

export const objectIdentifier: TaggedCoder<string> = tagged(
  universal(UNIVERSAL.OBJECT_IDENTIFIER),
  'OBJECT IDENTIFIER',
  (node, path) => {
    const bytes = primitiveBytes(node);
    const problem = universalContentProblem(UNIVERSAL.OBJECT_IDENTIFIER, bytes);
    if (problem !== undefined) failAt(node, path, problem, true);
    return oidToString(bytes);
  },
  (value, path, tag) => {
    const bytes = oidFromString(String(value));
    if (typeof bytes === 'string') encodeFail(path, bytes);
    return { cls: tag.cls, tag: tag.tag, bytes };
  },
);

// ---------------------------------------------------------------------------------------------------------
// GeneralizedTime, UTCTime (kept as their strings; DER forms of X.690 §11.7, §11.8)

const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?Z$/;
const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

function timeProblem(text: string, pattern: RegExp, what: string): string | undefined {
  const m = pattern.exec(text);
  if (m === null)
    return `${what}.decode: "${text}" is not a DER ${what} (${pattern === UTC_TIME ? 'YYMMDDHHMMSSZ' : 'YYYYMMDDHHMMSS[.fff]Z'})`;
  const [month, day, hour, minute, second] = m.slice(2, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return `${what}.decode: "${text}" has a field out of range`;
  return undefined;
}

function timeCoder(
  tagNumber: number,
  what: 'GeneralizedTime' | 'UTCTime',
  pattern: RegExp,
): TaggedCoder<string> {
  return tagged(
    universal(tagNumber),
    what,
    (node, path) => {
      const bytes = primitiveBytes(node);
      let text = '';
      for (const b of bytes) text += String.fromCharCode(b);
      const problem = timeProblem(text, pattern, what);
      if (problem !== undefined) failAt(node, path, problem, true);
      return text;
    },
    (value, path, tag) => {
      const text = String(value);
      const problem = timeProblem(text, pattern, what);
      if (problem !== undefined) encodeFail(path, problem);
      return { cls: tag.cls, tag: tag.tag, bytes: Uint8Array.from(text, (c) => c.charCodeAt(0)) };
    },
  );
}

/** GeneralizedTime as its DER string, e.g. "20300115090000Z"; "99991231235959Z" is GBCS's cancellation date. */
export const generalizedTime = timeCoder(UNIVERSAL.GeneralizedTime, 'GeneralizedTime', GENERALIZED_TIME);
export const utcTime = timeCoder(UNIVERSAL.UTCTime, 'UTCTime', UTC_TIME);

// ---------------------------------------------------------------------------------------------------------
// Whole TLVs kept as DER (X.509 certificates, PKCS #10 requests)

/** A complete TLV of the given tag kept as its DER bytes, for values another codec reads (X.509, PKCS #10). */
export function derEncoded(tag: TagRef, expects: string): TaggedCoder<Uint8Array> {
  return tagged(
    tag,
    expects,
    (node) => encodeDer(node),
    (value, path) => {
      if (!(value instanceof Uint8Array))
        encodeFail(path, `${expects} must be DER bytes (Uint8Array), got ${typeof value}`);
      let node: DerNode;
      try {
        node = decodeDer(value, { lengths: 'keep' });
      } catch (e) {
        encodeFail(path, `${expects} is not one DER value: ${(e as Error).message}`);
      }
      if (!sameTag(node, tag)) encodeFail(path, `expected ${expects}, got ${describe(node)}`);
      return node;
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// SEQUENCE, SEQUENCE OF, CHOICE

export interface OptionalField<T> {
  readonly optional: Coder<T>;
}

/** `element Type OPTIONAL` (and `DEFAULT`, kept as present-or-absent so the bytes come back as they were). */
export function optional<T>(coder: Coder<T>): OptionalField<T> {
  return { optional: coder };
}

type FieldSpec = Coder<unknown> | OptionalField<unknown>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<S> = { [K in keyof S]: S[K] extends OptionalField<unknown> ? never : K }[keyof S];
type OptionalKeys<S> = { [K in keyof S]: S[K] extends OptionalField<unknown> ? K : never }[keyof S];
export type SequenceValue<S> = Simplify<
  { [K in RequiredKeys<S>]: S[K] extends Coder<infer T> ? T : never } & {
    [K in OptionalKeys<S>]?: S[K] extends OptionalField<infer T> ? T : never;
  }
>;

/** SEQUENCE { … } with the elements in declaration order; OPTIONAL ones are recognised by their tag. */
export function sequence<const S extends Record<string, FieldSpec>>(
  fields: S,
  tag: TagRef = universal(UNIVERSAL.SEQUENCE, true),
): TaggedCoder<SequenceValue<S>> {
  const entries = Object.entries(fields).map(([name, spec]) => {
    const isOptional = 'optional' in spec;
    return { name, coder: isOptional ? spec.optional : (spec as Coder<unknown>), isOptional };
  });
  const expects =
    tagName(tag.cls, tag.tag) === 'SEQUENCE' ? 'SEQUENCE' : `${tagName(tag.cls, tag.tag)} SEQUENCE`;
  return tagged(
    tag,
    expects,
    (node, path) => {
      const children = isConstructed(node) ? node.children : [];
      const out: Record<string, unknown> = {};
      let i = 0;
      for (const { name, coder, isOptional } of entries) {
        const child = children[i];
        if (child === undefined || !coder.matches(child)) {
          if (isOptional) continue;
          if (child === undefined)
            failAt(
              node,
              `${path}.${name}`,
              `sequence.decode: missing ${name} (${coder.expects}) after ${i} element(s)`,
            );
        }
        out[name] = coder.read(child!, `${path}.${name}`);
        i++;
      }
      const extra = children[i];
      if (extra !== undefined)
        failAt(extra, path, `sequence.decode: unexpected ${describe(extra)} after the last element`);
      return out as SequenceValue<S>;
    },
    (value, path, t) => {
      if (value === null || typeof value !== 'object')
        encodeFail(path, `SEQUENCE value must be an object, got ${String(value)}`);
      const record = value as Record<string, unknown>;
      refuseUnknownKeys(
        record,
        entries.map((e) => e.name),
        path,
      );
      const children: DerNode[] = [];
      for (const { name, coder, isOptional } of entries) {
        const v = record[name];
        if (v === undefined) {
          if (isOptional) continue;
          encodeFail(`${path}.${name}`, `missing (${coder.expects})`);
        }
        children.push(coder.build(v, `${path}.${name}`));
      }
      return { cls: t.cls, tag: t.tag, children };
    },
  );
}

/** SEQUENCE OF element. */
export function sequenceOf<T>(
  element: Coder<T>,
  tag: TagRef = universal(UNIVERSAL.SEQUENCE, true),
): TaggedCoder<T[]> {
  return tagged(
    tag,
    `SEQUENCE OF ${element.expects}`,
    (node, path) =>
      (isConstructed(node) ? node.children : []).map((child, i) => element.read(child, `${path}[${i}]`)),
    (value, path, t) => {
      if (!Array.isArray(value)) encodeFail(path, `SEQUENCE OF value must be an array, got ${typeof value}`);
      return { cls: t.cls, tag: t.tag, children: value.map((v, i) => element.build(v, `${path}[${i}]`)) };
    },
  );
}

type ChoiceValue<A> = {
  [K in keyof A]: Simplify<{ [P in K]: A[K] extends Coder<infer T> ? T : never }>;
}[keyof A];

/** CHOICE: the first alternative whose tag matches; the value is an object with exactly that alternative's name. */
export function choice<const A extends Record<string, Coder<unknown>>>(
  alternatives: A,
): Coder<ChoiceValue<A>> {
  const entries = Object.entries(alternatives);
  const expects = entries.map(([, c]) => c.expects).join(' or ');
  return {
    expects,
    matches: (node) => entries.some(([, c]) => c.matches(node)),
    read(node, path) {
      const hit = entries.find(([, c]) => c.matches(node));
      if (hit === undefined) failAt(node, path, `expected ${expects}, got ${describe(node)}`);
      return { [hit[0]]: hit[1].read(node, `${path}.${hit[0]}`) } as ChoiceValue<A>;
    },
    build(value, path) {
      if (value === null || typeof value !== 'object')
        encodeFail(path, `CHOICE value must be an object, got ${String(value)}`);
      refuseUnknownKeys(
        value as Record<string, unknown>,
        entries.map(([n]) => n),
        path,
      );
      const present = entries.filter(([name]) => (value as Record<string, unknown>)[name] !== undefined);
      if (present.length !== 1)
        encodeFail(
          path,
          `a CHOICE needs exactly one of ${entries.map(([n]) => n).join(', ')}, got ${present.length}`,
        );
      const [name, coder] = present[0]!;
      return coder.build((value as Record<string, unknown>)[name], `${path}.${name}`);
    },
  };
}

/** A bare value presented under a field name, so every typed view is an object: `{ responseCode: 0 }`. */
export function named<const K extends string, T>(name: K, inner: Coder<T>): Coder<{ [P in K]: T }> {
  return {
    expects: inner.expects,
    matches: (node) => inner.matches(node),
    read: (node, path) => ({ [name]: inner.read(node, `${path}.${name}`) }) as { [P in K]: T },
    build(value, path) {
      if (value === null || typeof value !== 'object')
        encodeFail(path, `value must be an object with ${name}, got ${String(value)}`);
      refuseUnknownKeys(value as Record<string, unknown>, [name], path);
      const v = (value as Record<string, unknown>)[name];
      if (v === undefined) encodeFail(`${path}.${name}`, `missing (${inner.expects})`);
      return inner.build(v as T, `${path}.${name}`);
    },
  };
}

/** A typed value with a field its type does not have would lose it silently; refuse instead. */
function refuseUnknownKeys(record: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key) && record[key] !== undefined)
      encodeFail(`${path}.${key}`, `not a field here (expected ${known.join(', ')})`);
  }
}

/** A payload that is a bare NULL (CS07 and CS08 commands): its view has no elements. */
export const nullPayload: Coder<Record<never, never>> = {
  expects: nullValue.expects,
  matches: (node) => nullValue.matches(node),
  read(node, path) {
    nullValue.read(node, path);
    return {};
  },
  build(value, path) {
    if (value === null || typeof value !== 'object')
      encodeFail(path, `value must be an object, got ${String(value)}`);
    refuseUnknownKeys(value, [], path);
    return nullValue.build(null, path);
  },
};
