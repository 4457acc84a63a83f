// Consumption over virtual time (issue 8): a premise's demand as power, piecewise constant over half-hour settlement
// periods, derived from a seeded profile so that the same seed gives the same demand and no state is stored for it.
// The prepayment engine integrates it between the instants it needs; nothing ticks per meter.

/** GB settlement period: half an hour. */
export const SLOT_MS = 30 * 60_000;

export type ConsumptionProfile =
  /** Constant demand: what a worked example or a test wants. */
  | { readonly kind: 'flat'; readonly watts: number }
  /**
   * A household: `annualKwh` spread by a daily shape and a season, with a per-half-hour variation from `seed`
   * (uint32). Shapes are typical of GB domestic demand, not a settlement profile class [A].
   */
  | {
      readonly kind: 'domestic';
      readonly fuel: 'electricity' | 'gas';
      readonly annualKwh: number;
      readonly seed: number;
    };

/** Relative demand per hour of the day (UTC), mean 1 [A: shaped after GB domestic load curves]. */
const ELECTRICITY_SHAPE = normalise([
  0.55, 0.45, 0.4, 0.38, 0.38, 0.42, 0.65, 0.95, 1.0, 0.9, 0.85, 0.85, 0.9, 0.85, 0.8, 0.85, 1.05, 1.6, 1.9,
  1.8, 1.55, 1.3, 1.0, 0.75,
]);
/** Gas: heating in the morning and the evening [A]. */
const GAS_SHAPE = normalise([
  0.2, 0.15, 0.15, 0.15, 0.2, 0.8, 2.2, 2.4, 1.6, 0.9, 0.7, 0.6, 0.6, 0.6, 0.6, 0.8, 1.3, 1.9, 2.1, 2.0, 1.7,
  1.3, 0.8, 0.4,
]);
/** Winter-to-summer swing around the mean: cos(day of year) peaking mid-January [A]. */
const SEASONAL_SWING = { electricity: 0.2, gas: 0.65 } as const;
/** Half-hour variation: demand × (1 ± VARIATION) [A]. */
const VARIATION = 0.4;

/** The season factor of each day of the year (0 … 365), per fuel: computed once, looked up per period. */
const SEASON: Readonly<Record<'electricity' | 'gas', Float64Array>> = {
  electricity: seasonTable(SEASONAL_SWING.electricity),
  gas: seasonTable(SEASONAL_SWING.gas),
};

function seasonTable(swing: number): Float64Array {
  const t = new Float64Array(366);
  for (let d = 0; d < 366; d++) t[d] = 1 + swing * Math.cos((2 * Math.PI * (d - 15)) / 365.2425);
  return t;
}

function normalise(hours: readonly number[]): readonly number[] {
  const mean = hours.reduce((a, b) => a + b, 0) / hours.length;
  return Object.freeze(hours.map((h) => h / mean));
}

/** A 32-bit mix of the seed and the slot (splitmix-style), as a fraction in [0, 1). */
function unitHash(seed: number, slot: number): number {
  let h = (seed ^ Math.imul(slot | 0, 0x9e3779b1) ^ Math.imul((slot / 0x1_0000_0000) | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 0x1_0000_0000;
}

const DAY_MS = 86_400_000;

/** Demand in watts during settlement period `slot` (= floor(UTC ms / SLOT_MS)). */
export function slotPowerW(profile: ConsumptionProfile, slot: number): number {
  if (profile.kind === 'flat') return profile.watts;
  const startMs = slot * SLOT_MS;
  const hour = Math.floor((startMs % DAY_MS) / 3_600_000);
  const shape = (profile.fuel === 'gas' ? GAS_SHAPE : ELECTRICITY_SHAPE)[hour]!;
  const dayOfYear = Math.floor((Math.floor(startMs / DAY_MS) % 365.2425) + 0.5) % 366;
  const season = SEASON[profile.fuel][dayOfYear]!;
  const variation = 1 + VARIATION * (2 * unitHash(profile.seed, slot) - 1);
  return ((profile.annualKwh * 1000) / 8766) * shape * season * variation;
}
