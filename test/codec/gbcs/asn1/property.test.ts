// Whatever bytes arrive, the ASN.1 payload decoder either returns a payload or throws DecodeError, and a
// payload it returns encodes to the very bytes it came from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, Reader, Writer, toHex } from '../../../../src/codec/bytes.js';
import { eui64 } from '../../../../src/codec/eui64.js';
import type { Cra } from '../../../../src/codec/gbcs/frame.js';
import {
  ASN1_MESSAGE_CODES,
  asn1Payload,
  decodeAsn1Payload,
  encodeAsn1Payload,
  encodeDer,
  twosComplementBytes,
  type Asn1Context,
  type Asn1Payload,
  type Asn1View,
  type DerNode,
} from '../../../../src/codec/gbcs/asn1/index.js';
import { rtdsContents } from '../../../support/rtds.js';
import { HAVE_VECTORS } from '../../../vectors.js';

type Outcome = { payload: Asn1Payload } | { error: DecodeError };

/** Decodes as the frame codec will: the payload reader, then nothing may be left over. */
function decode(bytes: Uint8Array, ctx: Asn1Context): Outcome {
  try {
    const r: Reader = new Reader(bytes, 'gbcs.payload', 0);
    const payload = decodeAsn1Payload(r, ctx);
    r.finish('payload');
    return { payload };
  } catch (e) {
    if (e instanceof DecodeError) return { error: e };
    throw e;
  }
}

function encode(p: Asn1Payload, ctx: Asn1Context): string {
  const w = new Writer('gbcs.payload');
  encodeAsn1Payload(w, p, ctx);
  return toHex(w.finish());
}

/** Decodes; a success must re-encode to the same bytes. Returns whether it decoded, and with a typed view. */
function checkRoundTrip(bytes: Uint8Array, ctx: Asn1Context): 'error' | 'tree' | 'view' {
  const outcome = decode(bytes, ctx);
  if ('error' in outcome) return 'error';
  expect(encode(outcome.payload, ctx)).toBe(toHex(bytes));
  return outcome.payload.view === undefined ? 'tree' : 'view';
}

const arbCtx: fc.Arbitrary<Asn1Context> = fc.record({
  messageCode: fc.constantFrom(...ASN1_MESSAGE_CODES, 0x0001, 0x0027),
  cra: fc.constantFrom<Cra>(1, 2, 3),
});

/** Valid DER trees (some with the non-minimal lengths GBCS devices write) to mutate from. */
const arbTree: fc.Arbitrary<DerNode> = fc.letrec<{ node: DerNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .bigInt({ min: -(2n ** 70n), max: 2n ** 70n })
      .map((v): DerNode => ({ cls: 'universal', tag: 2, bytes: twosComplementBytes(v) })),
    fc.uint8Array({ maxLength: 12 }).map((b): DerNode => ({ cls: 'universal', tag: 4, bytes: b })),
    fc.constant<DerNode>({ cls: 'universal', tag: 5, bytes: new Uint8Array(0) }),
    fc
      .record({
        tag: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 31, max: 5000 })),
        bytes: fc.uint8Array({ maxLength: 6 }),
      })
      .map(({ tag, bytes }): DerNode => ({ cls: 'context', tag, bytes })),
    fc
      .record({
        cls: fc.constantFrom('universal' as const, 'context' as const),
        children: fc.array(tie('node'), { maxLength: 4 }),
        lengthOctets: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      })
      .map(({ cls, children, lengthOctets }): DerNode => {
        const node: DerNode = { cls, tag: cls === 'universal' ? 16 : 2, children };
        return lengthOctets === undefined ? node : { ...node, lengthOctets };
      }),
  ),
})).node;

type Mutation = { at: number; kind: 'flip' | 'set' | 'insert' | 'delete' | 'truncate'; value: number };
const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom(
    'flip' as const,
    'set' as const,
    'insert' as const,
    'delete' as const,
    'truncate' as const,
  ),
  value: fc.integer({ min: 0, max: 255 }),
});

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = Array.from(bytes);
  for (const { at, kind, value } of mutations) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === 'flip' && out.length > 0) out[i] = out[i]! ^ (1 << (value & 7));
    else if (kind === 'set' && out.length > 0) out[i] = value;
    else if (kind === 'insert') out.splice(i, 0, value);
    else if (kind === 'delete') out.splice(i, 1);
    else if (kind === 'truncate') out = out.slice(0, i);
  }
  return Uint8Array.from(out);
}

describe('ASN.1 payload decoding under arbitrary input', () => {
  it('returns a payload or throws DecodeError for random bytes, and what decodes re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), arbCtx, (bytes, ctx) => void checkRoundTrip(bytes, ctx)),
      { numRuns: 3000 },
    );
  });

  it('round-trips random DER trees, non-minimal lengths included, and survives their mutations', () => {
    let decoded = 0;
    fc.assert(
      fc.property(arbTree, arbCtx, fc.array(arbMutation, { maxLength: 3 }), (tree, ctx, mutations) => {
        const bytes = encodeDer(tree);
        if (checkRoundTrip(bytes, { messageCode: 0x0001, cra: ctx.cra }) !== 'error') decoded++;
        checkRoundTrip(mutate(bytes, mutations), ctx);
      }),
      { numRuns: 2000 },
    );
    expect(decoded).toBe(2000);
  });

  it('round-trips typed views built from arbitrary values', () => {
    const arbEui = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => eui64(toHex(b)));
    const arbCode = fc.integer({ min: 0, max: 255 });
    const arbCounter = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const arbTime = fc
      .date({
        min: new Date(Date.UTC(1950, 0, 1)),
        max: new Date(Date.UTC(9999, 11, 31)),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z');
    const arbView: fc.Arbitrary<[Asn1View, Asn1Context]> = fc.oneof(
      fc
        .record({ joinMethodAndRole: arbCode, otherDeviceEntityId: arbEui, otherDeviceType: arbCode })
        .map((v): [Asn1View, Asn1Context] => [
          { kind: 'joinDeviceCommand', ...v },
          { messageCode: 0x000e, cra: 1 },
        ]),
      fc
        .record({
          manufacturerImageHash: fc.uint8Array({ maxLength: 32 }),
          originatorCounter: arbCounter,
          executionDateTime: fc.option(arbTime, { nil: undefined }),
        })
        .map(({ executionDateTime, ...v }): [Asn1View, Asn1Context] => [
          executionDateTime === undefined
            ? { kind: 'activateFirmwareCommand', ...v }
            : { kind: 'activateFirmwareCommand', ...v, executionDateTime },
          { messageCode: 0x0012, cra: 1 },
        ]),
      fc
        .record({
          responseCode: arbCode,
          deviceLogEntries: fc.option(
            fc.array(fc.record({ deviceId: arbEui, deviceType: arbCode }), { maxLength: 20 }),
            { nil: undefined },
          ),
        })
        .map(({ deviceLogEntries, responseCode }): [Asn1View, Asn1Context] => [
          deviceLogEntries === undefined
            ? { kind: 'readDeviceJoinDetailsResponse', responseCode }
            : { kind: 'readDeviceJoinDetailsResponse', responseCode, deviceLogEntries },
          { messageCode: 0x0013, cra: 2 },
        ]),
    );
    fc.assert(
      fc.property(arbView, ([view, ctx]) => {
        const hex = encode(asn1Payload(view), ctx);
        const back = decode(Uint8Array.from(Buffer.from(hex, 'hex')), ctx);
        expect('payload' in back && back.payload.view).toEqual(view);
      }),
      { numRuns: 1000 },
    );
  });
});

describe.skipIf(!HAVE_VECTORS)('ASN.1 payload decoding of mutated RTDS payloads', () => {
  const real = rtdsContents().filter((c) => ASN1_MESSAGE_CODES.has(c.messageCode));

  it('returns a payload or throws DecodeError for every mutation, and what decodes re-encodes to the same bytes', () => {
    const outcomes = { error: 0, tree: 0, view: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: real.length - 1 }),
        fc.array(arbMutation, { minLength: 1, maxLength: 3 }),
        (index, mutations) => {
          const c = real[index]!;
          outcomes[
            checkRoundTrip(mutate(c.content, mutations), { messageCode: c.messageCode, cra: c.cra })
          ]++;
        },
      ),
      { numRuns: 5000 },
    );
    // The property is not vacuous: a fair share of mutations still reads as the use case's view (a changed digit, a flipped key bit).
    expect(outcomes.view).toBeGreaterThan(150);
    expect(outcomes.error).toBeGreaterThan(500);
  });
});
