import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRegisterCsv } from '../../src/risk/csv.js';
import {
  RiskFileError,
  likelihoodFromRate,
  registerFromJson,
  registerToJson,
  summarise,
  withMeasuredLikelihood,
  type Risk,
} from '../../src/risk/register.js';

// The fixture: 98 rows, 46 unique risk names over SECMP0038's four deliverables. The seed publishes only the summary
// table, not the per-risk ratings: the names are drawn from its risk categories and every score is invented, chosen
// so that the default bands reproduce the table exactly. Two risks are rated lower in one deliverable than in the
// others, so the unique row's "highest rating" rule is exercised.
const FIXTURE = new URL('../fixtures/risk/secmp0038-register.csv', import.meta.url);

/** The seed's "Identified Risks per Deliverable" table. */
const SEED_TABLE = {
  deliverables: [
    { name: 'Deliverable 1', total: 30, critical: 0, high: 6, moderate: 8, low: 16, negligible: 0 },
    { name: 'Deliverable 2', total: 23, critical: 0, high: 6, moderate: 8, low: 9, negligible: 0 },
    { name: 'Deliverable 3', total: 34, critical: 0, high: 7, moderate: 8, low: 18, negligible: 1 },
    { name: 'Deliverable 4', total: 11, critical: 0, high: 3, moderate: 4, low: 4, negligible: 0 },
  ],
  total: { total: 98, critical: 0, high: 22, moderate: 28, low: 47, negligible: 1 },
  unique: { total: 46, critical: 0, high: 8, moderate: 13, low: 24, negligible: 1 },
};

const fixture = () => readRegisterCsv(readFileSync(FIXTURE, 'utf8'), { source: 'secmp0038-register.csv' });

const row = (
  id: string,
  deliverable: string,
  risk: string,
  l: number,
  c: number,
  m: number,
  i: number,
): Risk => ({
  id,
  deliverable,
  risk,
  likelihood: l,
  capability: c,
  motivation: m,
  confidentiality: 1,
  integrity: i,
  availability: 1,
});

describe('the per-deliverable summary', () => {
  it("reproduces the seed's table from the SECMP0038 fixture: per deliverable, total and unique risks", () => {
    const register = fixture();
    expect(register).toHaveLength(98);
    expect(new Set(register.map((r) => r.risk)).size).toBe(46);
    const s = summarise(register);
    expect(s.deliverables).toEqual(SEED_TABLE.deliverables);
    expect(s.total).toEqual(SEED_TABLE.total);
    expect(s.unique).toEqual(SEED_TABLE.unique);
    expect(s.risks).toHaveLength(98);
    expect(s.risks[0]).toEqual({ id: 'D1-01', score: 60, rating: 'high' }); // (3 + 3 × 4) × max(2, 4, 3)
  });

  it('counts a risk in several deliverables once as a unique risk, at its highest rating', () => {
    const register = [
      row('a', 'D1', 'Sniffing', 3, 3, 4, 4), // (3 + 12) × 4 = 60 high
      row('b', 'D2', 'Sniffing', 2, 2, 3, 4), // (2 + 6) × 4 = 32 moderate
      row('c', 'D2', 'Jamming', 1, 1, 3, 3), // (1 + 3) × 3 = 12 low
    ];
    const s = summarise(register);
    expect(s.total).toEqual({ total: 3, critical: 0, high: 1, moderate: 1, low: 1, negligible: 0 });
    expect(s.unique).toEqual({ total: 2, critical: 0, high: 1, moderate: 0, low: 1, negligible: 0 });
    expect(s.deliverables.map((d) => [d.name, d.total])).toEqual([
      ['D1', 1],
      ['D2', 2],
    ]);
  });

  it('rates by the bands it is given', () => {
    const s = summarise([row('a', 'D1', 'Sniffing', 3, 3, 4, 4)], {
      critical: 50,
      high: 40,
      moderate: 20,
      low: 5,
    });
    expect(s.risks[0]).toEqual({ id: 'a', score: 60, rating: 'critical' });
  });
});

describe('likelihood from a measured figure', () => {
  const INTER_PAN = 'Inter-PAN window left open lets a rogue device join the HAN';

  it('changes the score and the summary when a risk takes a measured likelihood', () => {
    const register = fixture();
    const before = summarise(register);
    const ids = register.filter((r) => r.risk === INTER_PAN).map((r) => r.id);
    expect(ids).toEqual(['D2-07']);
    const at = before.risks.findIndex((r) => r.id === 'D2-07');
    expect(before.risks[at]).toEqual({ id: 'D2-07', score: 60, rating: 'high' }); // (3 + 3 × 3) × 5
    const rare = summarise(withMeasuredLikelihood(register, INTER_PAN, 1));
    expect(rare.risks[at]).toEqual({ id: 'D2-07', score: 50, rating: 'moderate' }); // (1 + 9) × 5
    expect(rare.deliverables[1]).toEqual({ ...SEED_TABLE.deliverables[1], high: 5, moderate: 9 });
    expect(rare.total).toEqual({ ...SEED_TABLE.total, high: 21, moderate: 29 });
    expect(rare.unique).toEqual({ ...SEED_TABLE.unique, high: 7, moderate: 14 });
    const often = summarise(withMeasuredLikelihood(register, 'D2-07', 5));
    expect(often.risks[at]).toEqual({ id: 'D2-07', score: 70, rating: 'high' }); // (5 + 9) × 5
    expect(register.find((r) => r.id === 'D2-07')?.likelihood).toBe(3); // the register given is not changed
  });

  it('maps a yearly rate onto the likelihood scale by thresholds', () => {
    expect([0, 0.09, 0.1, 0.5, 1, 9.9, 10, 99, 100, 1e6].map((r) => likelihoodFromRate(r))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
    // e.g. hours a year an Inter-PAN window stood open, with thresholds of the scenario's own.
    const hours = [1, 24, 24 * 7, 24 * 30];
    expect(likelihoodFromRate(12, hours)).toBe(2); // a 60-minute window after each of 12 power cycles
    expect(likelihoodFromRate(8760, hours)).toBe(5); // a window that never closes
  });

  it('lets the register move with the policy: a window that never closes raises the score', () => {
    const hours = [1, 24, 24 * 7, 24 * 30];
    const register = [row('ip', 'D2', INTER_PAN, 3, 3, 4, 4)];
    const score = (openHoursPerYear: number) =>
      summarise(withMeasuredLikelihood(register, 'ip', likelihoodFromRate(openHoursPerYear, hours))).risks[0]!
        .score;
    expect(score(12)).toBe((2 + 12) * 4);
    expect(score(8760)).toBe((5 + 12) * 4);
  });

  it('refuses an unknown risk, a likelihood off the scale and bad thresholds', () => {
    const register = [row('a', 'D1', 'Sniffing', 3, 3, 4, 4)];
    expect(() => withMeasuredLikelihood(register, 'nope', 3)).toThrow(/no risk with id or name "nope"/);
    expect(() => withMeasuredLikelihood(register, 'a', 6)).toThrow(RangeError);
    expect(() => withMeasuredLikelihood(register, 'a', 2.5)).toThrow(RangeError);
    expect(() => likelihoodFromRate(-1)).toThrow(RangeError);
    expect(() => likelihoodFromRate(1, [1, 2, 3])).toThrow(/expected 4 thresholds/);
    expect(() => likelihoodFromRate(1, [1, 3, 2, 4])).toThrow(/ascend/);
  });
});

describe('the register as JSON', () => {
  it('round-trips the fixture', () => {
    const register = fixture();
    expect(registerFromJson(registerToJson(register))).toEqual(register);
  });

  it('refuses bad JSON registers naming row and field', () => {
    const good = row('a', 'D1', 'Sniffing', 3, 3, 4, 4);
    const err = (text: string) => {
      try {
        registerFromJson(text, { source: 'r.json' });
      } catch (e) {
        return e as RiskFileError;
      }
      throw new Error('accepted');
    };
    const e1 = err(JSON.stringify({ risks: [good, { ...good, id: 'b', integrity: 9 }] }));
    expect(e1).toBeInstanceOf(RiskFileError);
    expect([e1.row, e1.column]).toEqual([2, 'integrity']);
    expect(err(JSON.stringify([good, good])).message).toMatch(/row 2, column "id": duplicate id "a"/);
    expect(err(JSON.stringify([{ ...good, likelihood: '3' }])).column).toBe('likelihood');
    expect(err(JSON.stringify([{ ...good, risk: 7 }])).column).toBe('risk');
    expect(err('[1]').row).toBe(1);
    expect(err('{"items":[]}').message).toMatch(/expected \{"risks"/);
    expect(err('nope').message).toMatch(/not JSON/);
  });
});
