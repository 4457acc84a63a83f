// Scenario kind 'interpan-window' (SECMP0037) on small scenarios built here: the same scenario gives the same
// measurement and another seed another; the open hours follow the window rule (≈ one hour per power-up under today's
// 60 minutes, the whole year but the power cuts when lifted); an attacker 80 m away is heard by a dual-band hub and
// not by a single-band one, and the hub refuses fewer of its frames with the window lifted (beacons are answered);
// posted PPMIDs pair when the window is lifted and, with no power cut, not under today's window.
import { describe, expect, it } from 'vitest';
import { RADIO_RANGE_M } from '../../../src/hub/chf-state.js';
import { interPanWindow } from '../../../src/scenario/kinds/interpan-window.js';
import type {
  AttackerSpec,
  FleetSpec,
  PolicyVariant,
  Scenario,
  VariantMeasurement,
} from '../../../src/scenario/model.js';
import {
  DEFAULT_CONSUMPTION,
  DEFAULT_FIRMWARE,
  DEFAULT_RETURNS,
  DEFAULT_WAN,
} from '../../../src/scenario/schema.js';
import { BASE_SCENARIO, loadShipped, readShipped } from './support.js';

const WINDOW_60: PolicyVariant = {
  name: 'window-60',
  policy: { interPanWindowMinutes: 60 },
  routes: [],
  fleet: { dualBandShare: 0 },
};
const LIFTED: PolicyVariant = {
  name: 'lifted',
  policy: { interPanWindowMinutes: null },
  routes: [],
  fleet: { dualBandShare: 0 },
};
const dual = (v: PolicyVariant): PolicyVariant => ({
  ...v,
  name: `${v.name}-dual`,
  fleet: { dualBandShare: 1 },
});

/** A scenario of this kind: the base's, with hubs of an ESME only unless `mix` adds devices. */
function scenario(o: {
  durationDays: number;
  fleet?: Partial<Omit<FleetSpec, 'deviceMix'>>;
  mix?: Partial<FleetSpec['deviceMix']>;
  attackers?: AttackerSpec;
}): Scenario {
  return {
    ...BASE_SCENARIO,
    kind: 'interpan-window',
    durationDays: o.durationDays,
    fleet: {
      ...BASE_SCENARIO.fleet,
      ...o.fleet,
      deviceMix: { esme: 1, gsme: 0, ppmid: 0, ihd: 0, hcalcs: 0, ...o.mix },
    },
    ...(o.attackers !== undefined && { attackers: o.attackers }),
  };
}

const run = (s: Scenario, v: PolicyVariant): Promise<VariantMeasurement> =>
  interPanWindow.measure(s, v, () => {});
const value = (m: VariantMeasurement, name: string): number => m.metrics[name]!.value;

describe('interpan-window: Inter-PAN open hours per hub-year', () => {
  // A year, 40 hubs, two power cuts per hub-year: few events (no attacker, no posted PPMID).
  const year = scenario({ durationDays: 365, fleet: { premises: 40, powerCutsPerHubYear: 2 } });

  it('under the 60-minute window: one hour per power-up, the installation included; lifted: the year but the cuts', async () => {
    const today = await run(year, WINDOW_60);
    const cuts = value(today, 'powerCutsPerHubYear');
    expect(cuts).toBeGreaterThan(1);
    expect(cuts).toBeLessThan(3);
    // Oracle: (1 + cuts) hours per hub-year; a cut within an hour of another power-up shortens the sum a little.
    expect(value(today, 'interPanOpenHoursPerHubYear')).toBeLessThanOrEqual(1 + cuts + 1e-9);
    expect(value(today, 'interPanOpenHoursPerHubYear')).toBeGreaterThan((1 + cuts) * 0.97);

    const lifted = await run(year, LIFTED);
    expect(value(lifted, 'powerCutsPerHubYear')).toBe(cuts);
    // Oracle: 8,760 hours less one hour off per cut (POWER_CUT_MS), give or take cuts that overlap the year's end.
    expect(value(lifted, 'interPanOpenHoursPerHubYear')).toBeCloseTo(8760 - cuts, 0);
    expect(lifted.series!.interPanOpenHoursPerHubYear!.values).toHaveLength(40);
  });
});

describe('interpan-window: an attacker 80 m from the hubs', () => {
  const distanceM = 80;
  const attacked = scenario({
    durationDays: 3,
    fleet: { premises: 3 },
    attackers: { share: 1, distanceM, intervalSeconds: 60 },
  });

  it('is heard by dual-band hubs only; the hubs refuse every frame heard under the window, fewer when lifted', async () => {
    expect(distanceM).toBeGreaterThan(RADIO_RANGE_M.singleBand);
    expect(distanceM).toBeLessThanOrEqual(RADIO_RANGE_M.dualBand);
    const single = await run(attacked, WINDOW_60);
    expect(value(single, 'attackedHubs')).toBe(3);
    expect(value(single, 'attackerFramesSentPerHubYear')).toBeGreaterThan(400_000);
    expect(value(single, 'attackerFramesHeardPerHubYear')).toBe(0);
    expect(value(single, 'refusedAttackerFramesPerHubYear')).toBe(0);

    const dualToday = await run(attacked, dual(WINDOW_60));
    const sent = value(single, 'attackerFramesSentPerHubYear');
    const heard = value(dualToday, 'attackerFramesHeardPerHubYear');
    // The same attackers send the same frames whatever the band of the hubs they aim at.
    expect(value(dualToday, 'attackerFramesSentPerHubYear')).toBe(sent);
    // Heard: everything but the last frame or so, whose answer is still on its way when the run ends.
    expect(heard).toBeGreaterThan(sent * 0.99);
    expect(heard).toBeLessThanOrEqual(sent);
    // Under the window every frame heard after the first hour is refused; in that hour the beacons are answered.
    const refusedToday = value(dualToday, 'refusedAttackerFramesPerHubYear');
    expect(refusedToday).toBeGreaterThan(heard * 0.99);

    const dualLifted = await run(attacked, dual(LIFTED));
    expect(value(dualLifted, 'attackerFramesHeardPerHubYear')).toBeCloseTo(heard, -2);
    // Lifted: beacon requests (a quarter of the mix) are answered, not refused.
    const ratio = value(dualLifted, 'refusedAttackerFramesPerHubYear') / heard;
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(0.8);
  });
});

describe('interpan-window: posted PPMIDs', () => {
  const posted = scenario({
    durationDays: 4,
    fleet: { premises: 12, postedPpmidShare: 1, powerCutsPerHubYear: 0 },
    mix: { ppmid: 1 },
  });

  it('pair at once with the window lifted; with none of the hubs power-cycled, none pairs under the 60-minute window', async () => {
    const today = await run(posted, WINDOW_60);
    const lifted = await run(posted, LIFTED);
    expect(value(today, 'postedPpmids')).toBe(12);
    // Switched on at a seeded time in the four days, after the installation's hour.
    expect(value(today, 'postedPpmidPairedShare')).toBe(0);
    expect(value(lifted, 'postedPpmidPairedShare')).toBe(1);
    expect(value(lifted, 'postedPpmidPairingHoursMedian')).toBeLessThan(0.1);
  });

  it('leave the pairing median out when none paired (no pairing is not an instant one)', async () => {
    const today = await run(posted, WINDOW_60);
    expect(value(today, 'postedPpmidPairedShare')).toBe(0);
    expect(today.metrics).not.toHaveProperty('postedPpmidPairingHoursMedian');
    expect(today.series!.postedPpmidPairingHours!.values).toEqual([]);
  });
});

describe('interpan-window: determinism', () => {
  const small = scenario({
    durationDays: 5,
    fleet: { premises: 8, postedPpmidShare: 0.5, powerCutsPerHubYear: 20, dualBandShare: 0.5 },
    mix: { ppmid: 1 },
    attackers: { share: 0.5, distanceM: 30, intervalSeconds: 300 },
  });

  it('the same scenario gives the same measurement; another seed another', async () => {
    const first = await run(small, WINDOW_60);
    expect(await run(small, WINDOW_60)).toEqual(first);
    const other = await run({ ...small, seed: 'another-seed' }, WINDOW_60);
    expect(other).not.toEqual(first);
  });
});

describe('interpan-window: the shipped scenario', () => {
  it('parses to the model’s shape, with every section the kind uses written out', () => {
    const raw = readShipped('interpan-window.yaml');
    for (const key of [
      'name',
      'description',
      'kind',
      'seed',
      'durationDays',
      'startIso',
      'fleet',
      'attackers',
      'policies',
    ])
      expect(raw, key).toHaveProperty(key);
    const s = loadShipped('interpan-window.yaml');
    expect(s.kind).toBe('interpan-window');
    expect(Object.keys(s.fleet).sort()).toEqual(Object.keys(BASE_SCENARIO.fleet).sort());
    expect(Object.keys(s.fleet.deviceMix).sort()).toEqual(Object.keys(BASE_SCENARIO.fleet.deviceMix).sort());
    expect(s.policies.map((p) => [p.policy.interPanWindowMinutes, p.fleet.dualBandShare])).toEqual([
      [60, 0],
      [null, 0],
      [60, 1],
      [null, 1],
    ]);
    expect(s.attackers.distanceM).toBeGreaterThan(RADIO_RANGE_M.singleBand);
    expect(s.attackers.distanceM).toBeLessThanOrEqual(RADIO_RANGE_M.dualBand);
  });

  it('is checked by the schema: the sections it leaves out take the schema’s documented defaults', () => {
    const raw = readShipped('interpan-window.yaml');
    const s = loadShipped('interpan-window.yaml');
    expect(raw).not.toHaveProperty('wan');
    expect(s.wan).toEqual(DEFAULT_WAN);
    expect(raw).not.toHaveProperty('consumption');
    expect(s.consumption).toEqual(DEFAULT_CONSUMPTION);
    expect(raw).not.toHaveProperty('firmware');
    expect(s.firmware).toEqual(DEFAULT_FIRMWARE);
    expect(raw).not.toHaveProperty('returns');
    expect(s.returns).toEqual(DEFAULT_RETURNS);
  });
});
