import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BANDS,
  RiskFileError,
  checkBands,
  impactScore,
  parseBands,
  ratingOf,
  riskScore,
  threatScore,
  worseRating,
} from '../../src/risk/score.js';

const ratings = (l: number, c: number, m: number, [ci, i, a]: [number, number, number]) => ({
  likelihood: l,
  capability: c,
  motivation: m,
  confidentiality: ci,
  integrity: i,
  availability: a,
});

describe('the seed formula (Likelihood + capability × motivation) × max(C, I, A)', () => {
  it('scores L=3, C=4, M=5, CIA=(2,5,3) as (3 + 20) × 5 = 115: critical', () => {
    const r = ratings(3, 4, 5, [2, 5, 3]);
    expect(threatScore(r)).toBe(20);
    expect(impactScore(r)).toBe(5);
    expect(riskScore(r)).toBe(115);
    expect(ratingOf(115)).toBe('critical');
  });

  it('scores L=2, C=3, M=3, CIA=(4,1,1) as (2 + 9) × 4 = 44: moderate', () => {
    expect(riskScore(ratings(2, 3, 3, [4, 1, 1]))).toBe(44);
    expect(ratingOf(44)).toBe('moderate');
  });

  it('takes the impact from whichever of C, I and A is highest', () => {
    expect(riskScore(ratings(1, 1, 1, [1, 1, 4]))).toBe(8); // (1 + 1) × 4, availability
    expect(riskScore(ratings(1, 1, 1, [1, 4, 1]))).toBe(8); // integrity
    expect(riskScore(ratings(1, 1, 1, [4, 1, 1]))).toBe(8); // confidentiality
  });

  it('runs from 2 to 150 on the default 1–5 scales', () => {
    expect(riskScore(ratings(1, 1, 1, [1, 1, 1]))).toBe(2);
    expect(riskScore(ratings(5, 5, 5, [5, 5, 5]))).toBe(150);
  });
});

describe('default bands: critical ≥ 100, high ≥ 60, moderate ≥ 30, low ≥ 10, negligible below', () => {
  it('puts each edge in the band it starts and the score below it in the band beneath', () => {
    expect(DEFAULT_BANDS).toEqual({ critical: 100, high: 60, moderate: 30, low: 10 });
    expect([100, 99, 60, 59, 30, 29, 10, 9, 2].map((s) => ratingOf(s))).toEqual([
      'critical',
      'high',
      'high',
      'moderate',
      'moderate',
      'low',
      'low',
      'negligible',
      'negligible',
    ]);
  });

  it('names the more severe of two ratings', () => {
    expect(worseRating('low', 'high')).toBe('high');
    expect(worseRating('critical', 'moderate')).toBe('critical');
    expect(worseRating('negligible', 'negligible')).toBe('negligible');
  });
});

describe('custom bands from JSON', () => {
  it('rates with the bands a file gives', () => {
    const bands = parseBands('{"critical":120,"high":80,"moderate":40,"low":20}');
    expect(ratingOf(115, bands)).toBe('high');
    expect(ratingOf(20, bands)).toBe('low');
    expect(ratingOf(19, bands)).toBe('negligible');
  });

  it('refuses bands that do not descend, naming the band', () => {
    const e = (() => {
      try {
        checkBands({ critical: 100, high: 60, moderate: 60, low: 10 }, 'bands.json');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(RiskFileError);
    expect((e as RiskFileError).column).toBe('moderate');
    expect((e as RiskFileError).message).toMatch(/^bands\.json, column "moderate": must be below high/);
  });

  it('refuses non-integers, missing and unknown bands, and text that is not JSON', () => {
    expect(() => checkBands({ critical: 100, high: 60.5, moderate: 30, low: 10 })).toThrow(/"high".*integer/);
    expect(() => checkBands({ critical: 100, high: 60, moderate: 30 })).toThrow(/"low": missing/);
    expect(() => checkBands({ critical: 100, high: 60, moderate: 30, low: 10, severe: 5 })).toThrow(
      /unknown band "severe"/,
    );
    expect(() => checkBands({ critical: 100, high: 60, moderate: 30, low: 0 })).toThrow(/positive integer/);
    expect(() => checkBands([100, 60, 30, 10])).toThrow(RiskFileError);
    expect(() => parseBands('{critical:100}')).toThrow(/not JSON/);
  });
});
