// UTRNs (GBCS 14): gbcs-parser's UTRN vectors and the UTRNs inside the RTDS CS01a/CS01b top-up commands,
// the device-side verification outcomes, and properties of parsing arbitrary input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/codec/bytes.js';
import { eui64, type Eui64 } from '../../src/codec/eui64.js';
import { parseGbcs } from '../../src/codec/gbcs/frame.js';
import { SharedSecretCache } from '../../src/crypto/ecdh.js';
import { loadKeyStoreFolder, type MemoryKeyStore } from '../../src/crypto/keystore-folder.js';
import {
  PPTD_OFFSET,
  UTRN_REFUSAL_ALERTS,
  gbcsCheckDigit,
  generateUtrn,
  inferUtrnCounter,
  parseUtrn,
  verifyUtrn,
  type UtrnValueClass,
} from '../../src/crypto/utrn.js';
import { RTDS_KEYSTORE_DIR } from '../vectors.js';
import { HAVE_VECTORS, cryptoVectors, rtdsMessage } from './support.js';

const SUPPLIER = eui64('90B3D51F30010000');
const ESME = eui64('00DB1234567890A0');
const GSME = eui64('00DB1234567890A1');

function keys(): { store: MemoryKeyStore; secret: (device: Eui64) => Uint8Array } {
  const store = loadKeyStoreFolder(RTDS_KEYSTORE_DIR);
  const cache = new SharedSecretCache();
  // GBCS 14: the supplier's PREPAYMENT key-agreement key pairs with the device's KA key.
  const secret = (device: Eui64) =>
    cache.between(store, { eui: SUPPLIER, usage: 'KA', prepayment: true }, { eui: device, usage: 'KA' });
  return { store, secret };
}

/** The 20 ASCII digits of the UTRN in a top-up command's payload. */
function utrnIn(content: Uint8Array): string {
  for (let i = 0; i + 20 <= content.length; i++) {
    const run = content.subarray(i, i + 20);
    if (run.every((b) => b >= 0x30 && b <= 0x39)) return String.fromCharCode(...run);
  }
  throw new Error('no UTRN in payload');
}

describe.skipIf(!HAVE_VECTORS)('UTRN generation reproduces gbcs-parser test/utrn.test.ts', () => {
  const { secret } = HAVE_VECTORS ? keys() : ({} as ReturnType<typeof keys>);
  const cases = HAVE_VECTORS ? cryptoVectors().utrn.cases : [];
  const valueClass = (c: 'pounds' | 'pennies'): UtrnValueClass => (c === 'pounds' ? 'pounds' : 'pence');

  it.each(cases.map((c, i) => ({ ...c, i: i + 1 })))(
    'case $i: £/p $value ($valueClass) at counter $counter gives PPTD $pptd',
    (c) => {
      const device = eui64(c.target);
      const u = generateUtrn(secret(device), {
        originator: eui64(c.originator),
        device,
        counter: BigInt(c.counter),
        value: c.value,
        valueClass: valueClass(c.valueClass),
      });
      expect(u.pptd.toString()).toBe(c.pptd);
      expect(u.ptut).toBe(u.pptd - PPTD_OFFSET);
      // The third case publishes only the PPTD; its check digit then comes from this code (GBCS 14.8 tables).
      if (c.utrn !== undefined) expect(u.utrn).toBe(c.utrn);
      else expect(u.utrn).toBe(c.pptd + String(gbcsCheckDigit(c.pptd)));
    },
  );
});

describe.skipIf(!HAVE_VECTORS)('UTRNs in RTDS top-up commands (CS01a to ESME, CS01b to GSME)', () => {
  const { secret } = HAVE_VECTORS ? keys() : ({} as ReturnType<typeof keys>);
  const command = (name: string) => {
    const bytes = rtdsMessage(name);
    const { message, spans } = parseGbcs(bytes);
    return { header: message.header, utrn: utrnIn(bytes.subarray(spans.contentStart, spans.contentEnd)) };
  };

  it.each([
    ['2.2_CS01a/CS01a_2.2_SUCCESS_COMMAND_GBCS.HEX', '73946144332040217315'],
    ['2.2_CS01a/CS01a_2.2_ERROR_COMMAND_GBCS.HEX', '73948959061972833313'],
    ['2.2_CS01b/CS01b_2.2_SUCCESS_COMMAND_GBCS.HEX', '73950067887105178605'],
  ])(
    '%s carries an authentic UTRN whose counter is the command’s Originator Counter',
    (name, expectedUtrn) => {
      const { header, utrn } = command(name);
      expect(utrn).toBe(expectedUtrn);
      expect(header.originator).toBe(SUPPLIER);
      const result = verifyUtrn(utrn, {
        originator: header.originator,
        device: header.recipient,
        lastAcceptedCounter: header.originatorCounter - (1n << 32n),
        sharedSecret: secret,
      });
      expect(result).toMatchObject({ outcome: 'authentic', counter: header.originatorCounter });
      if (result.outcome !== 'authentic') return;
      const regenerated = generateUtrn(secret(header.recipient), {
        originator: header.originator,
        device: header.recipient,
        counter: header.originatorCounter,
        value: result.value,
        valueClass: result.valueClass,
      });
      expect(regenerated.utrn).toBe(utrn);
    },
  );

  it('CS01b ERROR carries a UTRN that fails its GBCS 14.8 check digit', () => {
    const { header, utrn } = command('2.2_CS01b/CS01b_2.2_ERROR_COMMAND_GBCS.HEX');
    expect(utrn).toBe('12345678910121314156');
    expect(
      verifyUtrn(utrn, {
        originator: SUPPLIER,
        device: header.recipient,
        lastAcceptedCounter: 0n,
        sharedSecret: secret,
      }),
    ).toEqual({
      outcome: 'not-authentic',
      reason: 'utrn: utrn.check-digit at byte 19: expected 0, got 6 (GBCS 14.8)',
    });
  });
});

describe.skipIf(!HAVE_VECTORS)('UTRN verification outcomes on the device', () => {
  const { secret } = HAVE_VECTORS ? keys() : ({} as ReturnType<typeof keys>);
  const topUp = (counter: bigint, device: Eui64 = ESME) =>
    generateUtrn(secret(device), { originator: SUPPLIER, device, counter, value: 2000, valueClass: 'pence' });
  const check = (lastAcceptedCounter: bigint, otherDevices?: Eui64[]) => ({
    originator: SUPPLIER,
    device: ESME,
    lastAcceptedCounter,
    sharedSecret: secret,
    ...(otherDevices && { otherDevices }),
  });

  it('accepts a fresh token and reports its counter, value and class', () => {
    const u = topUp(7n << 32n);
    expect(verifyUtrn(u.utrn, check(6n << 32n))).toMatchObject({
      outcome: 'authentic',
      counter: 7n << 32n,
      value: 2000,
      valueClass: 'pence',
    });
  });

  it('accepts a token that skips counters (UTRNs may be entered out of order of issue)', () => {
    expect(verifyUtrn(topUp(9n << 32n).utrn, check(6n << 32n))).toMatchObject({
      outcome: 'authentic',
      counter: 9n << 32n,
    });
  });

  it('accepts printed UTRNs grouped with spaces or hyphens', () => {
    const u = topUp(7n << 32n).utrn;
    const grouped = u.match(/.{4}/g)!.join(' ');
    expect(verifyUtrn(grouped, check(6n << 32n)).outcome).toBe('authentic');
    expect(verifyUtrn(u.match(/.{5}/g)!.join('-'), check(6n << 32n)).outcome).toBe('authentic');
  });

  it('refuses the same token entered twice as duplicate-or-old-counter', () => {
    const u = topUp(7n << 32n);
    expect(verifyUtrn(u.utrn, check(7n << 32n))).toEqual({
      outcome: 'duplicate-or-old-counter',
      counter: 7n << 32n,
      lastAcceptedCounter: 7n << 32n,
      reason: 'counter 0x700000000 is not above the last accepted 0x700000000',
    });
  });

  it('refuses an older token after a newer one was accepted', () => {
    expect(verifyUtrn(topUp(5n << 32n).utrn, check(7n << 32n))).toMatchObject({
      outcome: 'duplicate-or-old-counter',
      counter: 5n << 32n,
    });
  });

  it('infers the counter bits the token does not carry across a 2^42 window', () => {
    // Only bits 32..41 travel: after counter 1023·2^32, bits "1" mean 1025·2^32, not 1·2^32.
    expect(inferUtrnCounter(1, 1023n << 32n)).toBe(1025n << 32n);
    expect(inferUtrnCounter(1023, 1022n << 32n)).toBe(1023n << 32n);
    expect(inferUtrnCounter(5, (3000n << 32n) + 17n)).toBe(3077n << 32n);
    expect(inferUtrnCounter(0, 0xffffffffffffffffn)).toBeUndefined();
    expect(verifyUtrn(topUp(1025n << 32n).utrn, check(1023n << 32n))).toMatchObject({
      outcome: 'authentic',
      counter: 1025n << 32n,
    });
  });

  it('reports a token for the premise’s other meter as wrong-device when the twin is told to look', () => {
    const forGas = topUp(7n << 32n, GSME);
    expect(verifyUtrn(forGas.utrn, check(6n << 32n, [GSME]))).toEqual({
      outcome: 'wrong-device',
      intendedDevice: GSME,
      counter: 7n << 32n,
      reason: `authenticates for ${GSME}, not ${ESME}`,
    });
    // Without the twin's hint a meter sees only a token that does not authenticate.
    expect(verifyUtrn(forGas.utrn, check(6n << 32n)).outcome).toBe('not-authentic');
  });

  it('refuses a token whose digits were altered but whose check digit was recomputed', () => {
    const u = topUp(7n << 32n);
    const pptd = (u.pptd + 1n).toString();
    const forged = pptd + String(gbcsCheckDigit(pptd));
    expect(verifyUtrn(forged, check(6n << 32n))).toEqual({
      outcome: 'not-authentic',
      reason: `authenticator does not verify for ${ESME} (counter 0x700000000)`,
    });
  });

  it('names the alert a device raises for each refusal', () => {
    expect(UTRN_REFUSAL_ALERTS).toEqual({
      'not-authentic': 0x8f63,
      'wrong-device': 0x8f64,
      'duplicate-or-old-counter': 0x8f51,
    });
  });

  it('refuses values and counters a device could not read back', () => {
    const z = secret(ESME);
    const base = {
      originator: SUPPLIER,
      device: ESME,
      counter: 1n << 32n,
      value: 1,
      valueClass: 'pounds' as const,
    };
    expect(() => generateUtrn(z, { ...base, value: 8192 })).toThrow(
      'utrn: cannot encode value: 8192 is not an integer in 0…8191',
    );
    expect(() => generateUtrn(z, { ...base, value: 1.5 })).toThrow(
      'utrn: cannot encode value: 1.5 is not an integer in 0…8191',
    );
    expect(() => generateUtrn(z, { ...base, counter: (1n << 32n) + 1n })).toThrow(
      'utrn: cannot encode counter: 0x100000001 has bits 0–31 set; only bits 32–41 travel, so the device could never rebuild it',
    );
    expect(() => generateUtrn(z, { ...base, counter: -1n })).toThrow(
      'utrn: cannot encode counter: -1 is not an unsigned 64-bit integer',
    );
  });
});

describe('UTRN parsing', () => {
  const valid = '73943333457189043313'; // gbcs-parser utrn.test.ts case 1

  it('reads PTUT fields from a UTRN', () => {
    expect(parseUtrn(valid)).toEqual({
      utrn: valid,
      pptd: 7394333345718904331n,
      ptut: 7394333345718904331n - PPTD_OFFSET,
      counterBits: 1,
      valueClass: 'pounds',
      value: 100,
      authenticator: Number((7394333345718904331n - PPTD_OFFSET) & 0xffffffffn),
    });
  });

  it.each([
    ['7394333345718904331', 'utrn: utrn at byte 19: expected 20 digits, got 19'],
    ['739433334571890433130', 'utrn: utrn at byte 20: more than 20 digits'],
    ['7394333345718904331x', 'utrn: utrn at byte 19: "x" is not a digit, space or hyphen'],
    ['73943333457189043314', 'utrn: utrn.check-digit at byte 19: expected 3, got 4 (GBCS 14.8)'],
    ['', 'utrn: utrn at byte 0: expected 20 digits, got 0'],
  ])('refuses %j with a DecodeError naming the fault', (text, message) => {
    expect(() => parseUtrn(text)).toThrow(DecodeError);
    expect(() => parseUtrn(text)).toThrow(message);
  });

  it('refuses a PPTD below the GBCS offset and a value class that is not defined', () => {
    const low = '1000000000000000000';
    expect(() => parseUtrn(low + String(gbcsCheckDigit(low)))).toThrow(
      `utrn: utrn.pptd at byte 0: 1000000000000000000 is outside ${PPTD_OFFSET}…7538272178862161919`,
    );
    const classThree = (PPTD_OFFSET + (BigInt((3 << 13) | 5) << 32n)).toString();
    expect(() => parseUtrn(classThree + String(gbcsCheckDigit(classThree)))).toThrow(
      'utrn: utrn.value-class at byte 0: code 3 is not defined (0 pence, 1 pounds)',
    );
  });

  const parseOutcome = (text: string): 'parsed' | 'decode-error' => {
    try {
      parseUtrn(text);
      return 'parsed';
    } catch (e) {
      if (e instanceof DecodeError) return 'decode-error';
      throw e;
    }
  };

  it('parses arbitrary strings to a UTRN or a DecodeError, nothing else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => void parseOutcome(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => void parseOutcome(s)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9 -]{0,26}$/), (s) => void parseOutcome(s)),
      { numRuns: 2000 },
    );
  });

  it('parses every in-range PPTD with its check digit and a defined value class', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 57n) - 1n }), (ptut) => {
        const classCode = Number((ptut >> 45n) & 3n);
        const pptd = (PPTD_OFFSET + ptut).toString();
        const outcome = parseOutcome(pptd + String(gbcsCheckDigit(pptd)));
        expect(outcome).toBe(classCode <= 1 ? 'parsed' : 'decode-error');
      }),
      { numRuns: 1000 },
    );
  });

  it('detects every single-digit substitution (GBCS 14.8 check digit)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 57n) - 1n }),
        fc.nat(19),
        fc.integer({ min: 1, max: 9 }),
        (ptut, at, delta) => {
          const pptd = (PPTD_OFFSET + ptut).toString();
          const utrn = pptd + String(gbcsCheckDigit(pptd));
          const altered = utrn.slice(0, at) + String((Number(utrn[at]) + delta) % 10) + utrn.slice(at + 1);
          const alteredPptd = altered.slice(0, 19);
          expect(gbcsCheckDigit(alteredPptd)).not.toBe(Number(altered[19]));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('detects every transposition of two different adjacent PPTD digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 57n) - 1n }), fc.nat(17), (ptut, at) => {
        const pptd = (PPTD_OFFSET + ptut).toString();
        fc.pre(pptd[at] !== pptd[at + 1]);
        const swapped = pptd.slice(0, at) + pptd[at + 1] + pptd[at] + pptd.slice(at + 2);
        expect(gbcsCheckDigit(swapped)).not.toBe(gbcsCheckDigit(pptd));
      }),
      { numRuns: 2000 },
    );
  });
});

describe.skipIf(!HAVE_VECTORS)('UTRN verification of arbitrary input', () => {
  const { secret } = HAVE_VECTORS ? keys() : ({} as ReturnType<typeof keys>);
  it('returns a typed outcome for any string and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^7[0-9]{19}$/)), (s) => {
        const r = verifyUtrn(s, {
          originator: SUPPLIER,
          device: ESME,
          lastAcceptedCounter: 0n,
          sharedSecret: secret,
        });
        expect(['authentic', 'not-authentic', 'wrong-device', 'duplicate-or-old-counter']).toContain(
          r.outcome,
        );
      }),
      { numRuns: 300 },
    );
  });
});
