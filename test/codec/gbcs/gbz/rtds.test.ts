// Every GBZ payload of RTDS 4.5.0 (read in place from the shared vectors, never copied): payloads whose
// content starts with the ZSE profile id 0x0109. The public three quarters of RTDS hold 273 of them.
import { describe, expect, it } from 'vitest';
import { Reader, Writer, bytesEqual, toHex } from '../../../../src/codec/bytes.js';
import { decodeGbz, encodeGbz, formatGbz } from '../../../../src/codec/gbcs/gbz/index.js';
import { rtdsContents, type RtdsContent } from '../../../support/rtds.js';
import { HAVE_VECTORS } from '../../../vectors.js';

const PUBLIC_RTDS_GBZ_PAYLOADS = 273;

function gbzPayloads(): RtdsContent[] {
  return rtdsContents().filter((c) => c.content[0] === 0x01 && c.content[1] === 0x09);
}

/** Where two encodings first differ, with a little context, instead of two hex blobs. */
function firstDifference(actual: Uint8Array, expected: Uint8Array): string {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const window = (b: Uint8Array) => toHex(b.subarray(Math.max(0, i - 4), i + 8));
  return `first difference at content byte ${i} (lengths ${actual.length} vs ${expected.length}): ${window(actual)} vs ${window(expected)}`;
}

describe.skipIf(!HAVE_VECTORS)('GBZ payloads of RTDS 4.5.0', () => {
  const payloads = HAVE_VECTORS ? gbzPayloads() : [];

  it('round-trips every RTDS GBZ payload byte-exactly', () => {
    const failures: string[] = [];
    let roundTripped = 0;
    for (const c of payloads) {
      const ctx = { messageCode: c.messageCode, cra: c.cra };
      try {
        const r: Reader = new Reader(c.content, 'gbcs.payload', c.contentStart);
        const gbz = decodeGbz(r, ctx);
        r.finish('content');
        const w = new Writer('gbcs.payload');
        encodeGbz(w, gbz, ctx);
        const out = w.finish();
        if (bytesEqual(out, c.content)) roundTripped++;
        else failures.push(`${c.name}: ${firstDifference(out, c.content)}`);
      } catch (e) {
        failures.push(`${c.name}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(roundTripped).toBe(payloads.length);
    expect(roundTripped).toBeGreaterThanOrEqual(PUBLIC_RTDS_GBZ_PAYLOADS);
  });

  it('decodes commands, responses and alerts of every kind the vectors hold', () => {
    const seen = new Set<string>();
    for (const c of payloads) {
      const gbz = decodeGbz(new Reader(c.content, 'gbcs.payload', c.contentStart), c);
      if (gbz.kind === 'alert') seen.add(`alert:${gbz.body.kind}`);
      const components =
        gbz.kind === 'alert' ? (gbz.body.kind === 'components' ? gbz.body.components : []) : gbz.components;
      for (const comp of components) {
        if (comp.encrypted) seen.add('encrypted');
        else {
          seen.add(comp.payload.kind);
          if (comp.fromDateTime !== null) seen.add('from-date-time');
        }
      }
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'alert:components',
        'alert:firmware-hash',
        'alert:future-dated-outcome',
        'alert:integrity-issue-warning',
        'default-response',
        'encrypted',
        'from-date-time',
        'raw',
        'read-attributes',
        'read-attributes-response',
      ]),
    );
  });

  it('prints every RTDS GBZ payload', () => {
    let printed = 0;
    for (const c of payloads) {
      const lines = formatGbz(decodeGbz(new Reader(c.content, 'gbcs.payload', c.contentStart), c));
      expect(lines[0]).toMatch(/^GBZ (payload|alert)/);
      printed++;
    }
    expect(printed).toBeGreaterThanOrEqual(PUBLIC_RTDS_GBZ_PAYLOADS);
  });
});
