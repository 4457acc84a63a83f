// A risk register like SECMP0038's: one row per risk per deliverable (asset, threat, vulnerability, control as free
// text; the six ratings as integers), its per-deliverable summary like the seed's table, import and export as JSON,
// and the hook that lets a scenario's measured figure set a risk's likelihood, so the register moves when the
// policy does. CSV is in csv.ts.
import {
  DEFAULT_BANDS,
  DEFAULT_SCALES,
  RATINGS,
  RiskFileError,
  ratingOf,
  riskScore,
  worseRating,
  type Rating,
  type RiskBands,
  type RiskRatings,
  type RiskScales,
  type Scale,
} from './score.js';

export { RiskFileError } from './score.js';

/** One row of the register: one risk as assessed for one deliverable. */
export interface Risk extends RiskRatings {
  /** Unique within the register. */
  readonly id: string;
  readonly deliverable: string;
  /** The risk's name: rows with the same name in several deliverables are one unique risk (exact match). */
  readonly risk: string;
  readonly asset?: string;
  readonly threat?: string;
  readonly vulnerability?: string;
  readonly control?: string;
}

export type RiskRegister = readonly Risk[];

export const TEXT_COLUMNS = ['id', 'deliverable', 'risk'] as const;
export const RATING_COLUMNS = [
  'likelihood',
  'capability',
  'motivation',
  'confidentiality',
  'integrity',
  'availability',
] as const;
export const REQUIRED_COLUMNS = [...TEXT_COLUMNS, ...RATING_COLUMNS] as const;
export const OPTIONAL_COLUMNS = ['asset', 'threat', 'vulnerability', 'control'] as const;
export type RatingColumn = (typeof RATING_COLUMNS)[number];

export function scaleOf(column: RatingColumn, scales: RiskScales): Scale {
  return column === 'likelihood' || column === 'capability' || column === 'motivation'
    ? scales[column]
    : scales.cia;
}

/** Where a value came from, for errors. */
export interface RowPlace {
  readonly source: string;
  readonly row: number;
}

/** Checks one rating against its scale. */
export function checkRating(
  value: number,
  column: RatingColumn,
  scales: RiskScales,
  place: RowPlace,
): number {
  const { min, max } = scaleOf(column, scales);
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new RiskFileError(`expected an integer ${min}..${max}, got ${String(value)}`, { ...place, column });
  return value;
}

/** Checks the rows of a register: required text present, ratings on their scales, ids unique. */
export function checkRegister(
  rows: readonly { readonly risk: Risk; readonly place: RowPlace }[],
  scales: RiskScales = DEFAULT_SCALES,
): RiskRegister {
  const seen = new Map<string, number>();
  const out: Risk[] = [];
  for (const { risk, place } of rows) {
    for (const column of TEXT_COLUMNS)
      if (risk[column].trim() === '') throw new RiskFileError('empty', { ...place, column });
    for (const column of RATING_COLUMNS) checkRating(risk[column], column, scales, place);
    const first = seen.get(risk.id);
    if (first !== undefined)
      throw new RiskFileError(`duplicate id "${risk.id}" (first at row ${first})`, {
        ...place,
        column: 'id',
      });
    seen.set(risk.id, place.row);
    out.push(risk);
  }
  return Object.freeze(out);
}

/** Counts of risks by rating. */
export interface RatingCounts {
  total: number;
  critical: number;
  high: number;
  moderate: number;
  low: number;
  negligible: number;
}

export interface DeliverableSummary extends RatingCounts {
  name: string;
}

/** The seed's table: per deliverable, the total of the rows, and the unique risks. */
export interface RiskSummary {
  /** Every row, in register order. */
  risks: { id: string; score: number; rating: Rating }[];
  /** In order of first appearance. */
  deliverables: DeliverableSummary[];
  /** Every row counts (a risk in three deliverables counts three times), as the seed's "Total" row. */
  total: RatingCounts;
  /** One per risk name; [A] a risk rated differently in several deliverables takes its highest rating. */
  unique: RatingCounts;
}

function zeroCounts(): RatingCounts {
  return { total: 0, critical: 0, high: 0, moderate: 0, low: 0, negligible: 0 };
}

function count(c: RatingCounts, rating: Rating): void {
  c.total++;
  c[rating]++;
}

/** Scores every row and counts them as the seed's table does. */
export function summarise(register: RiskRegister, bands: RiskBands = DEFAULT_BANDS): RiskSummary {
  const risks: RiskSummary['risks'] = [];
  const deliverables = new Map<string, DeliverableSummary>();
  const total = zeroCounts();
  const uniqueRating = new Map<string, Rating>();
  for (const r of register) {
    const score = riskScore(r);
    const rating = ratingOf(score, bands);
    risks.push({ id: r.id, score, rating });
    let d = deliverables.get(r.deliverable);
    if (d === undefined) deliverables.set(r.deliverable, (d = { name: r.deliverable, ...zeroCounts() }));
    count(d, rating);
    count(total, rating);
    const before = uniqueRating.get(r.risk);
    uniqueRating.set(r.risk, before === undefined ? rating : worseRating(before, rating));
  }
  const unique = zeroCounts();
  for (const rating of uniqueRating.values()) count(unique, rating);
  return { risks, deliverables: [...deliverables.values()], total, unique };
}

/**
 * The register with a measured likelihood: every row whose id is `key`, or else every row whose risk name is `key`
 * (all its deliverables), takes `likelihood`. A scenario feeds this from a figure it measured (see
 * likelihoodFromRate), so the scores follow the policy the scenario ran under. Throws RangeError for an unknown key
 * or a likelihood off the scale.
 */
export function withMeasuredLikelihood(
  register: RiskRegister,
  key: string,
  likelihood: number,
  scales: RiskScales = DEFAULT_SCALES,
): RiskRegister {
  const { min, max } = scales.likelihood;
  if (!Number.isSafeInteger(likelihood) || likelihood < min || likelihood > max)
    throw new RangeError(`likelihood expected an integer ${min}..${max}, got ${likelihood}`);
  const byId = register.some((r) => r.id === key);
  const matches = (r: Risk) => (byId ? r.id === key : r.risk === key);
  if (!register.some(matches)) throw new RangeError(`no risk with id or name "${key}" in the register`);
  return Object.freeze(register.map((r) => (matches(r) ? { ...r, likelihood } : r)));
}

/**
 * [A] Default likelihood thresholds, in events per year: below 0.1 (rarer than once a decade) 1, below 1 2, below
 * 10 3, below 100 4, else 5. The seed only says likelihood covers an event "occurring one time, and on the
 * reoccurrence of such event".
 */
export const DEFAULT_RATE_THRESHOLDS: readonly number[] = Object.freeze([0.1, 1, 10, 100]);

/**
 * A likelihood from a measured rate: the scale's minimum plus the number of thresholds the rate reaches.
 * `thresholds` ascend strictly and number one fewer than the scale's points. Any yearly figure a scenario measures
 * will do with thresholds of its own, e.g. the hours a year an Inter-PAN window stood open.
 */
export function likelihoodFromRate(
  eventsPerYear: number,
  thresholds: readonly number[] = DEFAULT_RATE_THRESHOLDS,
  scale: Scale = DEFAULT_SCALES.likelihood,
): number {
  if (!Number.isFinite(eventsPerYear) || eventsPerYear < 0)
    throw new RangeError(`rate expected a finite number ≥ 0, got ${eventsPerYear}`);
  if (thresholds.length !== scale.max - scale.min)
    throw new RangeError(
      `expected ${scale.max - scale.min} thresholds for a ${scale.min}..${scale.max} scale, got ${thresholds.length}`,
    );
  for (let i = 1; i < thresholds.length; i++)
    if (!(thresholds[i]! > thresholds[i - 1]!)) throw new RangeError('thresholds must ascend strictly');
  return scale.min + thresholds.filter((t) => eventsPerYear >= t).length;
}

/** The register as JSON: `{"risks":[…]}`, optional text fields left out when absent. */
export function registerToJson(register: RiskRegister, indent?: number): string {
  return JSON.stringify({ risks: register }, null, indent);
}

/** A register from `{"risks":[…]}` (or a bare array), checked as a CSV is; row = 1-based index in the array. */
export function registerFromJson(
  text: string,
  options: { scales?: RiskScales; source?: string } = {},
): RiskRegister {
  const source = options.source ?? 'risk register';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RiskFileError(`not JSON: ${(e as Error).message}`, { source });
  }
  const list = Array.isArray(value)
    ? value
    : value !== null && typeof value === 'object'
      ? (value as { risks?: unknown }).risks
      : undefined;
  if (!Array.isArray(list))
    throw new RiskFileError('expected {"risks":[…]} or an array of risks', { source });
  const rows = list.map((item: unknown, i) => {
    const place = { source, row: i + 1 };
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw new RiskFileError('expected an object', place);
    const o = item as Record<string, unknown>;
    const risk: Record<string, unknown> = {};
    for (const column of TEXT_COLUMNS) {
      const v = o[column];
      if (typeof v !== 'string')
        throw new RiskFileError(`expected a string, got ${JSON.stringify(v)}`, { ...place, column });
      risk[column] = v;
    }
    for (const column of RATING_COLUMNS) {
      const v = o[column];
      if (typeof v !== 'number')
        throw new RiskFileError(`expected an integer, got ${JSON.stringify(v) ?? 'nothing'}`, {
          ...place,
          column,
        });
      risk[column] = v;
    }
    for (const column of OPTIONAL_COLUMNS) {
      const v = o[column];
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string')
        throw new RiskFileError(`expected a string, got ${JSON.stringify(v)}`, { ...place, column });
      risk[column] = v;
    }
    return { risk: risk as unknown as Risk, place };
  });
  return checkRegister(rows, options.scales);
}

export { RATINGS };
