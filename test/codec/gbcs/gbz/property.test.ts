// Decoding hostile bytes: random input and mutations of valid payloads either decode to a value that
// re-encodes to the same bytes, or throw DecodeError — never anything else, never a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, Reader, Writer, fromHex, toHex } from '../../../../src/codec/bytes.js';
import type { Cra } from '../../../../src/codec/gbcs/frame.js';
import { decodeGbz, encodeGbz } from '../../../../src/codec/gbcs/gbz/index.js';
import { rtdsContents } from '../../../support/rtds.js';
import { HAVE_VECTORS } from '../../../vectors.js';
import { HAND_WRITTEN } from './support.js';

function decodesOrThrowsDecodeError(bytes: Uint8Array, cra: Cra): void {
  const ctx = { messageCode: 0, cra };
  let decoded;
  try {
    const r: Reader = new Reader(bytes, 'gbcs.payload', 7);
    decoded = decodeGbz(r, ctx);
    r.finish('content');
  } catch (e) {
    if (e instanceof DecodeError) return;
    throw e;
  }
  const w = new Writer('gbcs.payload');
  encodeGbz(w, decoded, ctx);
  expect(toHex(w.finish())).toBe(toHex(bytes));
}

function mutations(seeds: readonly { bytes: Uint8Array; cra: Cra }[]) {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      fc.option(fc.nat(), { nil: undefined }),
      fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { nil: undefined }),
    )
    .map(([seed, edits, cut, insert]) => {
      let b = seed.bytes.slice();
      for (const [i, v] of edits) if (b.length) b[i % b.length] = v;
      if (cut !== undefined && b.length) b = b.slice(0, cut % b.length);
      if (insert !== undefined) {
        const at = insert[0] % (b.length + 1);
        b = Uint8Array.from([...b.subarray(0, at), insert[1], ...b.subarray(at)]);
      }
      return { bytes: b, cra: seed.cra };
    });
}

const cra = fc.constantFrom<Cra>(1, 2, 3);
const randomBytes = fc.record({ bytes: fc.uint8Array({ maxLength: 200 }), cra });
const randomAfterProfile = fc.record({
  bytes: fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x01, 0x09, ...b])),
  cra,
});

describe('GBZ decoding of hostile input', () => {
  it('only returns a value that re-encodes identically, or throws DecodeError, for random and mutated hand-written payloads', () => {
    const seeds = HAND_WRITTEN.map(({ hex, cra }) => ({ bytes: fromHex(hex), cra }));
    fc.assert(
      fc.property(fc.oneof(randomBytes, randomAfterProfile, mutations(seeds)), ({ bytes, cra }) =>
        decodesOrThrowsDecodeError(bytes, cra),
      ),
      { numRuns: 5000 },
    );
  });

  it.skipIf(!HAVE_VECTORS)(
    'only returns a value that re-encodes identically, or throws DecodeError, for mutated RTDS payloads',
    () => {
      const seeds = rtdsContents()
        .filter((c) => c.content[0] === 0x01 && c.content[1] === 0x09)
        .map((c) => ({ bytes: c.content, cra: c.cra }));
      expect(seeds.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(mutations(seeds), ({ bytes, cra }) => decodesOrThrowsDecodeError(bytes, cra)),
        { numRuns: 5000 },
      );
    },
  );
});
