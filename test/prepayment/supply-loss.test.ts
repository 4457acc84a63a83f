// Supply-loss accounting (src/prepayment/supply-loss.ts): the periods and totals a meter keeps as its supply goes off
// and on, and the premise report that counts "no credit" time while a bought top-up was on its way as "no route".
import { describe, expect, it } from 'vitest';
import {
  MAX_PERIODS,
  NO_SUPPLY_LOSS,
  supplyLossAt,
  supplyLossReport,
  type SupplyLoss,
  type SupplyLossCause,
  type TopUpJourney,
} from '../../src/prepayment/supply-loss.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);

/** Applies a timeline of [instant, cause or null (supplied)] to an empty account. */
function timeline(steps: readonly (readonly [number, SupplyLossCause | null])[]): SupplyLoss {
  return steps.reduce((loss, [t, cause]) => supplyLossAt(loss, t, cause), NO_SUPPLY_LOSS);
}

const T1 = at('2025-01-07T16:00:00Z');
const T2 = at('2025-01-08T09:30:00Z'); // credit back (a top-up applied): waits to be restored
const T3 = at('2025-01-08T09:45:00Z'); // the consumer presses the button
const T4 = at('2025-01-09T12:00:00Z'); // SR 7.2
const T5 = at('2025-01-09T13:00:00Z'); // SR 7.1

describe('supplyLossAt', () => {
  it('closes a period at each change of cause and adds it to the totals by cause', () => {
    const off = supplyLossAt(NO_SUPPLY_LOSS, T1, 'no-credit');
    expect(off).toEqual({
      current: { sinceMs: T1, cause: 'no-credit' },
      periods: [],
      totalsMs: { 'no-credit': 0, 'awaiting-restore': 0, 'disabled-remotely': 0 },
    });
    const loss = timeline([
      [T1, 'no-credit'],
      [T2, 'awaiting-restore'],
      [T3, null],
      [T4, 'disabled-remotely'],
      [T5, null],
    ]);
    expect(loss.current).toBeNull();
    expect(loss.periods).toEqual([
      { fromMs: T1, toMs: T2, cause: 'no-credit' },
      { fromMs: T2, toMs: T3, cause: 'awaiting-restore' },
      { fromMs: T4, toMs: T5, cause: 'disabled-remotely' },
    ]);
    // 16:00 → 09:30 the next day = 17.5 h; 09:30 → 09:45 = 15 min; 12:00 → 13:00 = 1 h.
    expect(loss.totalsMs).toEqual({
      'no-credit': 17.5 * HOUR,
      'awaiting-restore': 15 * MINUTE,
      'disabled-remotely': HOUR,
    });
  });

  it('leaves the account as it is when the cause does not change', () => {
    const off = supplyLossAt(NO_SUPPLY_LOSS, T1, 'no-credit');
    expect(supplyLossAt(off, T2, 'no-credit')).toBe(off);
    expect(supplyLossAt(NO_SUPPLY_LOSS, T1, null)).toBe(NO_SUPPLY_LOSS);
  });

  it('records no period of zero length, but the new cause takes over from that instant', () => {
    const loss = timeline([
      [T1, 'no-credit'],
      [T1, 'awaiting-restore'],
    ]);
    expect(loss.periods).toEqual([]);
    expect(loss.totalsMs['no-credit']).toBe(0);
    expect(loss.current).toEqual({ sinceMs: T1, cause: 'awaiting-restore' });
  });

  it(`keeps the last ${MAX_PERIODS} periods only, while the totals keep counting every one`, () => {
    // 70 no-credit periods of 10 minutes, one an hour.
    const steps: [number, SupplyLossCause | null][] = [];
    for (let i = 0; i < 70; i++)
      steps.push([T1 + i * HOUR, 'no-credit'], [T1 + i * HOUR + 10 * MINUTE, null]);
    const loss = timeline(steps);
    expect(loss.periods).toHaveLength(MAX_PERIODS);
    expect(loss.periods[0]).toEqual({
      fromMs: T1 + 6 * HOUR,
      toMs: T1 + 6 * HOUR + 10 * MINUTE,
      cause: 'no-credit',
    });
    expect(loss.periods.at(-1)).toEqual({
      fromMs: T1 + 69 * HOUR,
      toMs: T1 + 69 * HOUR + 10 * MINUTE,
      cause: 'no-credit',
    });
    expect(loss.totalsMs['no-credit']).toBe(70 * 10 * MINUTE);
  });
});

describe('supplyLossReport', () => {
  const zero = { 'no-credit': 0, 'no-route': 0, 'awaiting-restore': 0, 'disabled-remotely': 0 };
  const NOON = at('2025-01-08T12:00:00Z');
  // Off for no credit 10:00 → 14:00 (240 min), then awaiting restore 14:00 → 14:20 (20 min).
  const loss = timeline([
    [at('2025-01-08T10:00:00Z'), 'no-credit'],
    [at('2025-01-08T14:00:00Z'), 'awaiting-restore'],
    [at('2025-01-08T14:20:00Z'), null],
  ]);
  const NOW = at('2025-01-08T18:00:00Z');
  const journey = (bought: string, applied: string | null): TopUpJourney => ({
    boughtAtMs: at(bought),
    appliedAtMs: applied === null ? null : at(applied),
  });

  it('counts no-credit time while a bought top-up was not yet applied as no route', () => {
    // Bought 11:00, applied 12:30: 90 of the 240 no-credit minutes are no route, 150 stay no credit.
    const report = supplyLossReport([loss], [journey('2025-01-08T11:00:00Z', '2025-01-08T12:30:00Z')], NOW);
    expect(report).toEqual({
      minutes: { ...zero, 'no-credit': 150, 'no-route': 90, 'awaiting-restore': 20 },
      totalMinutes: 260,
    });
  });

  it('counts overlapping journeys once', () => {
    // 11:00–12:30, 12:00–13:00 and 11:30–12:00 (inside the first) cover 11:00–13:00: 120 minutes, not 180.
    const report = supplyLossReport(
      [loss],
      [
        journey('2025-01-08T11:00:00Z', '2025-01-08T12:30:00Z'),
        journey('2025-01-08T12:00:00Z', '2025-01-08T13:00:00Z'),
        journey('2025-01-08T11:30:00Z', '2025-01-08T12:00:00Z'),
      ],
      NOW,
    );
    expect(report.minutes).toEqual({ ...zero, 'no-credit': 120, 'no-route': 120, 'awaiting-restore': 20 });
    expect(report.totalMinutes).toBe(260);
  });

  it('counts only the part of a journey inside the no-credit period, and not other causes', () => {
    // Bought 09:00 (before the supply went off), applied 10:30 → 30 min; bought 13:50, applied 14:10 → 10 min
    // (13:50–14:00); the 14:00–14:10 part falls in awaiting restore and stays there.
    const report = supplyLossReport(
      [loss],
      [
        journey('2025-01-08T09:00:00Z', '2025-01-08T10:30:00Z'),
        journey('2025-01-08T13:50:00Z', '2025-01-08T14:10:00Z'),
      ],
      NOW,
    );
    expect(report.minutes).toEqual({ ...zero, 'no-credit': 200, 'no-route': 40, 'awaiting-restore': 20 });
  });

  it('runs the current period and a journey not yet applied up to now', () => {
    // Off for no credit since 10:00, a top-up bought at 11:00 still on its way at noon: 60 + 60 minutes.
    const open = supplyLossAt(NO_SUPPLY_LOSS, at('2025-01-08T10:00:00Z'), 'no-credit');
    const report = supplyLossReport([open], [journey('2025-01-08T11:00:00Z', null)], NOON);
    expect(report).toEqual({ minutes: { ...zero, 'no-credit': 60, 'no-route': 60 }, totalMinutes: 120 });
  });

  it('sums the meters of the premise', () => {
    // The ESME as above; the GSME disabled remotely 15:00 → 15:45 (45 min).
    const gas = timeline([
      [at('2025-01-08T15:00:00Z'), 'disabled-remotely'],
      [at('2025-01-08T15:45:00Z'), null],
    ]);
    const report = supplyLossReport([loss, gas], [], NOW);
    expect(report.minutes).toEqual({
      ...zero,
      'no-credit': 240,
      'awaiting-restore': 20,
      'disabled-remotely': 45,
    });
    expect(report.totalMinutes).toBe(305);
  });

  it(`counts periods older than the last ${MAX_PERIODS} from the totals, by cause and without a no-route share`, () => {
    // 30 min awaiting restore, then 70 no-credit periods of 10 min one an hour, all while one top-up was on its
    // way: the 64 kept are no route (640 min); the 6 older ones (60 min) and the awaiting-restore one (30 min)
    // are known from the totals only.
    const start = at('2025-01-01T00:00:00Z');
    const steps: [number, SupplyLossCause | null][] = [
      [start, 'awaiting-restore'],
      [start + 30 * MINUTE, null],
    ];
    for (let i = 1; i <= 70; i++)
      steps.push([start + i * HOUR, 'no-credit'], [start + i * HOUR + 10 * MINUTE, null]);
    const many = timeline(steps);
    expect(many.periods).toHaveLength(MAX_PERIODS);
    const inFlight: TopUpJourney = { boughtAtMs: start, appliedAtMs: start + 100 * HOUR };
    const report = supplyLossReport([many], [inFlight], start + 100 * HOUR);
    expect(report).toEqual({
      minutes: { ...zero, 'no-credit': 60, 'no-route': 640, 'awaiting-restore': 30 },
      totalMinutes: 730,
    });
  });

  it('is all zero for a meter never off supply', () => {
    expect(supplyLossReport([NO_SUPPLY_LOSS], [journey('2025-01-08T11:00:00Z', null)], NOW)).toEqual({
      minutes: zero,
      totalMinutes: 0,
    });
  });
});
