// The prepayment engine (src/prepayment/ledger.ts) against its documented model: a worked example computed by hand
// (balances, emergency credit, debt recovery, time debt, every crossing at its exact instant), the non-disablement
// period, the top-up refusals, path independence, nextCrossingMs and credit mode.
//
// Money is an integer in 10^-5 £ (£1 = 100 000). A flat 1 kW profile uses exactly 1 kWh an hour, so with a unit
// price of 18p/kWh (18 000) and a standing charge of 48p/day (48 000, i.e. 2 000 an hour) an hour on supply costs
// 18 000 + 2 000 = 20 000 (20p), and an hour off supply costs the standing charge alone, 2 000.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GasCalendar } from '../../src/devices/gsme-state.js';
import { gasCalendar, NO_FRIENDLY_CALENDAR, type FriendlyCalendar } from '../../src/prepayment/calendar.js';
import type { ConsumptionProfile } from '../../src/prepayment/consumption.js';
import {
  advance,
  applyCredit,
  availableCredit,
  creditRestored,
  EMPTY_LEDGER,
  emergencyCreditOnOffer,
  nextCrossingMs,
  takeEmergencyCredit,
  type Advanced,
  type Credited,
  type Ledger,
  type LedgerEvent,
  type PrepaymentSettings,
} from '../../src/prepayment/ledger.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** 1 kW: 1 kWh an hour. */
const ONE_KW: ConsumptionProfile = { kind: 'flat', watts: 1000 };

/** Monday 6 January 2025, 00:00 UTC. */
const MON = at('2025-01-06T00:00:00Z');

/** The worked example's meter: 18p/kWh, 48p/day; thresholds £2 / £1 / £0, EC £5; 10 % recovery capped at £1 a day. */
const SETTINGS: PrepaymentSettings = {
  prepayment: true,
  tariff: { unitPrice: 18_000, standingChargePerDay: 48_000 },
  emergencyCreditLimit: 500_000,
  emergencyCreditThreshold: 100_000,
  lowCreditThreshold: 200_000,
  disablementThreshold: 0,
  maxMeterBalance: 0,
  maxCreditThreshold: 0,
  debtRecoveryPerPayment: 1_000,
  debtRecoveryRateCap: 100_000,
  debtRecoveryRateCapPeriodMs: DAY,
  timeDebtRates: [
    { amount: 10_000, periodMs: DAY },
    { amount: 0, periodMs: 0 },
  ],
  calendar: NO_FRIENDLY_CALENDAR,
};

const settings = (overrides: Partial<PrepaymentSettings>): PrepaymentSettings => ({
  ...SETTINGS,
  ...overrides,
});

/** A ledger at `asOfMs` with the given balances, nothing else scheduled. */
const ledgerAt = (asOfMs: number, parts: Partial<Ledger> = {}): Ledger => ({
  ...EMPTY_LEDGER,
  asOfMs,
  ...parts,
});

/** What the model talks about, readable in a failure diff. */
function view(l: Ledger) {
  return {
    at: iso(l.asOfMs),
    meterBalance: l.meterBalance,
    emergencyCreditActive: l.emergencyCreditActive,
    emergencyCreditBalance: l.emergencyCreditBalance,
    availableCredit: availableCredit(l),
    timeDebts: [...l.timeDebts],
    paymentDebt: l.paymentDebt,
  };
}

function ran(r: Advanced) {
  return { event: r.event, ...view(r.ledger), energyWh: r.energyWh };
}

function accepted(c: Credited): Extract<Credited, { accepted: true }> {
  if (!c.accepted) throw new Error(`top-up refused: ${c.refusal}`);
  return c;
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('worked example (computed by hand)', () => {
  it('runs credit down through low credit, emergency credit and disablement, then a £20 top-up repays it all', () => {
    // Monday 00:00: £3 on the meter, a time debt of £1.20 recovered 10p a day, a payment debt of £3.
    let l = ledgerAt(MON, { meterBalance: 300_000, timeDebts: [120_000, 0], paymentDebt: 300_000 });
    let supplyOn = true;
    const step = (toMs: number): Advanced => {
      const r = advance(l, SETTINGS, ONE_KW, supplyOn, toMs);
      l = r.ledger;
      return r;
    };
    const base = { emergencyCreditActive: false, emergencyCreditBalance: 0, paymentDebt: 300_000 };

    // Low credit: available credit ≤ £2. 300 000 − 200 000 = 100 000 to charge at 20 000 an hour = 5 h → 05:00.
    // 5 h × 1 kW = 5 000 Wh.
    expect(ran(step(MON + 2 * DAY))).toEqual({
      ...base,
      event: 'low-credit',
      at: '2025-01-06T05:00:00.000Z',
      meterBalance: 200_000,
      availableCredit: 200_000,
      timeDebts: [120_000, 0],
      energyWh: 5_000,
    });

    // Emergency credit on offer: meter balance ≤ £1. 200 000 − 100 000 = 100 000 at 20 000/h = 5 h → 10:00.
    expect(ran(step(MON + 2 * DAY))).toEqual({
      ...base,
      event: 'emergency-credit-available',
      at: '2025-01-06T10:00:00.000Z',
      meterBalance: 100_000,
      availableCredit: 100_000,
      timeDebts: [120_000, 0],
      energyWh: 5_000,
    });

    // The consumer takes it: £5 of emergency credit, available credit 100 000 + 500 000 = 600 000.
    l = takeEmergencyCredit(l, SETTINGS)!;
    expect(view(l)).toMatchObject({ emergencyCreditActive: true, emergencyCreditBalance: 500_000 });
    expect(availableCredit(l)).toBe(600_000);

    // Available credit is above £2 again, so low credit re-arms. It comes when 600 000 − 200 000 = 400 000 has
    // been charged: 400 000 / 20 000 = 20 h after Monday 10:00 → Tuesday 06:00. The meter balance is spent first
    // (100 000 = 5 h, to Monday 15:00), then the emergency credit: 15 h × 20 000 = 300 000 of it, 200 000 left.
    // Tuesday 00:00 ends a time-debt period, but no instalment is taken: emergency credit is in use.
    // 20 h × 1 kW = 20 000 Wh.
    expect(ran(step(MON + 2 * DAY))).toEqual({
      ...base,
      event: 'low-credit',
      at: '2025-01-07T06:00:00.000Z',
      meterBalance: 0,
      emergencyCreditActive: true,
      emergencyCreditBalance: 200_000,
      availableCredit: 200_000,
      timeDebts: [120_000, 0],
      energyWh: 20_000,
    });

    // The emergency credit runs out: 200 000 / 20 000 = 10 h → Tuesday 16:00, available credit 0 ≤ the
    // disablement threshold 0, no non-disablement period: disable. 10 000 Wh.
    expect(ran(step(MON + 2 * DAY))).toEqual({
      ...base,
      event: 'disable',
      at: '2025-01-07T16:00:00.000Z',
      meterBalance: 0,
      emergencyCreditActive: true,
      emergencyCreditBalance: 0,
      availableCredit: 0,
      timeDebts: [120_000, 0],
      energyWh: 10_000,
    });
    supplyOn = false;

    // The same instant, supply now off: the emergency credit in use is exhausted (alert 0x81AA).
    expect(ran(step(MON + 2 * DAY))).toMatchObject({
      event: 'emergency-credit-exhausted',
      at: '2025-01-07T16:00:00.000Z',
      energyWh: 0,
    });
    expect(creditRestored(l, SETTINGS)).toBe(false);

    // Off supply only the standing charge runs, and with no credit left it takes the meter balance below zero:
    // 16:00 → Wednesday 00:00 = 8 h × 2 000 = 16 000 → −16 000. No instalment at Wednesday 00:00 (supply off).
    expect(ran(step(MON + 2 * DAY))).toEqual({
      ...base,
      event: undefined,
      at: '2025-01-08T00:00:00.000Z',
      meterBalance: -16_000,
      emergencyCreditActive: true,
      emergencyCreditBalance: 0,
      availableCredit: -16_000,
      timeDebts: [120_000, 0],
      energyWh: 0,
    });

    // Wednesday 00:00, a £20 top-up (2 000 000):
    //   emergency credit used 500 000 − 0 = 500 000 repaid first (the emergency credit ends) → 1 500 000 left;
    //   10 % of 1 500 000 = 150 000 towards the payment debt, but the cap is £1 (100 000) a day and nothing has
    //     been recovered in Wednesday's period → 100 000 recovered, payment debt 300 000 − 100 000 = 200 000;
    //   the rest, 1 500 000 − 100 000 = 1 400 000, to the balance: it clears the −16 000 first →
    //     −16 000 + 1 400 000 = 1 384 000.
    const first = accepted(applyCredit(l, SETTINGS, 2_000_000));
    expect(first.split).toEqual({
      emergencyCreditRepaid: 500_000,
      debtRecovered: 100_000,
      credited: 1_400_000,
    });
    l = first.ledger;
    expect(view(l)).toEqual({
      at: '2025-01-08T00:00:00.000Z',
      meterBalance: 1_384_000,
      emergencyCreditActive: false,
      emergencyCreditBalance: 0,
      availableCredit: 1_384_000,
      timeDebts: [120_000, 0],
      paymentDebt: 200_000,
    });
    expect(creditRestored(l, SETTINGS)).toBe(true);
    supplyOn = true; // armed, and the consumer restores the supply at once

    // Wednesday 12:00: 12 h × 20 000 = 240 000 → 1 384 000 − 240 000 = 1 144 000. No crossing. 12 000 Wh.
    expect(ran(step(at('2025-01-08T12:00:00Z')))).toEqual({
      ...base,
      event: undefined,
      at: '2025-01-08T12:00:00.000Z',
      meterBalance: 1_144_000,
      availableCredit: 1_144_000,
      timeDebts: [120_000, 0],
      paymentDebt: 200_000,
      energyWh: 12_000,
    });

    // Wednesday 12:00, £5 (500 000): no emergency credit to repay; 10 % = 50 000, but Wednesday's cap is already
    // used up (100 000 of 100 000) → nothing recovered; all 500 000 to the balance → 1 644 000.
    const second = accepted(applyCredit(l, SETTINGS, 500_000));
    expect(second.split).toEqual({ emergencyCreditRepaid: 0, debtRecovered: 0, credited: 500_000 });
    l = second.ledger;
    expect(l.meterBalance).toBe(1_644_000);
    expect(l.paymentDebt).toBe(200_000);

    // Thursday 00:00: 12 h × 20 000 = 240 000, and the first instalment of the walk (supply on, no emergency
    // credit): 10 000 → 1 644 000 − 240 000 − 10 000 = 1 394 000; time debt 120 000 − 10 000 = 110 000.
    expect(ran(step(at('2025-01-09T00:00:00Z')))).toEqual({
      ...base,
      event: undefined,
      at: '2025-01-09T00:00:00.000Z',
      meterBalance: 1_394_000,
      availableCredit: 1_394_000,
      timeDebts: [110_000, 0],
      paymentDebt: 200_000,
      energyWh: 12_000,
    });

    // Thursday 00:00, £5 again: a new cap period, so 10 % = 50 000 is recovered (50 000 ≤ the cap 100 000),
    // payment debt 200 000 − 50 000 = 150 000; 450 000 to the balance → 1 844 000.
    const third = accepted(applyCredit(l, SETTINGS, 500_000));
    expect(third.split).toEqual({ emergencyCreditRepaid: 0, debtRecovered: 50_000, credited: 450_000 });
    l = third.ledger;
    expect(l.meterBalance).toBe(1_844_000);

    // Friday 00:00: 24 h × 20 000 = 480 000 and an instalment of 10 000 → 1 844 000 − 490 000 = 1 354 000;
    // time debt 110 000 − 10 000 = 100 000. 24 000 Wh.
    expect(ran(step(at('2025-01-10T00:00:00Z')))).toEqual({
      ...base,
      event: undefined,
      at: '2025-01-10T00:00:00.000Z',
      meterBalance: 1_354_000,
      availableCredit: 1_354_000,
      timeDebts: [100_000, 0],
      paymentDebt: 150_000,
      energyWh: 24_000,
    });
    expect(l.chargeCarry).toBe(0);
  });
});

describe('time-debt instalments', () => {
  const quiet = settings({
    emergencyCreditLimit: 0,
    emergencyCreditThreshold: 0,
    lowCreditThreshold: 0,
    timeDebtRates: [
      { amount: 10_000, periodMs: DAY },
      { amount: 7_000, periodMs: 6 * HOUR },
    ],
  });

  it('are taken at the end of each period aligned to UTC, the last one only what is left of the debt', () => {
    // Monday 10:00 → Thursday 12:00 = 74 h on supply × 20 000 = 1 480 000.
    // Debt 1 (25 000, 10 000 a day): Tuesday, Wednesday 00:00 10 000 each, Thursday 00:00 the last 5 000.
    // Debt 2 (30 000, 7 000 every 6 h): 12:00, 18:00, Tuesday 00:00, 06:00 take 4 × 7 000 = 28 000, 12:00 the
    // last 2 000. Balance 2 000 000 − 1 480 000 − 25 000 − 30 000 = 465 000.
    const l = ledgerAt(at('2025-01-06T10:00:00Z'), { meterBalance: 2_000_000, timeDebts: [25_000, 30_000] });
    const r = advance(l, quiet, ONE_KW, true, at('2025-01-09T12:00:00Z'));
    expect(r.event).toBeUndefined();
    expect(r.ledger.timeDebts).toEqual([0, 0]);
    expect(r.ledger.meterBalance).toBe(465_000);

    // Just before and at Tuesday 06:00: debt 2 has paid 12:00, 18:00 and 00:00 (21 000), then 06:00.
    const before = advance(l, quiet, ONE_KW, true, at('2025-01-07T05:59:59.999Z')).ledger;
    expect(before.timeDebts).toEqual([15_000, 9_000]);
    expect(advance(before, quiet, ONE_KW, true, at('2025-01-07T06:00:00Z')).ledger.timeDebts).toEqual([
      15_000, 2_000,
    ]);
  });

  it('are not taken while emergency credit is in use', () => {
    // Monday 20:00, 140 000 on the meter (low credit at once: 140 000 ≤ 200 000), supplied without emergency
    // credit, so Tuesday 00:00 is the next instalment. 2 h × 20 000 = 40 000 → 100 000 at 22:00: emergency credit
    // on offer, and the consumer takes it.
    const l = ledgerAt(at('2025-01-06T20:00:00Z'), { meterBalance: 140_000, timeDebts: [120_000, 0] });
    const low = advance(l, SETTINGS, ONE_KW, true, at('2025-01-07T02:00:00Z'));
    expect(ran(low)).toMatchObject({ event: 'low-credit', at: '2025-01-06T20:00:00.000Z' });
    const offered = advance(low.ledger, SETTINGS, ONE_KW, true, at('2025-01-07T02:00:00Z'));
    expect(ran(offered)).toMatchObject({
      event: 'emergency-credit-available',
      at: '2025-01-06T22:00:00.000Z',
    });
    const taken = takeEmergencyCredit(offered.ledger, SETTINGS)!;
    // 22:00 → Tuesday 02:00 = 4 h × 20 000 = 80 000 off the meter balance: 100 000 → 20 000, the emergency credit
    // untouched, and no instalment at midnight.
    const r = advance(taken, SETTINGS, ONE_KW, true, at('2025-01-07T02:00:00Z'));
    expect(ran(r)).toEqual({
      event: undefined,
      at: '2025-01-07T02:00:00.000Z',
      meterBalance: 20_000,
      emergencyCreditActive: true,
      emergencyCreditBalance: 500_000,
      availableCredit: 520_000,
      timeDebts: [120_000, 0],
      paymentDebt: 0,
      energyWh: 4_000,
    });
  });

  it('are not taken while the supply is off, and resume at the next period end once it is back', () => {
    // Monday 20:00 → 22:00 on supply: 2 h × 20 000 = 40 000 → 1 500 000 − 40 000 = 1 460 000. Then off until
    // Wednesday 02:00: 28 h × 2 000 = 56 000 → 1 404 000, and no instalment at Tuesday or Wednesday 00:00.
    const l = ledgerAt(at('2025-01-06T20:00:00Z'), { meterBalance: 1_500_000, timeDebts: [120_000, 0] });
    const on = advance(l, SETTINGS, ONE_KW, true, at('2025-01-06T22:00:00Z')).ledger;
    expect(on.meterBalance).toBe(1_460_000);
    const off = advance(on, SETTINGS, ONE_KW, false, at('2025-01-08T02:00:00Z'));
    expect(ran(off)).toMatchObject({ event: undefined, meterBalance: 1_404_000, timeDebts: [120_000, 0] });
    expect(off.energyWh).toBe(0);
    // Back on at 02:00: Thursday 00:00 is the next period end. 22 h × 20 000 = 440 000 and an instalment of
    // 10 000 → 1 404 000 − 450 000 = 954 000; time debt 110 000.
    const back = advance(off.ledger, SETTINGS, ONE_KW, true, at('2025-01-09T00:00:00Z'));
    expect(ran(back)).toMatchObject({ event: undefined, meterBalance: 954_000, timeDebts: [110_000, 0] });
  });
});

describe('non-disablement period', () => {
  // Friendly from 16:00 to 08:00 every day: START 00:00, STOP 08:00, START 16:00; every weekday, all year.
  const START = 1;
  const STOP = 0;
  const friendlyNights: GasCalendar = {
    providerId: 0,
    issuerEventId: 0,
    days: [
      {
        id: 1,
        entries: [
          [0, START],
          [8 * 60, STOP],
          [16 * 60, START],
        ],
      },
    ],
    weeks: [{ id: 1, days: [1, 1, 1, 1, 1, 1, 1] }],
    seasons: [{ date: [0xff, 1, 1, 0xff], ref: 1 }],
    specialDays: [],
  };
  const calendar: FriendlyCalendar = gasCalendar(friendlyNights);
  const s = settings({
    emergencyCreditLimit: 0,
    emergencyCreditThreshold: 0,
    lowCreditThreshold: 100_000,
    timeDebtRates: [
      { amount: 0, periodMs: 0 },
      { amount: 0, periodMs: 0 },
    ],
    calendar,
  });
  // Monday 12:00 with £2: low credit at 100 000 after 5 h (17:00), credit gone after 10 h (22:00).
  const start = ledgerAt(at('2025-01-06T12:00:00Z'), { meterBalance: 200_000 });

  it('credit running out at 22:00 suspends disablement; the balance goes negative overnight; disable at 08:00', () => {
    const low = advance(start, s, ONE_KW, true, at('2025-01-08T00:00:00Z'));
    expect(ran(low)).toMatchObject({
      event: 'low-credit',
      at: '2025-01-06T17:00:00.000Z',
      meterBalance: 100_000,
    });
    const suspended = advance(low.ledger, s, ONE_KW, true, at('2025-01-08T00:00:00Z'));
    expect(ran(suspended)).toMatchObject({
      event: 'disablement-suspended',
      at: '2025-01-06T22:00:00.000Z',
      meterBalance: 0,
    });
    // The meter wakes next at 08:00, when the period ends.
    expect(iso(nextCrossingMs(suspended.ledger, s, ONE_KW, true, 2 * DAY))).toBe('2025-01-07T08:00:00.000Z');
    // Tuesday 03:00, still supplied: 5 h × 20 000 = 100 000 of friendly credit used → −100 000, no event.
    const night = advance(suspended.ledger, s, ONE_KW, true, at('2025-01-07T03:00:00Z'));
    expect(ran(night)).toMatchObject({ event: undefined, meterBalance: -100_000, energyWh: 5_000 });
    // 08:00: 10 h × 20 000 = 200 000 → −200 000, the period ends: disable.
    const disabled = advance(night.ledger, s, ONE_KW, true, at('2025-01-08T00:00:00Z'));
    expect(ran(disabled)).toMatchObject({
      event: 'disable',
      at: '2025-01-07T08:00:00.000Z',
      meterBalance: -200_000,
      energyWh: 5_000,
    });
  });

  it('without the calendar the same meter is disabled at 22:00', () => {
    const plain = settings({ ...s, calendar: NO_FRIENDLY_CALENDAR });
    const low = advance(start, plain, ONE_KW, true, at('2025-01-08T00:00:00Z'));
    const r = advance(low.ledger, plain, ONE_KW, true, at('2025-01-08T00:00:00Z'));
    expect(ran(r)).toMatchObject({ event: 'disable', at: '2025-01-06T22:00:00.000Z', meterBalance: 0 });
  });

  it('a top-up in the night first repays the friendly credit used, and the supply continues past 08:00', () => {
    const low = advance(start, s, ONE_KW, true, at('2025-01-08T00:00:00Z'));
    const suspended = advance(low.ledger, s, ONE_KW, true, at('2025-01-08T00:00:00Z'));
    const night = advance(suspended.ledger, s, ONE_KW, true, at('2025-01-07T03:00:00Z')).ledger;
    // −100 000 + £5 (500 000) = 400 000; no payment debt, so no recovery.
    const topUp = accepted(applyCredit(night, s, 500_000));
    expect(topUp.split).toEqual({ emergencyCreditRepaid: 0, debtRecovered: 0, credited: 500_000 });
    expect(topUp.ledger.meterBalance).toBe(400_000);
    // 03:00 → 09:00 = 6 h × 20 000 = 120 000 → 280 000, no crossing at 08:00.
    const r = advance(topUp.ledger, s, ONE_KW, true, at('2025-01-07T09:00:00Z'));
    expect(ran(r)).toMatchObject({ event: undefined, at: '2025-01-07T09:00:00.000Z', meterBalance: 280_000 });
  });
});

describe('top-up refusals', () => {
  const l = deepFreeze(
    ledgerAt(at('2025-01-08T00:00:00Z'), {
      meterBalance: 1_500_000,
      paymentDebt: 300_000,
      emergencyCreditActive: true,
      emergencyCreditBalance: 200_000,
      emergencyCreditGranted: 500_000,
    }),
  );
  const snapshot = structuredClone(l);

  it('refuses a top-up above maxCreditThreshold and changes nothing', () => {
    const s = settings({ maxCreditThreshold: 1_000_000 });
    expect(applyCredit(l, s, 1_000_001)).toEqual({
      accepted: false,
      refusal: 'exceeds-max-credit-threshold',
    });
    expect(l).toEqual(snapshot);
    // At the threshold it is accepted: 300 000 emergency credit repaid, 10 % of 700 000 = 70 000 recovered.
    expect(accepted(applyCredit(l, s, 1_000_000)).split).toEqual({
      emergencyCreditRepaid: 300_000,
      debtRecovered: 70_000,
      credited: 630_000,
    });
  });

  it('refuses a top-up that would take the meter balance above maxMeterBalance (after repayment and recovery)', () => {
    const s = settings({ maxMeterBalance: 2_000_000 });
    // 900 000: 300 000 repays the emergency credit, 10 % of 600 000 = 60 000 recovered, 540 000 credited →
    // 1 500 000 + 540 000 = 2 040 000 > 2 000 000: refused.
    expect(applyCredit(l, s, 900_000)).toEqual({ accepted: false, refusal: 'exceeds-max-meter-balance' });
    expect(l).toEqual(snapshot);
    // 850 000: 300 000 repaid, 55 000 recovered, 495 000 credited → 1 995 000 ≤ 2 000 000: accepted.
    const ok = accepted(applyCredit(l, s, 850_000));
    expect(ok.split).toEqual({ emergencyCreditRepaid: 300_000, debtRecovered: 55_000, credited: 495_000 });
    expect(ok.ledger.meterBalance).toBe(1_995_000);
    // The refusal counted nothing towards the cap period: the full £1 cap was still there.
    expect(ok.ledger.recoveredInCapPeriod).toBe(55_000);
  });
});

/** Runs the ledger to each instant of `cuts` in turn, acting on crossings as a meter does (settleEsme). */
function runThrough(
  start: Ledger,
  s: PrepaymentSettings,
  profile: ConsumptionProfile,
  cuts: readonly number[],
  topUps: ReadonlyMap<number, number>,
) {
  let l = start;
  let supplyOn = true;
  let energyWh = 0;
  const events: [LedgerEvent, string][] = [];
  for (const cut of cuts) {
    for (let guard = 0; ; guard++) {
      if (guard > 64) throw new Error('too many crossings');
      const r = advance(l, s, profile, supplyOn, cut);
      l = r.ledger;
      energyWh += r.energyWh;
      if (r.event === undefined) break;
      events.push([r.event, iso(l.asOfMs)]);
      if (r.event === 'disable') supplyOn = false;
      if (r.event === 'emergency-credit-available') l = takeEmergencyCredit(l, s)!;
    }
    const amount = topUps.get(cut);
    if (amount !== undefined) {
      l = accepted(applyCredit(l, s, amount)).ledger;
      if (creditRestored(l, s)) supplyOn = true;
    }
  }
  return { ledger: l, energyWh, events };
}

describe('determinism', () => {
  const s = settings({
    timeDebtRates: [
      { amount: 10_000, periodMs: DAY },
      { amount: 7_000, periodMs: 6 * HOUR },
    ],
  });
  const start = ledgerAt(MON, { meterBalance: 300_000, timeDebts: [120_000, 50_000], paymentDebt: 300_000 });
  const TOP_UP_AT = at('2025-01-08T00:00:00Z');
  const END = at('2025-01-09T12:00:00Z');
  const topUps = new Map([[TOP_UP_AT, 2_000_000]]);

  const profiles: [string, ConsumptionProfile][] = [
    ['flat 1 kW', ONE_KW],
    ['domestic', { kind: 'domestic', fuel: 'electricity', annualKwh: 20_000, seed: 0x5eed }],
  ];
  for (const [name, profile] of profiles) {
    it(`advancing in one call or through 97 random instants gives the same balances and crossings (${name})`, () => {
      const whole = runThrough(start, s, profile, [TOP_UP_AT, END], topUps);
      expect(whole.events.map(([e]) => e)).toContain('disable');
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: MON + 1, max: END - 1 }), { minLength: 97, maxLength: 97 }),
          (instants) => {
            const cuts = [...new Set([...instants, TOP_UP_AT, END])].sort((a, b) => a - b);
            const pieces = runThrough(start, s, profile, cuts, topUps);
            expect(pieces.events).toEqual(whole.events);
            const a = pieces.ledger;
            const b = whole.ledger;
            expect(a.asOfMs).toBe(b.asOfMs);
            expect(Math.abs(a.meterBalance - b.meterBalance)).toBeLessThanOrEqual(1);
            expect(Math.abs(a.emergencyCreditBalance - b.emergencyCreditBalance)).toBeLessThanOrEqual(1);
            expect(a.emergencyCreditActive).toBe(b.emergencyCreditActive);
            expect(a.timeDebts).toEqual(b.timeDebts);
            expect(a.paymentDebt).toBe(b.paymentDebt);
            expect(pieces.energyWh).toBeCloseTo(whole.energyWh, 6);
          },
        ),
      );
    });
  }

  it('a crossing falls on the same millisecond whatever instant the caller last stopped at', () => {
    // From Monday 00:00 with £3 and the flat 1 kW profile, low credit (£2) is 100 000 / 20 000 = 5 h away: 05:00.
    // Stopping first at 04:54:34.563 (carry 17 674 563 / 180 = 98 192.0166… → 98 192 charged, 0.0166… carried)
    // must not move it.
    const s0 = settings({ emergencyCreditLimit: 0 });
    const l = ledgerAt(MON, { meterBalance: 300_000 });
    const direct = advance(l, s0, ONE_KW, true, MON + DAY);
    expect(iso(direct.ledger.asOfMs)).toBe('2025-01-06T05:00:00.000Z');
    const stop = advance(l, s0, ONE_KW, true, MON + 17_674_563);
    expect(stop.ledger.meterBalance).toBe(201_808);
    const via = advance(stop.ledger, s0, ONE_KW, true, MON + DAY);
    expect(ran(via)).toMatchObject({
      event: 'low-credit',
      at: '2025-01-06T05:00:00.000Z',
      meterBalance: 200_000,
    });
  });
});

describe('nextCrossingMs', () => {
  it('is the instant of the next crossing and leaves the ledger as it was', () => {
    const l = deepFreeze(ledgerAt(MON, { meterBalance: 300_000, timeDebts: [120_000, 0] }));
    const snapshot = structuredClone(l);
    expect(iso(nextCrossingMs(l, SETTINGS, ONE_KW, true, 2 * DAY))).toBe('2025-01-06T05:00:00.000Z');
    expect(l).toEqual(snapshot);
    // After acting on it (the latch set), the next one: emergency credit on offer at 10:00.
    const low = advance(l, SETTINGS, ONE_KW, true, MON + 2 * DAY).ledger;
    expect(iso(nextCrossingMs(low, SETTINGS, ONE_KW, true, 2 * DAY))).toBe('2025-01-06T10:00:00.000Z');
    expect(low.asOfMs).toBe(at('2025-01-06T05:00:00Z'));
  });

  it('is the horizon when no crossing comes before it', () => {
    // £20: 1 800 000 above the £2 low-credit threshold is 90 h away; a 1-day horizon ends first.
    const l = ledgerAt(MON, { meterBalance: 2_000_000 });
    expect(nextCrossingMs(l, SETTINGS, ONE_KW, true, DAY)).toBe(MON + DAY);
    expect(iso(nextCrossingMs(l, SETTINGS, ONE_KW, true, 4 * DAY))).toBe('2025-01-09T18:00:00.000Z');
  });

  it('is now when a crossing is due at the ledger instant', () => {
    const l = ledgerAt(MON, { meterBalance: 0 });
    expect(nextCrossingMs(l, settings({ emergencyCreditLimit: 0 }), ONE_KW, true, DAY)).toBe(MON);
  });
});

describe('credit mode (prepayment: false)', () => {
  const credit = settings({ prepayment: false });

  it('raises no crossing and charges nothing, but still counts the energy', () => {
    const l = ledgerAt(MON, { meterBalance: 0, timeDebts: [120_000, 0], paymentDebt: 300_000 });
    const r = advance(l, credit, ONE_KW, true, MON + 2 * DAY);
    expect(ran(r)).toEqual({
      event: undefined,
      at: '2025-01-08T00:00:00.000Z',
      meterBalance: 0,
      emergencyCreditActive: false,
      emergencyCreditBalance: 0,
      availableCredit: 0,
      timeDebts: [120_000, 0],
      paymentDebt: 300_000,
      energyWh: 48_000,
    });
    expect(r.ledger.chargeCarry).toBe(0);
    expect(nextCrossingMs(l, credit, ONE_KW, true, DAY)).toBe(MON + DAY);
  });

  it('offers no emergency credit and always counts as credit restored', () => {
    const l = ledgerAt(MON, { meterBalance: -50_000 });
    expect(emergencyCreditOnOffer(l, credit)).toBe(false);
    expect(takeEmergencyCredit(l, credit)).toBeUndefined();
    expect(creditRestored(l, credit)).toBe(true);
  });
});

describe('emergency credit repaid as granted', () => {
  it('repays what was used of the credit granted, whatever the limit is changed to since', () => {
    // £10 granted, £2 used (£8 left); the limit is then raised to £20: a £15 top-up repays £2, not £12.
    const l = ledgerAt(MON, {
      emergencyCreditActive: true,
      emergencyCreditBalance: 800_000,
      emergencyCreditGranted: 1_000_000,
    });
    const credited = applyCredit(
      l,
      settings({ emergencyCreditLimit: 2_000_000, debtRecoveryPerPayment: 0 }),
      1_500_000,
    );
    expect(credited.accepted && credited.split).toEqual({
      emergencyCreditRepaid: 200_000,
      debtRecovered: 0,
      credited: 1_300_000,
    });
  });
});
