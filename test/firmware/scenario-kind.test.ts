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
  },
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
});
