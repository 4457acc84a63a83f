// The scenario kind `ppmid-firmware-campaign` measures a campaign with the twin (issue 9 contract).
import { describe, expect, it } from 'vitest';
import { ppmidFirmwareCampaign } from '../../src/scenario/kinds/ppmid-firmware-campaign.js';
import type { Scenario } from '../../src/scenario/model.js';

const scenario = {
  name: 'ppmid-fw',
  description: '',
  kind: 'ppmid-firmware-campaign',
  seed: 'smets-twin-demo',
  durationDays: 2,
  startIso: '2026-01-01T00:00:00Z',
  fleet: {
    premises: 20,
    deviceMix: { esme: 1, gsme: 1, ppmid: 1, ihd: 1, hcalcs: 0 },
    prepaymentShare: 0,
    dualBandShare: 0,
    powerCutsPerHubYear: 0,
    postedPpmidShare: 0,
  },
  firmware: {
    target: 'PPMID',
    imageKb: 100,
    blockSize: 64,
    blockRequestDelayMs: 100,
    radioKbps: 250,
    consumerRefusalShare: 0,
    cspDeliveryKbps: 64,
    cspConcurrentDeliveries: 1000,
    blockLossShare: 0,
    blockResponseTimeoutMs: 5000,
  },
  wan: { coverage: { good: 1, intermittent: 0, none: 0 }, outages: [], holdLimitHours: 22 },
} as unknown as Scenario;

describe('scenario kind ppmid-firmware-campaign', () => {
  it('reports campaign hours, transfer percentiles and failures, and a transferMinutes series per device', async () => {
    const seen: number[] = [];
    const m = await ppmidFirmwareCampaign.measure(
      scenario,
      { name: 'today', policy: {}, routes: ['wan'], fleet: {} },
      (d) => seen.push(d),
    );
    expect(m.series?.['transferMinutes']?.values).toHaveLength(20);
    expect(m.metrics['activationFailures']?.value).toBe(0);
    expect(m.metrics['notActivated']?.value).toBe(0);
    expect(m.metrics['transferMinutesP50']!.value).toBeGreaterThan(2);
    expect(m.metrics['campaignHours']!.value).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(20);
    // The consumer's right to refuse, when the policy offers it, changes nothing unless a consumer refuses.
    const allowed = await ppmidFirmwareCampaign.measure(
      scenario,
      { name: 'refusal', policy: { firmwareConsumerRefusal: 'allowed' }, routes: ['wan'], fleet: {} },
      () => {},
    );
    expect(allowed.metrics['notActivated']?.value).toBe(0);
  });

  it("has the scenario's refusing consumers refuse only when the policy offers the choice, the same consumers under every variant", async () => {
    const refusing = {
      ...scenario,
      firmware: { ...scenario.firmware, consumerRefusalShare: 0.5 },
    } as Scenario;
    const offered = await ppmidFirmwareCampaign.measure(
      refusing,
      { name: 'refusal', policy: { firmwareConsumerRefusal: 'allowed' }, routes: ['wan'], fleet: {} },
      () => {},
    );
    const refused = offered.metrics['refusedByConsumer']!.value;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(20);
    expect(offered.metrics['notActivated']!.value).toBe(refused);
    const again = await ppmidFirmwareCampaign.measure(
      refusing,
      { name: 'again', policy: { firmwareConsumerRefusal: 'allowed' }, routes: ['wan'], fleet: {} },
      () => {},
    );
    expect(again.metrics['refusedByConsumer']!.value).toBe(refused);
    const notOffered = await ppmidFirmwareCampaign.measure(
      refusing,
      { name: 'today', policy: {}, routes: ['wan'], fleet: {} },
      () => {},
    );
    expect(notOffered.metrics['refusedByConsumer']!.value).toBe(0);
    expect(notOffered.metrics['notActivated']!.value).toBe(0);
  });

  it('reports a refused campaign as refused, with no campaign or transfer figures (absent, not 0)', async () => {
    const m = await ppmidFirmwareCampaign.measure(
      scenario,
      { name: 'tight limit', policy: { firmwareImageLimitKb: 50 }, routes: ['wan'], fleet: {} },
      () => {},
    );
    expect(m.metrics['requestsRefused']?.value).toBe(1);
    expect(m.metrics['notActivated']?.value).toBe(20);
    for (const absent of ['campaignHours', 'transferMinutesP50', 'transferMinutesP95', 'transferMinutesMax'])
      expect(m.metrics[absent]).toBeUndefined();
    expect(m.series?.['transferMinutes']?.values).toEqual([]);
  });

  it('targets only the premises with a PPMID (fleet.premises × deviceMix.ppmid)', async () => {
    const half = {
      ...scenario,
      fleet: { ...scenario.fleet, premises: 10, deviceMix: { ...scenario.fleet.deviceMix, ppmid: 0.5 } },
    } as Scenario;
    const m = await ppmidFirmwareCampaign.measure(
      half,
      { name: 'today', policy: {}, routes: ['wan'], fleet: {} },
      () => {},
    );
    expect(m.metrics['ppmids']?.value).toBe(5);
    expect(m.series?.['transferMinutes']?.values).toHaveLength(5);
  });

  it("spreads the CSP's deliveries over its capacity: one at a time takes 20 transfer times for 20 hubs", async () => {
    const today = { name: 'today', policy: {}, routes: ['wan' as const], fleet: {} };
    const wide = await ppmidFirmwareCampaign.measure(scenario, today, () => {});
    const serial = await ppmidFirmwareCampaign.measure(
      { ...scenario, firmware: { ...scenario.firmware, cspConcurrentDeliveries: 1 } } as Scenario,
      today,
      () => {},
    );
    const transferHours = Math.ceil((100_000 * 8) / 64) / 3_600_000; // 100 kB at 64 kbit/s
    const latencyHours = 60_000 / 3_600_000; // the WAN model's longest one-way latency
    // All at once: one transfer time (and a latency) for every hub; one at a time: 20 of them, back to back.
    expect(wide.metrics['imageAtHubHoursMax']!.value).toBeGreaterThanOrEqual(transferHours);
    expect(wide.metrics['imageAtHubHoursMax']!.value).toBeLessThanOrEqual(transferHours + latencyHours);
    expect(serial.metrics['imageAtHubHoursMax']!.value).toBeGreaterThanOrEqual(20 * transferHours);
    expect(serial.metrics['imageAtHubHoursMax']!.value).toBeLessThanOrEqual(
      20 * (transferHours + latencyHours),
    );
    expect(serial.metrics['campaignHours']!.value).toBeGreaterThan(wide.metrics['campaignHours']!.value);
    // The HAN transfer itself is the same: the queue is the CSP's.
    expect(serial.metrics['transferMinutesMax']!.value).toBe(wide.metrics['transferMinutesMax']!.value);
    expect(wide.metrics['unreachable']!.value).toBe(0);
    expect(wide.metrics['lostBlockRequestsMean']!.value).toBe(0);
  });

  it('lengthens transfers on lossy links, unevenly across premises, deterministically for the seed', async () => {
    const today = { name: 'today', policy: {}, routes: ['wan' as const], fleet: {} };
    const clean = await ppmidFirmwareCampaign.measure(scenario, today, () => {});
    const lossy = { ...scenario, firmware: { ...scenario.firmware, blockLossShare: 0.05 } } as Scenario;
    const m = await ppmidFirmwareCampaign.measure(lossy, today, () => {});
    const again = await ppmidFirmwareCampaign.measure(lossy, today, () => {});
    expect(m.metrics['lostBlockRequestsMean']!.value).toBeGreaterThan(0);
    expect(m.metrics['transferMinutesP50']!.value).toBeGreaterThan(
      clean.metrics['transferMinutesP50']!.value,
    );
    const values = m.series!['transferMinutes']!.values;
    expect(new Set(values).size).toBeGreaterThan(1);
    expect(again.series!['transferMinutes']!.values).toEqual(values);
    expect(m.metrics['notActivated']!.value).toBe(0);
  });

  it("follows the scenario's SM WAN: uncovered premises get N61 and are counted, intermittent ones wait for a window", async () => {
    const today = { name: 'today', policy: {}, routes: ['wan' as const], fleet: {} };
    const patchy = {
      ...scenario,
      wan: { coverage: { good: 0.4, intermittent: 0.3, none: 0.3 }, outages: [], holdLimitHours: 22 },
    } as Scenario;
    const m = await ppmidFirmwareCampaign.measure(patchy, today, () => {});
    const unreachable = m.metrics['unreachable']!.value;
    expect(unreachable).toBeGreaterThan(0);
    expect(m.metrics['intermittentCoverage']!.value).toBeGreaterThan(0);
    expect(m.metrics['notActivated']!.value).toBe(unreachable);
    // Intermittent premises' images wait for their connection windows: later than any good premise's.
    expect(m.metrics['imageAtHubHoursMax']!.value).toBeGreaterThan(0.1);
    // A refused campaign has nothing behind `unreachable`: left out.
    const refused = await ppmidFirmwareCampaign.measure(
      patchy,
      { name: 'tight limit', policy: { firmwareImageLimitKb: 50 }, routes: ['wan'], fleet: {} },
      () => {},
    );
    expect(refused.metrics['unreachable']).toBeUndefined();
    expect(refused.metrics['imageAtHubHoursMax']).toBeUndefined();
  });
});
