// A consumer's refusal ends the OTA exchange with an Upgrade End Request ABORT; it is not a transfer. The campaign
// gives a transfer time (and lost block requests) only to transfers the CH saw complete ('transferred'), so a refused
// PPMID never enters transferMinutes or lostBlockRequestsMean as a 0.2-second transfer.
import { describe, expect, it } from 'vitest';
import { FIRST_PREMISE_NUMBER } from '../../src/dcc/fleet.js';
import { runFirmwareCampaign } from '../../src/firmware/campaign.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { premiseEui } from '../../src/premise/identities.js';
import { ppmidFirmwareCampaign } from '../../src/scenario/kinds/ppmid-firmware-campaign.js';
import type { Scenario } from '../../src/scenario/model.js';

describe('a refused PPMID in a campaign', () => {
  it('has no transfer time, no activation time and no lost block requests; the others do', async () => {
    const r = await runFirmwareCampaign({
      premises: 3,
      imageKb: 20,
      policy: { ...DEFAULT_POLICY, firmwareConsumerRefusal: 'allowed' },
      prepare: (dcc) =>
        dcc.runner.inject(0, premiseEui(FIRST_PREMISE_NUMBER, 'PPMID'), {
          type: 'local',
          action: { kind: 'firmware-choice', refuse: true },
        }),
    });
    expect(r.devices[0]).toMatchObject({
      refused: true,
      transferMs: null,
      activationMs: null,
      lostAttempts: 0,
    });
    for (const d of r.devices.slice(1)) {
      expect(d.activated).toBe(true);
      expect(d.transferMs!).toBeGreaterThan(10_000);
    }
  });

  it('is left out of the kind’s transfer percentiles and series', async () => {
    const scenario = {
      name: 'ppmid-fw',
      description: '',
      kind: 'ppmid-firmware-campaign',
      seed: 'smets-twin-demo',
      durationDays: 2,
      startIso: '2026-01-01T00:00:00Z',
      fleet: {
        premises: 10,
        deviceMix: { esme: 1, gsme: 1, ppmid: 1, ihd: 1, hcalcs: 0 },
        prepaymentShare: 0,
        dualBandShare: 0,
        powerCutsPerHubYear: 0,
        postedPpmidShare: 0,
      },
      firmware: {
        target: 'PPMID',
        imageKb: 20,
        blockSize: 64,
        blockRequestDelayMs: 100,
        radioKbps: 250,
        consumerRefusalShare: 0.5,
        cspDeliveryKbps: 64,
        cspConcurrentDeliveries: 1000,
        blockLossShare: 0,
        blockResponseTimeoutMs: 5000,
      },
      wan: { coverage: { good: 1, intermittent: 0, none: 0 }, outages: [], holdLimitHours: 22 },
    } as unknown as Scenario;
    const m = await ppmidFirmwareCampaign.measure(
      scenario,
      { name: 'refusal', policy: { firmwareConsumerRefusal: 'allowed' }, routes: ['wan'], fleet: {} },
      () => {},
    );
    const refused = m.metrics['refusedByConsumer']!.value;
    expect(refused).toBeGreaterThan(0);
    const series = m.series!['transferMinutes']!.values;
    expect(series).toHaveLength(10 - refused);
    // 20 kB take well over a minute's fraction on the HAN: no 0.2-second "transfer" among them.
    expect(Math.min(...series)).toBeGreaterThan(0.1);
    expect(m.metrics['transferMinutesP50']!.value).toBeGreaterThan(0.1);
  });
});
