// Scenario kind 'no-wan-prepayment' (SECMP0038) on small scenarios built here, every top-up through the DCC's real
// pipeline: a hand-checkable customer without SM WAN coverage (standing charge only) loses supply exactly when the
// opening and emergency credit run out, under WAN only, and not at all with HHT visits; the same seed gives the same
// measurement and another seed another; WAN only loses more supply than the PPMID tunnel under 'any', and the tunnel
// under today's 'han-only' rule is no better than the WAN alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScenarioInputError } from '../../../src/scenario/kinds/common.js';
import { KyselyStore } from '../../../src/store/kysely-store.js';
import {
  checkScenario,
  EMERGENCY_CREDIT_THRESHOLD_POUNDS,
  hhtVisitDelayMs,
  OPENING_EMERGENCY_CREDIT_POUNDS,
  prepaymentCustomers,
} from '../../../src/scenario/kinds/no-wan-prepayment.js';
import { noWanPrepayment } from '../../../src/scenario/kinds/no-wan-prepayment.js';
import { Dcc, FLEET_INSTALL_MS } from '../../../src/dcc/dcc.js';
import type { PolicyVariant, Scenario, VariantMeasurement } from '../../../src/scenario/model.js';
import { DEFAULT_ATTACKERS, DEFAULT_FIRMWARE, DEFAULT_RETURNS } from '../../../src/scenario/schema.js';
import { BASE_SCENARIO, loadShipped, readShipped } from './support.js';

const WAN_ONLY: PolicyVariant = { name: 'wan-only', policy: {}, routes: ['wan'], fleet: {} };
const WAN_HHT: PolicyVariant = { name: 'wan-hht', policy: {}, routes: ['wan', 'hht'], fleet: {} };
const TUNNEL_ANY: PolicyVariant = {
  name: 'tunnel-any',
  policy: { ppmidTunnel: 'any' },
  routes: ['wan', 'ppmid-tunnel'],
  fleet: {},
};
const TUNNEL_HAN_ONLY: PolicyVariant = {
  name: 'tunnel-han-only',
  policy: { ppmidTunnel: 'han-only' },
  routes: ['wan', 'ppmid-tunnel'],
  fleet: {},
};

const run = (s: Scenario, v: PolicyVariant): Promise<VariantMeasurement> =>
  noWanPrepayment.measure(s, v, () => {});
const value = (m: VariantMeasurement, name: string): number => m.metrics[name]!.value;

describe('no-wan-prepayment: one customer without SM WAN coverage, standing charge only (hand-checkable)', () => {
  // 60p a day and no demand: the £18 opening credit and the £5 emergency credit (taken when offered, below £1) last
  // 2,300 / 60 = 38⅓ days from the meter's installation (10 minutes before the run starts); over a 50-day run the
  // supply is off for the last 280 hours and 10 minutes, all of it while bought top-ups were on their way ("no route").
  const alone: Scenario = {
    ...BASE_SCENARIO,
    durationDays: 50,
    fleet: { ...BASE_SCENARIO.fleet, premises: 1 },
    wan: { ...BASE_SCENARIO.wan, coverage: { good: 0, intermittent: 0, none: 1 } },
    consumption: {
      ...BASE_SCENARIO.consumption,
      electricity: { annualKwh: 0, pencePerKwh: 24.5, standingPencePerDay: 60 },
    },
  };

  it('WAN only: no top-up arrives; the supply goes off when opening and emergency credit are spent', async () => {
    expect(OPENING_EMERGENCY_CREDIT_POUNDS).toBe(5);
    expect(EMERGENCY_CREDIT_THRESHOLD_POUNDS).toBeLessThan(18);
    const m = await run(alone, WAN_ONLY);
    expect(value(m, 'customers')).toBe(1);
    expect(value(m, 'noWanCustomers')).toBe(1);
    expect(value(m, 'topUpsBought')).toBe(7);
    expect(value(m, 'topUpsDelivered')).toBe(0);
    const years = 50 / 365;
    // The meter is installed (and starts charging) in the DCC's installation minutes before the run starts.
    const installedHoursBefore = FLEET_INSTALL_MS / 3_600_000;
    const lostHours = 50 * 24 - ((18 + 5) * 100 * 24) / 60 + installedHoursBefore;
    expect(lostHours).toBeCloseTo(280 + 1 / 6, 6);
    // Within a minute (the installation's own steps take seconds).
    expect(Math.abs(value(m, 'supplyLossHoursPerCustomerYear') * years - lostHours)).toBeLessThan(1 / 60);
    expect(Math.abs(value(m, 'supplyLossNoRouteHoursPerCustomerYear') * years - lostHours)).toBeLessThan(
      1 / 60,
    );
    expect(value(m, 'supplyLossNoCreditHoursPerCustomerYear')).toBe(0);
    // The supplier sent each top-up three times (a day apart) and got E20 each time.
    expect(value(m, 'serviceRequests')).toBeGreaterThanOrEqual(7 * 3 - 2);
  });

  it('WAN only: with no top-up delivered, the delivery-time median and 95th percentile are left out, not 0', async () => {
    const m = await run(alone, WAN_ONLY);
    expect(value(m, 'topUpsDelivered')).toBe(0);
    expect(m.metrics).not.toHaveProperty('topUpDeliveryHoursMedian');
    expect(m.metrics).not.toHaveProperty('topUpDeliveryHoursP95');
    expect(m.series!.topUpDeliveryHours!.values).toEqual([]);
  });

  it('WAN + HHT visits: every top-up arrives by an installer’s visit, and the supply never goes off', async () => {
    const m = await run(alone, WAN_HHT);
    expect(value(m, 'supplyLossHoursPerCustomerYear')).toBe(0);
    expect(value(m, 'topUpsDelivered')).toBeGreaterThan(0.8);
    expect(value(m, 'hhtVisitsPerCustomerYear')).toBeGreaterThan(0);
    // Delivered on visits: hours after purchase, not seconds.
    expect(value(m, 'topUpDeliveryHoursMedian')).toBeGreaterThan(1);
  });
});

describe('no-wan-prepayment: the routes compared on a small mixed fleet', () => {
  // Eight customers, half without coverage, three weeks of January demand (≈ £2.77 a day): the £23 of opening and
  // emergency credit runs out in about eight days where no top-up arrives.
  const fleet: Scenario = {
    ...BASE_SCENARIO,
    durationDays: 21,
    fleet: { ...BASE_SCENARIO.fleet, premises: 8 },
  };

  it('WAN only loses more supply than the PPMID tunnel under any; the tunnel under han-only is no better than WAN only', async () => {
    const wanOnly = await run(fleet, WAN_ONLY);
    const any = await run(fleet, TUNNEL_ANY);
    const hanOnly = await run(fleet, TUNNEL_HAN_ONLY);
    expect(value(wanOnly, 'noWanCustomers')).toBeGreaterThan(0);
    expect(value(wanOnly, 'supplyLossHoursPerNoWanCustomerYear')).toBeGreaterThan(1000);
    expect(value(any, 'supplyLossHoursPerCustomerYear')).toBeLessThan(
      value(wanOnly, 'supplyLossHoursPerCustomerYear'),
    );
    expect(value(any, 'supplyLossHoursPerNoWanCustomerYear')).toBeLessThan(
      value(wanOnly, 'supplyLossHoursPerNoWanCustomerYear') / 10,
    );
    expect(value(any, 'topUpsDelivered')).toBeGreaterThan(value(wanOnly, 'topUpsDelivered'));
    for (const metric of [
      'supplyLossHoursPerCustomerYear',
      'supplyLossHoursPerNoWanCustomerYear',
      'supplyLossNoRouteHoursPerCustomerYear',
      'topUpsDelivered',
    ])
      expect(value(hanOnly, metric), metric).toBe(value(wanOnly, metric));
    // The customers with good coverage are served by the WAN whatever the other routes.
    expect(value(any, 'supplyLossHoursPerGoodWanCustomerYear')).toBe(
      value(wanOnly, 'supplyLossHoursPerGoodWanCustomerYear'),
    );
  });
});

describe('no-wan-prepayment: variants that change the prepayment share stay paired', () => {
  // No premise with good coverage and £15 top-ups in January: each customer's supply-loss hours depend on their own
  // demand (seeded per meter), purchase times, SM WAN windows and (with HHT) visit delays. The variant with a prepayment share of ½
  // simulates some of the fleet's premises only; each must meet what the same premise met with all of them customers.
  const fleet: Scenario = {
    ...BASE_SCENARIO,
    durationDays: 35,
    fleet: { ...BASE_SCENARIO.fleet, premises: 8 },
    wan: { ...BASE_SCENARIO.wan, coverage: { good: 0, intermittent: 0.5, none: 0.5 } },
    consumption: { ...BASE_SCENARIO.consumption, topUp: { everyDays: 7, pounds: 15 } },
  };
  const all = (v: PolicyVariant): PolicyVariant => ({ ...v, fleet: { prepaymentShare: 1 } });
  const half = (v: PolicyVariant): PolicyVariant => ({ ...v, fleet: { prepaymentShare: 0.5 } });

  it.each([WAN_ONLY, WAN_HHT])(
    '$name: each customer loses what the same fleet premise lost with every premise a customer',
    async (v) => {
      const everyone = prepaymentCustomers(fleet, all(v)).map((c) => c.fleetPremise);
      expect(everyone).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const some = prepaymentCustomers(fleet, half(v)).map((c) => c.fleetPremise);
      // The test means something only if a premise before the last customer is not one.
      expect(some.length).toBeGreaterThan(1);
      expect(some).not.toEqual(everyone.slice(0, some.length));

      const lossAll = (await run(fleet, all(v))).series!.supplyLossHoursPerCustomerYear!.values;
      const lossSome = (await run(fleet, half(v))).series!.supplyLossHoursPerCustomerYear!.values;
      expect(new Set(lossAll).size).toBeGreaterThan(1);
      expect(lossSome).toEqual(some.map((i) => lossAll[i]));
    },
  );
});

describe('no-wan-prepayment: installer visits', () => {
  it('a visit arranged again for the same purchase draws a new delay; the same visit the same one', () => {
    const delays = [0, 1, 2, 3].map((visit) => hhtVisitDelayMs(BASE_SCENARIO, 2, 0, visit));
    expect(new Set(delays).size).toBe(4);
    expect(hhtVisitDelayMs(BASE_SCENARIO, 2, 0, 1)).toBe(delays[1]);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(0);
  });
});

describe('no-wan-prepayment: inputs the schema accepts but the kind cannot run', () => {
  afterEach(() => vi.restoreAllMocks());
  const topUp = (t: Partial<Scenario['consumption']['topUp']>, durationDays = 30): Scenario => ({
    ...BASE_SCENARIO,
    durationDays,
    consumption: { ...BASE_SCENARIO.consumption, topUp: { ...BASE_SCENARIO.consumption.topUp, ...t } },
  });

  it.each([
    [
      'a top-up of £0.001 (not a whole number of pence)',
      topUp({ pounds: 0.001 }),
      'consumption.topUp.pounds',
    ],
    ['a top-up of £18.005', topUp({ pounds: 18.005 }), 'consumption.topUp.pounds'],
    [
      'a top-up of £100.50 (10,050p, beyond a UTRN’s 8,191)',
      topUp({ pounds: 100.5 }),
      'consumption.topUp.pounds',
    ],
    ['a top-up of £10,000', topUp({ pounds: 10_000 }), 'consumption.topUp.pounds'],
    ['a top-up every 0.1 days for a year', topUp({ everyDays: 0.1 }, 365), 'consumption.topUp.everyDays'],
    ['weekly top-ups for twenty years', topUp({ everyDays: 7 }, 20 * 365), 'durationDays'],
  ])('refuses %s before any work, naming the field', async (_what, scenario, field) => {
    const problems = checkScenario(scenario);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(field);
    const open = vi.spyOn(Dcc, 'open');
    const progress = vi.fn();
    const measuring = noWanPrepayment.measure(scenario, WAN_ONLY, progress);
    await expect(measuring).rejects.toThrow(ScenarioInputError);
    await expect(measuring).rejects.toThrow(field);
    expect(open).not.toHaveBeenCalled();
    expect(progress).not.toHaveBeenCalled();
  });

  it('accepts what it can run: whole pounds, pence, 1,022 top-ups per customer', () => {
    expect(checkScenario(BASE_SCENARIO)).toEqual([]);
    expect(checkScenario(topUp({ pounds: 12.34 }))).toEqual([]);
    expect(checkScenario(topUp({ pounds: 8191 }))).toEqual([]);
    expect(checkScenario(topUp({ everyDays: 1 }, 1022))).toEqual([]);
    expect(checkScenario(topUp({ everyDays: 1 }, 1023))).toHaveLength(1);
  });

  it('closes the DCC and its store when the run fails part-way', async () => {
    const dccClose = vi.spyOn(Dcc.prototype, 'close');
    const storeClose = vi.spyOn(KyselyStore.prototype, 'close');
    const failing = () => {
      throw new Error('the progress bar broke');
    };
    await expect(noWanPrepayment.measure(topUp({}, 2), WAN_ONLY, failing)).rejects.toThrow(
      'the progress bar broke',
    );
    expect(dccClose).toHaveBeenCalledTimes(1);
    expect(storeClose).toHaveBeenCalledTimes(1);
  });
});

describe('no-wan-prepayment: determinism', () => {
  const small: Scenario = {
    ...BASE_SCENARIO,
    durationDays: 14,
    fleet: { ...BASE_SCENARIO.fleet, premises: 4 },
  };

  it('the same scenario gives the same measurement; another seed another', async () => {
    const first = await run(small, WAN_HHT);
    expect(await run(small, WAN_HHT)).toEqual(first);
    const other = await run({ ...small, seed: 'another-seed' }, WAN_HHT);
    expect(other).not.toEqual(first);
  });
});

describe('no-wan-prepayment: the shipped scenario', () => {
  it('parses to the model’s shape, with every section the kind uses written out', () => {
    const raw = readShipped('no-wan-prepayment.yaml');
    for (const key of [
      'name',
      'description',
      'kind',
      'seed',
      'durationDays',
      'startIso',
      'fleet',
      'wan',
      'consumption',
      'hhtVisits',
      'policies',
    ])
      expect(raw, key).toHaveProperty(key);
    const s = loadShipped('no-wan-prepayment.yaml');
    expect(s.kind).toBe('no-wan-prepayment');
    expect(Object.keys(s.fleet).sort()).toEqual(Object.keys(BASE_SCENARIO.fleet).sort());
    expect(Object.keys(s.wan).sort()).toEqual(Object.keys(BASE_SCENARIO.wan).sort());
    expect(Object.keys(s.consumption).sort()).toEqual(Object.keys(BASE_SCENARIO.consumption).sort());
    const shares = Object.values(s.wan.coverage);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(s.policies.map((p) => [p.routes, p.policy.ppmidTunnel ?? 'han-only'])).toEqual([
      [['wan'], 'han-only'],
      [['wan', 'hht'], 'han-only'],
      [['wan', 'ppmid-tunnel'], 'subset'],
      [['wan', 'ppmid-tunnel'], 'any'],
    ]);
    expect(s.policies[2]!.policy.ppmidTunnelUseCases).toContain('CS01a');
  });

  it('is checked by the schema: the sections it leaves out take the schema’s documented defaults', () => {
    const raw = readShipped('no-wan-prepayment.yaml');
    const s = loadShipped('no-wan-prepayment.yaml');
    expect(raw).not.toHaveProperty('attackers');
    expect(s.attackers).toEqual(DEFAULT_ATTACKERS);
    expect(raw).not.toHaveProperty('firmware');
    expect(s.firmware).toEqual(DEFAULT_FIRMWARE);
    expect(raw).not.toHaveProperty('returns');
    expect(s.returns).toEqual(DEFAULT_RETURNS);
  });
});
