// The 'triage-reuse' scenario kind (src/scenario/kinds/triage-reuse.ts) on a small run: under today's rule nothing is
// reused (CHs back to the CSP with their charges, meters not reused); with triage allowed every returned device without
// a real fault is reset, rejoins a QA premise by install code and answers a read; a return the DCC refuses is counted
// apart and costs nothing; the same seed gives the same metrics. The seed is chosen so that the five returns hold a
// faulty single-band CH, a faulty dual-band CH, a no-fault CH and meters with and without a fault.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PolicyVariant, Scenario } from '../../src/scenario/model.js';
import { CH_RETURN_CHARGES_GBP, drawReturns, triageReuse } from '../../src/scenario/kinds/triage-reuse.js';
import { DuisClient } from '../../src/triage/duis-client.js';

const scenario = {
  name: 'triage-test',
  description: '',
  kind: 'triage-reuse',
  seed: 'triage-seed-183',
  durationDays: 1,
  startIso: '2026-01-01T00:00:00Z',
  fleet: {
    premises: 5,
    deviceMix: { esme: 1, gsme: 1, ppmid: 1, ihd: 1, hcalcs: 0 },
    prepaymentShare: 0,
    dualBandShare: 0.5,
    powerCutsPerHubYear: 0,
    postedPpmidShare: 0,
  },
  returns: { faultShare: 0.4, devices: 5, meterShare: 0.4 },
  policies: [],
} as unknown as Scenario;

const variant = (name: string, policy: PolicyVariant['policy']): PolicyVariant => ({
  name,
  policy,
  routes: ['wan'],
  fleet: {},
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('triage-reuse', () => {
  it('the seed draws faulty single- and dual-band CHs, a no-fault CH and meters', () => {
    const r = drawReturns(scenario, variant('today', {}));
    const chs = r.filter((d) => !d.meter);
    expect(chs.map((d) => [d.fault, d.dualBand])).toEqual([
      [true, false],
      [true, true],
      [false, false],
    ]);
    expect(r.filter((d) => d.meter).map((d) => d.fault)).toEqual([true, false]);
  });

  it("today's rule (no triage): nothing reused, CHs back to the CSP at £30.87 / £58.75 faulty, £7.43 not", async () => {
    const m = await triageReuse.measure(scenario, variant('today', {}), () => {});
    const v = (k: string) => m.metrics[k]!.value;
    expect(v('returned')).toBe(5);
    expect(v('reusableShare')).toBe(0);
    expect([v('notTriagedReturnedToCsp'), v('notTriagedNotReused'), v('returnFailed')]).toEqual([3, 2, 0]);
    expect(CH_RETURN_CHARGES_GBP).toEqual({
      noFaultFound: 7.43,
      unrecoverableSingleBand: 30.87,
      unrecoverableDualBand: 58.75,
    });
    expect(v('chChargesPerReturnedChGbp')).toBeCloseTo((30.87 + 58.75 + 7.43) / 3, 10);
  }, 20_000);

  it('with triage: every device without a fault is reset and reused at a QA premise; faulty ones are not', async () => {
    const progress: number[] = [];
    const m = await triageReuse.measure(scenario, variant('triage', { triage: 'reset' }), (d) =>
      progress.push(d),
    );
    const v = (k: string) => m.metrics[k]!.value;
    expect(v('reused') + v('faultFound')).toBe(5);
    expect(v('faultFound')).toBe(v('faultReturns'));
    expect(v('faultFound')).toBe(3);
    expect(v('resetNotReusable') + v('refused') + v('returnFailed')).toBe(0);
    expect(v('reusableShare')).toBeCloseTo(v('reused') / 5);
    // The faulty CHs go back to the CSP unrecoverable; the no-fault CH is reused and costs nothing.
    expect(v('chChargesPerReturnedChGbp')).toBeCloseTo((30.87 + 58.75) / 3, 10);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(m.events).toBeGreaterThan(0);
  }, 20_000);

  it('a return the DCC refuses is counted as returnFailed: not triaged, not refused, not charged', async () => {
    const nonDevice = DuisClient.prototype.nonDevice;
    vi.spyOn(DuisClient.prototype, 'nonDevice').mockImplementation(function (this: DuisClient, srv, body) {
      return ['8.3', '8.14.3', '8.14.4'].includes(srv)
        ? Promise.resolve({ code: 'E4' as const })
        : nonDevice.call(this, srv, body);
    });
    const m = await triageReuse.measure(scenario, variant('triage', { triage: 'reset' }), () => {});
    const v = (k: string) => m.metrics[k]!.value;
    expect(v('returnFailed')).toBe(5);
    expect(v('reused') + v('faultFound') + v('refused') + v('resetNotReusable')).toBe(0);
    expect(v('chChargesPerReturnedChGbp')).toBe(0);
    expect(Object.keys(triageReuse.metricDocs)).toContain('returnFailed');
  }, 20_000);
});
