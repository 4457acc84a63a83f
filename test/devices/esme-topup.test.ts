// Prepayment top-up on the ESME (GBCS 14): CS01a and the keypad, the UTRN counter cache, and each refusal with
// its alert (0x8F51 duplicate, 0x8F63 not authentic, 0x8F64 not for this device, 0x8F5B, 0x8F47).
import { describe, expect, it } from 'vitest';
import { eui64 } from '../../src/codec/eui64.js';
import {
  ESME_CODES,
  ESME_USE_CASES,
  stepEsme,
  UTRN_CACHE_SIZE,
  type EsmeState,
} from '../../src/devices/esme.js';
import {
  alertsIn,
  fleetEnv,
  GSME,
  joinedEsme,
  NOW,
  responseTo,
  resultsOf,
  send,
  sentToHub,
  typed,
  utrnFor,
  type UtrnSpec,
} from '../support/esme-commands.js';
import { EMPTY_LEDGER } from '../../src/prepayment/ledger.js';

const env = fleetEnv();
const POUNDS = 100_000; // milli-pence

/** Sends a CS01a with the token for `u` under command counter `counter`. */
function topUp(state: EsmeState, u: UtrnSpec, counter: bigint) {
  const spec = { messageCode: ESME_USE_CASES.CS01a, counter, request: typed.cs01a(utrnFor(env, u)) };
  const step = send(state, env, spec);
  return { step, state: step.state, results: resultsOf(responseTo(step, spec, env).dlms) };
}

describe('ESME top-up (CS01a)', () => {
  it('accepts UTRNs in counter order and credits each one (pence and pounds)', () => {
    const a = topUp(joinedEsme(), { counter: 1n << 32n, value: 5, valueClass: 'pounds' }, 1n << 32n);
    const b = topUp(a.state, { counter: 2n << 32n, value: 250, valueClass: 'pence' }, 2n << 32n);
    expect(b.results).toEqual([0]);
    expect(b.state.prepayment.ledger.meterBalance).toBe(5 * POUNDS + 250_000);
    expect(b.state.prepayment.utrnCounters).toEqual([1n << 32n, 2n << 32n]);
  });

  it('refuses the same UTRN a second time: 0x8F51, balance unchanged, other-reason', () => {
    const u = { counter: 1n << 32n, value: 5 };
    const first = topUp(joinedEsme(), u, 10n);
    const again = topUp(first.state, u, 11n);
    expect(again.results).toEqual([250]);
    expect(again.state.prepayment).toEqual(first.state.prepayment);
    expect(alertsIn(again.step, env)).toEqual([
      { code: ESME_CODES.duplicateUtrn, signed: false, valid: true },
    ]);
    expect(again.state.eventLog.map((e) => e.code)).toEqual([ESME_CODES.duplicateUtrn]);
  });

  it('accepts an out-of-order UTRN above the lowest cached counter, refuses one below it (GBCS 14.3.6)', () => {
    const one = topUp(joinedEsme(), { counter: 1n << 32n, value: 1 }, 10n);
    const three = topUp(one.state, { counter: 3n << 32n, value: 1 }, 11n);
    const two = topUp(three.state, { counter: 2n << 32n, value: 1 }, 12n);
    expect(two.results).toEqual([0]);
    expect(two.state.prepayment.utrnCounters).toEqual([1n << 32n, 2n << 32n, 3n << 32n]);
    const below = topUp(
      topUp(joinedEsme(), { counter: 3n << 32n, value: 1 }, 10n).state,
      { counter: 2n << 32n, value: 1 },
      11n,
    );
    expect(below.results).toEqual([250]);
    expect(alertsIn(below.step, env).map((a) => a.code)).toEqual([ESME_CODES.duplicateUtrn]);
  });

  it(`keeps at most ${UTRN_CACHE_SIZE} counters, dropping the lowest`, () => {
    let state = joinedEsme();
    for (let k = 1n; k <= BigInt(UTRN_CACHE_SIZE) + 2n; k++)
      state = topUp(state, { counter: k << 32n, value: 1 }, k).state;
    const expected = Array.from({ length: UTRN_CACHE_SIZE }, (_, i) => BigInt(i + 3) << 32n);
    expect(state.prepayment.utrnCounters).toEqual(expected);
  });

  it('refuses a UTRN made with another supplier’s prepayment key: 0x8F63, in the security log', () => {
    const other = eui64('90B3D51F30010008');
    const refused = topUp(joinedEsme(), { counter: 1n << 32n, value: 5, supplier: other }, 10n);
    expect(refused.results).toEqual([250]);
    expect(refused.state.prepayment.ledger.meterBalance).toBe(0);
    expect(alertsIn(refused.step, env).map((a) => a.code)).toEqual([ESME_CODES.utrnNotAuthentic]);
    expect(refused.state.securityLog.map((e) => e.code)).toEqual([ESME_CODES.utrnNotAuthentic]);
  });

  it('refuses a UTRN meant for the premise’s gas meter: 0x8F64', () => {
    const refused = topUp(
      joinedEsme({ otherMeters: [GSME] }),
      { counter: 1n << 32n, value: 5, device: GSME },
      10n,
    );
    expect(alertsIn(refused.step, env).map((a) => a.code)).toEqual([ESME_CODES.utrnNotForThisDevice]);
    expect(refused.state.prepayment.utrnCounters).toEqual([]);
  });

  it('reads a token for an unknown device as not authentic: a real meter cannot tell (0x8F63)', () => {
    const refused = topUp(joinedEsme(), { counter: 1n << 32n, value: 5, device: GSME }, 10n);
    expect(alertsIn(refused.step, env).map((a) => a.code)).toEqual([ESME_CODES.utrnNotAuthentic]);
  });

  it('refuses a credit above the Maximum Credit Threshold (0x8F5B) or the Maximum Meter Balance (0x8F47)', () => {
    const capped = joinedEsme({
      prepayment: {
        maxCreditThreshold: 20 * POUNDS,
        maxMeterBalance: 50 * POUNDS,
        ledger: { ...EMPTY_LEDGER, meterBalance: 45 * POUNDS },
      },
    });
    const tooBig = topUp(capped, { counter: 1n << 32n, value: 21 }, 10n);
    expect(alertsIn(tooBig.step, env).map((a) => a.code)).toEqual([ESME_CODES.utrnExceedsMaxCreditThreshold]);
    const tooMuch = topUp(capped, { counter: 1n << 32n, value: 6 }, 10n);
    expect(alertsIn(tooMuch.step, env).map((a) => a.code)).toEqual([
      ESME_CODES.creditWouldExceedMaxMeterBalance,
    ]);
    const fits = topUp(capped, { counter: 1n << 32n, value: 5 }, 10n);
    expect(fits.state.prepayment.ledger.meterBalance).toBe(50 * POUNDS);
  });

  it('refuses a token that is not a UTRN (bad check digit) as not authentic', () => {
    const spec = {
      messageCode: ESME_USE_CASES.CS01a,
      counter: 10n,
      request: typed.cs01a('73946144332040217310'),
    };
    const step = send(joinedEsme(), env, spec);
    expect(resultsOf(responseTo(step, spec, env).dlms)).toEqual([250]);
    expect(alertsIn(step, env).map((a) => a.code)).toEqual([ESME_CODES.utrnNotAuthentic]);
  });
});

describe('ESME keypad top-up', () => {
  it('credits a UTRN typed on the keypad and logs Credit Added Locally (0x810E), sending nothing', () => {
    const utrn = utrnFor(env, { counter: 1n << 32n, value: 20 });
    const step = stepEsme(joinedEsme(), { type: 'local', action: { kind: 'keypad-utrn', utrn } }, NOW, env);
    expect(step.state.prepayment.ledger.meterBalance).toBe(20 * POUNDS);
    expect(step.state.eventLog).toEqual([{ atMs: NOW, code: ESME_CODES.creditAddedLocally }]);
    expect(sentToHub(step.effects)).toEqual([]);
  });

  it('raises the alert for a duplicate typed on the keypad', () => {
    const utrn = utrnFor(env, { counter: 1n << 32n, value: 20 });
    const once = stepEsme(joinedEsme(), { type: 'local', action: { kind: 'keypad-utrn', utrn } }, NOW, env);
    const twice = stepEsme(once.state, { type: 'local', action: { kind: 'keypad-utrn', utrn } }, NOW, env);
    expect(twice.state.prepayment.ledger.meterBalance).toBe(20 * POUNDS);
    expect(alertsIn(twice, env).map((a) => a.code)).toEqual([ESME_CODES.duplicateUtrn]);
  });
});
