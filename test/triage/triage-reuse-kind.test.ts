// The 'triage-reuse' scenario kind (src/scenario/kinds/triage-reuse.ts) on a small run: under today's rule nothing is
// reused (CHs back to the CSP with their charges, meters not reused); with triage allowed every returned device without
// a real fault is reset, rejoins a QA premise by install code and answers a read; the same seed gives the same metrics.
import { describe, expect, it } from 'vitest';
import type { PolicyVariant, Scenario } from '../../src/scenario/model.js';
import { CH_RETURN_CHARGES_GBP, triageReuse } from '../../src/scenario/kinds/triage-reuse.js';

const scenario = {
  name: 'triage-test',
  description: '',
  kind: 'triage-reuse',
  seed: 'triage-seed',
  durationDays: 1,
  startIso: '2026-01-01T00:00:00Z',
  fleet: {
    premises: 5,
    deviceMix: { esme: 1, gsme: 1, ppmid: 1, ihd: 1, hcalcs: 0 },
    prepaymentShare: 0,
    dualBandShare: 0,
    powerCutsPerHubYear: 0,
    postedPpmidShare: 0,
  },
  returns: { faultShare: 0.3, devices: 5, meterShare: 0.5 },
  policies: [],
} as unknown as Scenario;

const variant = (name: string, policy: PolicyVariant['policy']): PolicyVariant => ({
  name,
  policy,
  routes: ['wan'],
  fleet: {},
});

describe('triage-reuse', () => {
  it("today's rule (no triage): nothing reused, CHs back to the CSP, meters not reused", async () => {
    const m = await triageReuse.measure(scenario, variant('today', {}), () => {});
    const v = (k: string) => m.metrics[k]!.value;
    expect(v('returned')).toBe(5);
    expect(v('reusableShare')).toBe(0);
    expect(v('notTriagedReturnedToCsp') + v('notTriagedNotReused')).toBe(5);
    if (v('notTriagedReturnedToCsp') > 0)
      expect(v('chChargesPerReturnedChGbp')).toBeGreaterThanOrEqual(CH_RETURN_CHARGES_GBP.noFaultFound);
  }, 20_000);

  it('with triage: every device without a fault is reset and reused at a QA premise; faulty ones are not', async () => {
    const progress: number[] = [];
    const m = await triageReuse.measure(scenario, variant('triage', { triage: 'reset' }), (d) =>
      progress.push(d),
    );
    const v = (k: string) => m.metrics[k]!.value;
    expect(v('reused') + v('faultFound')).toBe(5);
    expect(v('faultFound')).toBe(v('faultReturns'));
    expect(v('resetNotReusable') + v('refused')).toBe(0);
    expect(v('reusableShare')).toBeCloseTo(v('reused') / 5);
    expect(v('reused')).toBeGreaterThan(0);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(m.events).toBeGreaterThan(0);
  }, 20_000);
});
