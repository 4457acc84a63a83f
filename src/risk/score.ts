// SECMP0038's risk scoring (the seed's "Risk Scoring System", ISO 27005-aligned): Threat = capability × motivation,
// Impact = the highest of the confidentiality, integrity and availability ratings, and
//   score = (Likelihood + Threat) × Impact.
// The seed publishes the formula and the rating names but neither the scales nor the band edges; both are
// configuration here, with defaults marked [A]:
//   [A] every rating (likelihood, capability, motivation, C, I, A) is an integer 1–5, so Threat is 1–25 and the
//       score runs from (1 + 1) × 1 = 2 to (5 + 25) × 5 = 150.
//   [A] bands, each the lowest score of its band: critical ≥ 100, high ≥ 60, moderate ≥ 30, low ≥ 10, negligible
//       below. Why: a critical risk needs the top impact (5) with L + T ≥ 20 (a capable and motivated actor,
//       e.g. 4 × 4 with L 4), or impact 4 with L + T ≥ 25; high is a middling actor (3 × 4, L 3 = 15) against
//       impact 4, or the top impact with L + T ≥ 12; moderate is L + T ≥ 10 at impact 3 or a weak actor against
//       impact 5; low covers the bulk of small actors against small impacts; negligible (< 10) needs an impact of
//       1–2 with a weak actor (e.g. (1 + 1 × 2) × 3 = 9). The edges sit near 2/3, 2/5, 1/5 and 1/15 of the 150
//       maximum, so the five bands partition the range without empty bands.

/** Every problem with a risk register, a bands file or a risk value: names the file, row and column when known. */
export class RiskFileError extends Error {
  override readonly name = 'RiskFileError';
  constructor(
    /** What is wrong, without the place. */
    readonly reason: string,
    readonly place: {
      /** The file (or 'risk register' / 'bands' when not from a file). */
      readonly source?: string;
      /** 1-based record number; the CSV header is row 1, the first risk row 2; in JSON the first risk is row 1. */
      readonly row?: number;
      /** Column name (a header name or JSON field), or a 1-based column number for a CSV syntax error. */
      readonly column?: string | number;
    } = {},
  ) {
    const where = [
      place.source,
      place.row === undefined ? undefined : `row ${place.row}`,
      place.column === undefined
        ? undefined
        : typeof place.column === 'number'
          ? `column ${place.column}`
          : `column "${place.column}"`,
    ].filter((s) => s !== undefined);
    super(where.length === 0 ? reason : `${where.join(', ')}: ${reason}`);
  }
  get row(): number | undefined {
    return this.place.row;
  }
  get column(): string | number | undefined {
    return this.place.column;
  }
}

/** An inclusive integer scale. */
export interface Scale {
  readonly min: number;
  readonly max: number;
}

/** The scale of each rating. */
export interface RiskScales {
  readonly likelihood: Scale;
  readonly capability: Scale;
  readonly motivation: Scale;
  /** Confidentiality, integrity and availability share one scale. */
  readonly cia: Scale;
}

/** [A] 1–5 for every rating: the seed publishes none. */
export const DEFAULT_SCALES: RiskScales = Object.freeze({
  likelihood: Object.freeze({ min: 1, max: 5 }),
  capability: Object.freeze({ min: 1, max: 5 }),
  motivation: Object.freeze({ min: 1, max: 5 }),
  cia: Object.freeze({ min: 1, max: 5 }),
});

export const RATINGS = ['critical', 'high', 'moderate', 'low', 'negligible'] as const;
export type Rating = (typeof RATINGS)[number];

/** Each the lowest score of its band; anything below `low` is negligible. Strictly descending integers. */
export interface RiskBands {
  readonly critical: number;
  readonly high: number;
  readonly moderate: number;
  readonly low: number;
}

/** [A] The seed publishes the band names, not their edges; see the file comment for why these. */
export const DEFAULT_BANDS: RiskBands = Object.freeze({ critical: 100, high: 60, moderate: 30, low: 10 });

/** The ratings one score needs. */
export interface RiskRatings {
  readonly likelihood: number;
  readonly capability: number;
  readonly motivation: number;
  readonly confidentiality: number;
  readonly integrity: number;
  readonly availability: number;
}

/** Threat = the actor's capability × the actor's motivation. */
export function threatScore(r: Pick<RiskRatings, 'capability' | 'motivation'>): number {
  return r.capability * r.motivation;
}

/** Impact = the highest of the C, I and A ratings. */
export function impactScore(r: Pick<RiskRatings, 'confidentiality' | 'integrity' | 'availability'>): number {
  return Math.max(r.confidentiality, r.integrity, r.availability);
}

/** The seed's formula: (Likelihood + Threat) × Impact. */
export function riskScore(r: RiskRatings): number {
  return (r.likelihood + threatScore(r)) * impactScore(r);
}

/** The band a score falls in. */
export function ratingOf(score: number, bands: RiskBands = DEFAULT_BANDS): Rating {
  if (score >= bands.critical) return 'critical';
  if (score >= bands.high) return 'high';
  if (score >= bands.moderate) return 'moderate';
  if (score >= bands.low) return 'low';
  return 'negligible';
}

/** The more severe of two ratings. */
export function worseRating(a: Rating, b: Rating): Rating {
  return RATINGS.indexOf(a) <= RATINGS.indexOf(b) ? a : b;
}

const BAND_KEYS = ['critical', 'high', 'moderate', 'low'] as const;

/** Checks a bands value (e.g. parsed bands.json): exactly the four keys, positive integers, strictly descending. */
export function checkBands(value: unknown, source = 'bands'): RiskBands {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RiskFileError(
      'expected an object {"critical":n,"high":n,"moderate":n,"low":n}, each the lowest score of its band',
      { source },
    );
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!(BAND_KEYS as readonly string[]).includes(key))
      throw new RiskFileError(`unknown band "${key}" (expected critical, high, moderate, low)`, {
        source,
        column: key,
      });
  const out: Record<string, number> = {};
  for (const key of BAND_KEYS) {
    const v = o[key];
    if (v === undefined) throw new RiskFileError('missing', { source, column: key });
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
      throw new RiskFileError(`expected a positive integer, got ${JSON.stringify(v)}`, {
        source,
        column: key,
      });
    out[key] = v;
  }
  for (let i = 1; i < BAND_KEYS.length; i++) {
    const above = BAND_KEYS[i - 1]!;
    const key = BAND_KEYS[i]!;
    if (!(out[key]! < out[above]!))
      throw new RiskFileError(`must be below ${above} (${out[above]}), got ${out[key]}: bands descend`, {
        source,
        column: key,
      });
  }
  return Object.freeze(out as unknown as RiskBands);
}

/** Bands from the text of a bands.json file. */
export function parseBands(text: string, source = 'bands'): RiskBands {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RiskFileError(`not JSON: ${(e as Error).message}`, { source });
  }
  return checkBands(value, source);
}
