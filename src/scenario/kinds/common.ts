// What the scenario kinds share: the seeded streams of a scenario (one per named part, from the scenario's seed, never
// from the variant, so every variant of a scenario meets the same premises, households, purchases and power cuts),
// the fleet a variant runs (the scenario's with the variant's overrides), the run's time span and per-year scaling,
// and percentiles.
import { createHash } from 'node:crypto';
import { policyWith, type Policy } from '../../policy.js';
import { streamFor, type RandomStream, type RunSeed } from '../../sim/random.js';
import type { FleetSpec, PolicyVariant, Scenario } from '../model.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** A year for per-year figures: 365 days (8,760 hours). */
export const YEAR_MS = 365 * DAY_MS;

/** The run seed of a scenario's text seed: the first 48 bits of SHA-256 (as the WAN model derives its own). */
export function scenarioRunSeed(seed: string): RunSeed {
  return createHash('sha256').update(`smets-twin/scenario\0${seed}`, 'utf8').digest().readUIntBE(0, 6);
}

/**
 * A scenario the schema accepts but a kind cannot run (e.g. a top-up that cannot be a UTRN value), refused before
 * any work: each problem begins with the field it is about (`consumption.topUp.pounds: …`).
 */
export class ScenarioInputError extends Error {
  override readonly name = 'ScenarioInputError';
  constructor(
    readonly kind: string,
    readonly problems: readonly string[],
  ) {
    super(`kind '${kind}' cannot run this scenario: ${problems.join('; ')}`);
  }
}

/** The stream of one named part of a scenario (e.g. `fleet/12`, `purchases/3`). */
export function scenarioStream(scenario: Scenario, name: string): RandomStream {
  return streamFor(scenarioRunSeed(scenario.seed), `${scenario.kind}/${name}`);
}

/** The fleet a variant runs: the scenario's, with the variant's overrides. */
export function variantFleet(scenario: Scenario, variant: PolicyVariant): FleetSpec {
  return { ...scenario.fleet, ...variant.fleet, deviceMix: scenario.fleet.deviceMix };
}

/** The variant's rules: today's (DEFAULT_POLICY) with the variant's changes. */
export function variantPolicy(variant: PolicyVariant): Policy {
  return policyWith(variant.policy);
}

/** Model time the scenario starts, UTC ms. */
export function scenarioStartMs(scenario: Scenario): number {
  const t = Date.parse(scenario.startIso);
  if (!Number.isFinite(t)) throw new RangeError(`startIso: not a date-time: ${scenario.startIso}`);
  return t;
}

/** The simulated span, ms. */
export function scenarioDurationMs(scenario: Scenario): number {
  if (!(scenario.durationDays > 0))
    throw new RangeError(`durationDays must be > 0, got ${scenario.durationDays}`);
  return Math.round(scenario.durationDays * DAY_MS);
}

/** Simulated years (365 days each): what per-year figures divide by. */
export function scenarioYears(scenario: Scenario): number {
  return scenarioDurationMs(scenario) / YEAR_MS;
}

/**
 * Nearest-rank percentile `p` (0 < p ≤ 100) of `values`; undefined when there are none (a kind leaves such a metric
 * out of its measurement: no value is not an instant one).
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The metric `{ [name]: { value, unit } }` when `value` is defined; `{}` when there is none (absent from results). */
export function metricIfAny(
  name: string,
  value: number | undefined,
  unit: string,
): Record<string, { value: number; unit: string }> {
  return value === undefined ? {} : { [name]: { value: rounded(value), unit } };
}

/** A value rounded to `digits` decimals, so results read cleanly and compare exactly run to run. */
export function rounded(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Arrival times of a Poisson process of `perYear` events a year over [0, durationMs), from `stream`. */
export function poissonTimes(stream: RandomStream, perYear: number, durationMs: number): number[] {
  const out: number[] = [];
  if (!(perYear > 0)) return out;
  const meanGapMs = YEAR_MS / perYear;
  for (let t = stream.exponential(meanGapMs); t < durationMs; t += stream.exponential(meanGapMs))
    out.push(Math.floor(t));
  return out;
}
