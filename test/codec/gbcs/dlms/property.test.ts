import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, Reader, Writer, toHex } from '../../../../src/codec/bytes.js';
import {
  decodeDlmsApdu,
  decodeDlmsData,
  encodeDlmsApdu,
  encodeDlmsData,
  type DlmsApdu,
  type DlmsData,
  type DlmsTypeDescription,
} from '../../../../src/codec/gbcs/dlms/index.js';
import { rtdsContents } from '../../../support/rtds.js';
import { HAVE_VECTORS } from '../../../vectors.js';

type Decoded<T> = { value: T; consumed: number } | null;

/** Decodes and reports how far it read; null for a DecodeError; anything else thrown fails the property. */
function tryDecode<T>(bytes: Uint8Array, decode: (r: Reader) => T): Decoded<T> {
  const r = new Reader(bytes, 'gbcs.payload');
  try {
    return { value: decode(r), consumed: r.pos };
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}

function encoded<T>(value: T, encode: (w: Writer, v: T) => void): string {
  const w = new Writer('gbcs.payload');
  encode(w, value);
  return toHex(w.finish());
}

/** Whatever decodes re-encodes to exactly the octets it was read from. */
function checkRoundTrip<T>(
  bytes: Uint8Array,
  decode: (r: Reader) => T,
  encode: (w: Writer, v: T) => void,
): boolean {
  const out = tryDecode(bytes, decode);
  if (out === null) return false;
  expect(encoded(out.value, encode)).toBe(toHex(bytes.subarray(0, out.consumed)));
  return true;
}

const apduCodec = [decodeDlmsApdu, encodeDlmsApdu] as const;
const dataCodec = [
  (r: Reader) => decodeDlmsData(r),
  (w: Writer, d: DlmsData) => encodeDlmsData(w, d),
] as const;

/** Octets biased towards Data tags, small lengths and 0x00/0xFF, so random input reaches deep into the grammar. */
const octet = fc.oneof(
  fc.integer({ min: 0, max: 0x1c }),
  fc.constantFrom(0x00, 0xff, 0x80, 0x81, 0x82),
  fc.integer({ min: 0, max: 255 }),
);
const octets = (maxLength: number) => fc.array(octet, { maxLength }).map((a) => Uint8Array.from(a));
/** The date-time element: mostly well-formed (empty or 12 octets), sometimes random. */
const dateTime = fc.oneof(
  fc.constant(Uint8Array.of(0)),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => Uint8Array.of(12, ...b)),
  octets(3),
);

describe('DLMS codec on arbitrary input', () => {
  it('decodes random Data octets to a value or a DecodeError, and re-encodes what it decodes', () => {
    let decoded = 0;
    fc.assert(
      fc.property(octets(64), (bytes) => {
        if (checkRoundTrip(bytes, ...dataCodec)) decoded++;
      }),
      { numRuns: 3000 },
    );
    expect(decoded).toBeGreaterThan(300);
  });

  it('decodes random APDU octets to a value or a DecodeError, and re-encodes what it decodes', () => {
    let decoded = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(0xd9, 0xda, 0x0f),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        dateTime,
        octets(80),
        (tag, invoke, time, body) => {
          const bytes = Uint8Array.of(tag, ...invoke, ...time, ...body);
          if (checkRoundTrip(bytes, ...apduCodec)) decoded++;
        },
      ),
      { numRuns: 3000 },
    );
    expect(decoded).toBeGreaterThan(50);
  });
});

// A mutation: overwrite, insert or delete one octet, or cut the payload short.
const mutation = fc.record({
  kind: fc.constantFrom('set', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  octet: fc.integer({ min: 0, max: 255 }),
});

function mutate(bytes: Uint8Array, mutations: { kind: string; at: number; octet: number }[]): Uint8Array {
  let b = Array.from(bytes);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'set') b[at] = m.octet;
    else if (m.kind === 'insert') b.splice(at, 0, m.octet);
    else if (m.kind === 'delete') b.splice(at, 1);
    else b = b.slice(0, at);
  }
  return Uint8Array.from(b);
}

describe.skipIf(!HAVE_VECTORS)('DLMS codec on mutated RTDS payloads', () => {
  const payloads = HAVE_VECTORS
    ? rtdsContents()
        .filter((c) => [0xd9, 0xda, 0x0f].includes(c.content[0]!))
        .map((c) => c.content)
    : [];

  it('decodes mutated real payloads to a value or a DecodeError, and re-encodes what it decodes', () => {
    expect(payloads.length).toBeGreaterThan(500);
    let decoded = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: payloads.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (i, mutations) => {
          if (checkRoundTrip(mutate(payloads[i]!, mutations), ...apduCodec)) decoded++;
        },
      ),
      { numRuns: 4000 },
    );
    expect(decoded).toBeGreaterThan(400);
  });
});

// Values built from the grammar: every Data type, nested arrays/structures, compact-arrays with conforming elements.
const bytesOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const SIMPLE: Record<string, fc.Arbitrary<DlmsData>> = {
  'null-data': fc.constant({ type: 'null-data' }),
  'dont-care': fc.constant({ type: 'dont-care' }),
  boolean: fc.boolean().map((value) => ({ type: 'boolean', value })),
  'bit-string': fc
    .nat({ max: 40 })
    .chain((bitLength) =>
      bytesOf(Math.ceil(bitLength / 8)).map(
        (value) => ({ type: 'bit-string', bitLength, value }) as DlmsData,
      ),
    ),
  'double-long': fc
    .integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    .map((value) => ({ type: 'double-long', value })),
  'double-long-unsigned': fc
    .integer({ min: 0, max: 2 ** 32 - 1 })
    .map((value) => ({ type: 'double-long-unsigned', value })),
  'octet-string': fc.uint8Array({ maxLength: 140 }).map((value) => ({ type: 'octet-string', value })),
  'visible-string': fc.uint8Array({ maxLength: 8 }).map((value) => ({ type: 'visible-string', value })),
  'utf8-string': fc.uint8Array({ maxLength: 8 }).map((value) => ({ type: 'utf8-string', value })),
  bcd: fc.integer({ min: 0, max: 255 }).map((value) => ({ type: 'bcd', value })),
  integer: fc.integer({ min: -128, max: 127 }).map((value) => ({ type: 'integer', value })),
  long: fc.integer({ min: -32768, max: 32767 }).map((value) => ({ type: 'long', value })),
  unsigned: fc.integer({ min: 0, max: 255 }).map((value) => ({ type: 'unsigned', value })),
  'long-unsigned': fc.integer({ min: 0, max: 65535 }).map((value) => ({ type: 'long-unsigned', value })),
  long64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type: 'long64', value })),
  'long64-unsigned': fc
    .bigInt({ min: 0n, max: 2n ** 64n - 1n })
    .map((value) => ({ type: 'long64-unsigned', value })),
  enum: fc.integer({ min: 0, max: 255 }).map((value) => ({ type: 'enum', value })),
  float32: bytesOf(4).map((value) => ({ type: 'float32', value })),
  float64: bytesOf(8).map((value) => ({ type: 'float64', value })),
  'date-time': bytesOf(12).map((value) => ({ type: 'date-time', value })),
  date: bytesOf(5).map((value) => ({ type: 'date', value })),
  time: bytesOf(4).map((value) => ({ type: 'time', value })),
};
const SIZED = Object.keys(SIMPLE).filter((t) => t !== 'null-data' && t !== 'dont-care');

const simpleDescription = fc.constantFrom(...SIZED).map((type) => ({ type }) as DlmsTypeDescription);
const description: fc.Arbitrary<DlmsTypeDescription> = fc.oneof(
  simpleDescription,
  fc
    .array(simpleDescription, { minLength: 1, maxLength: 4 })
    .map((value) => ({ type: 'structure', value }) as DlmsTypeDescription),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), simpleDescription)
    .map(
      ([numberOfElements, typeDescription]) =>
        ({ type: 'array', numberOfElements, typeDescription }) as DlmsTypeDescription,
    ),
);

function described(d: DlmsTypeDescription): fc.Arbitrary<DlmsData> {
  if (d.type === 'structure')
    return fc.tuple(...d.value.map(described)).map((value) => ({ type: 'structure', value }));
  if (d.type === 'array')
    return fc
      .array(described(d.typeDescription), { minLength: d.numberOfElements, maxLength: d.numberOfElements })
      .map((value) => ({ type: 'array', value }));
  return SIMPLE[d.type]!;
}

const compactArray: fc.Arbitrary<DlmsData> = description.chain((contentsDescription) =>
  fc
    .array(described(contentsDescription), { maxLength: 5 })
    .map((value) => ({ type: 'compact-array', contentsDescription, value }) as DlmsData),
);

const { data } = fc.letrec<{ data: DlmsData }>((tie) => ({
  data: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(...Object.values(SIMPLE), compactArray),
    fc.array(tie('data'), { maxLength: 4 }).map((value) => ({ type: 'array', value }) as DlmsData),
    fc.array(tie('data'), { maxLength: 4 }).map((value) => ({ type: 'structure', value }) as DlmsData),
  ),
}));

const obis = bytesOf(6);
const specification = fc.oneof(
  fc.record({
    type: fc.constantFrom('get' as const, 'set' as const),
    classId: fc.nat({ max: 0xffff }),
    instanceId: obis,
    attributeId: fc.integer({ min: -128, max: 127 }),
  }),
  fc.record({
    type: fc.constant('action' as const),
    classId: fc.nat({ max: 0xffff }),
    instanceId: obis,
    methodId: fc.integer({ min: -128, max: 127 }),
  }),
  fc.record({
    type: fc.constantFrom('get-with-selection' as const, 'set-with-selection' as const),
    classId: fc.nat({ max: 0xffff }),
    instanceId: obis,
    attributeId: fc.integer({ min: -128, max: 127 }),
    accessSelection: fc.record({ accessSelector: fc.nat({ max: 255 }), accessParameters: data }),
  }),
);
const header = {
  invokeIdAndPriority: fc.nat({ max: 0xffffffff }),
  dateTime: fc.option(bytesOf(12), { nil: null }),
};
const apdu: fc.Arbitrary<DlmsApdu> = fc.oneof(
  fc.record({
    type: fc.constant('access-request' as const),
    ...header,
    specifications: fc.array(specification, { maxLength: 4 }),
    data: fc.array(data, { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('access-response' as const),
    ...header,
    specifications: fc.option(fc.array(specification, { maxLength: 3 }), { nil: null }),
    data: fc.array(data, { maxLength: 4 }),
    responseSpecifications: fc.array(
      fc.oneof(
        fc.record({
          type: fc.constantFrom('get' as const, 'set' as const),
          dataAccessResult: fc.nat({ max: 255 }),
        }),
        fc.record({ type: fc.constant('action' as const), actionResult: fc.nat({ max: 255 }) }),
      ),
      { maxLength: 4 },
    ),
  }),
  fc.record({ type: fc.constant('data-notification' as const), ...header, notificationBody: data }),
);

describe('DLMS codec on values built from the grammar', () => {
  it('decodes every encoded Data value back to itself', () => {
    fc.assert(
      fc.property(data, (d) => {
        const bytes = encoded(d, encodeDlmsData);
        const r = new Reader(Uint8Array.from(Buffer.from(bytes, 'hex')), 'gbcs.payload');
        expect(decodeDlmsData(r)).toEqual(d);
        expect(r.atEnd).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('decodes every encoded APDU back to itself', () => {
    fc.assert(
      fc.property(apdu, (a) => {
        const bytes = encoded(a, encodeDlmsApdu);
        const r = new Reader(Uint8Array.from(Buffer.from(bytes, 'hex')), 'gbcs.payload');
        expect(decodeDlmsApdu(r)).toEqual(a);
        expect(r.atEnd).toBe(true);
      }),
      { numRuns: 800 },
    );
  });
});
