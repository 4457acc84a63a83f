// Supply-loss accounting (issue 8): how long a meter's supply was off, and why — the quantity the seed papers'
// no-WAN prepayment question turns on. The meter keeps it as it changes state; a premise-level report splits the
// "no credit" time during which a top-up the consumer had bought was still on its way into "no route".

/** Why a meter is off supply. */
export type SupplyLossCause =
  /** Credit exhausted outside a non-disablement period (domain brief §7). */
  | 'no-credit'
  /** Credit is back but the supply waits to be enabled or armed and opened (SR 7.1 / 7.3, PECS03, the consumer). */
  | 'awaiting-restore'
  /** Disabled by its supplier (SR 7.2) for another reason than credit. */
  | 'disabled-remotely';

export const SUPPLY_LOSS_CAUSES: readonly SupplyLossCause[] = [
  'no-credit',
  'awaiting-restore',
  'disabled-remotely',
];

export interface SupplyLossPeriod {
  readonly fromMs: number;
  readonly toMs: number;
  readonly cause: SupplyLossCause;
}

/** Plain data in the meter's state. */
export interface SupplyLoss {
  /** The current period: off since, and why; null while supplied. */
  readonly current: { readonly sinceMs: number; readonly cause: SupplyLossCause } | null;
  /** Closed periods, oldest first, the last MAX_PERIODS only (the totals keep everything). */
  readonly periods: readonly SupplyLossPeriod[];
  /** Closed time off by cause, ms. */
  readonly totalsMs: Readonly<Record<SupplyLossCause, number>>;
}

/** Closed periods a meter keeps for premise reports [A: enough for weeks of daily disablements]. */
export const MAX_PERIODS = 64;

export const NO_SUPPLY_LOSS: SupplyLoss = Object.freeze({
  current: null,
  periods: Object.freeze([]) as readonly SupplyLossPeriod[],
  totalsMs: Object.freeze({ 'no-credit': 0, 'awaiting-restore': 0, 'disabled-remotely': 0 }),
});

/** The account after the supply became `cause` (off for that reason) or null (supplied) at `now`. */
export function supplyLossAt(loss: SupplyLoss, now: number, cause: SupplyLossCause | null): SupplyLoss {
  const current = loss.current;
  if (current?.cause === cause || (current === null && cause === null)) return loss;
  let { periods, totalsMs } = loss;
  if (current !== null && now > current.sinceMs) {
    const period = { fromMs: current.sinceMs, toMs: now, cause: current.cause };
    periods = [...periods, period].slice(-MAX_PERIODS);
    totalsMs = { ...totalsMs, [current.cause]: totalsMs[current.cause] + (now - current.sinceMs) };
  }
  return { current: cause === null ? null : { sinceMs: now, cause }, periods, totalsMs };
}

/** A top-up the consumer paid for: when, and when it reached the meter (null: not yet). */
export interface TopUpJourney {
  readonly boughtAtMs: number;
  readonly appliedAtMs: number | null;
}

export type SupplyLossReason = 'no-credit' | 'no-route' | 'awaiting-restore' | 'disabled-remotely';

export interface SupplyLossReport {
  /** Minutes off supply by reason, up to `now`. */
  readonly minutes: Readonly<Record<SupplyLossReason, number>>;
  readonly totalMinutes: number;
}

/**
 * Minutes without supply by reason, summed over the meters of one premise up to `now` (an electricity and a gas
 * outage at the same time count twice): "no credit" while a bought top-up was still on its way (bought, not yet
 * applied) counts as "no route". Periods older than the meter kept count from its totals under their own cause,
 * not split into "no route".
 */
export function supplyLossReport(
  losses: readonly SupplyLoss[],
  topUps: readonly TopUpJourney[],
  now: number,
): SupplyLossReport {
  const ms: Record<SupplyLossReason, number> = {
    'no-credit': 0,
    'no-route': 0,
    'awaiting-restore': 0,
    'disabled-remotely': 0,
  };
  for (const loss of losses) {
    const periods = [...loss.periods];
    if (loss.current !== null && now > loss.current.sinceMs)
      periods.push({ fromMs: loss.current.sinceMs, toMs: now, cause: loss.current.cause });
    const kept: Record<SupplyLossCause, number> = {
      'no-credit': 0,
      'awaiting-restore': 0,
      'disabled-remotely': 0,
    };
    for (const p of loss.periods) kept[p.cause] += p.toMs - p.fromMs;
    for (const cause of SUPPLY_LOSS_CAUSES) ms[cause] += loss.totalsMs[cause] - kept[cause];
    for (const p of periods) {
      if (p.cause !== 'no-credit') {
        ms[p.cause] += p.toMs - p.fromMs;
        continue;
      }
      const waiting = overlap(p, topUps, now);
      ms['no-route'] += waiting;
      ms['no-credit'] += p.toMs - p.fromMs - waiting;
    }
  }
  const minutes = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, v / 60_000])) as Record<
    SupplyLossReason,
    number
  >;
  return { minutes, totalMinutes: Object.values(ms).reduce((a, b) => a + b, 0) / 60_000 };
}

/** Time of `p` during which at least one top-up was bought and not yet applied. */
function overlap(p: SupplyLossPeriod, topUps: readonly TopUpJourney[], now: number): number {
  const spans = topUps
    .map((t) => [Math.max(p.fromMs, t.boughtAtMs), Math.min(p.toMs, t.appliedAtMs ?? now)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    const from = Math.max(a, end);
    if (b > from) total += b - from;
    end = Math.max(end, b);
  }
  return total;
}
