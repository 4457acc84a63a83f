// Scenario kind `ppmid-firmware-campaign` (issue 9 contract, src/scenario/model.ts): how long a firmware campaign to
// a fleet's PPMIDs takes through SR 11.4 (SECMP0007), and how many activations fail, under a policy variant. It runs
// the twin itself (runFirmwareCampaign: DSP, CSP delivery, ZigBee OTA in block runs, CCS08 / CS09) in virtual time.
import { FIRST_PREMISE_NUMBER } from '../../dcc/fleet.js';
import { runFirmwareCampaign } from '../../firmware/campaign.js';
import { premiseEui } from '../../premise/identities.js';
import { DEFAULT_OTA_LINK, checkOtaLink } from '../../firmware/ota-timing.js';
import { policyWith } from '../../policy.js';
import { scenarioStream } from './common.js';
import type { PolicyVariant, Scenario, ScenarioKind, VariantMeasurement } from '../model.js';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

export const ppmidFirmwareCampaign: ScenarioKind = {
  name: 'ppmid-firmware-campaign',
  question: 'How long does an SR 11.4 firmware campaign to every PPMID take, and how many activations fail?',
  metricDocs: {
    campaignHours: 'hours from the SR 11.4 request to the last PPMID activation (CS09)',
    transferMinutesP50: 'median minutes from the image reaching the CH to the PPMID ending the OTA transfer',
    transferMinutesP95: '95th percentile of the same',
    transferMinutesMax: 'longest transfer, minutes',
    activationFailures: 'PPMIDs that ended the transfer but do not run the new version',
    notActivated: 'PPMIDs targeted that did not activate the image (refused, unreachable, not finished)',
    refusedByConsumer:
      "PPMIDs whose consumer refused the update (only under firmwareConsumerRefusal 'allowed')",
  },
  async measure(scenario: Scenario, variant: PolicyVariant, progress): Promise<VariantMeasurement> {
    const f = scenario.firmware;
    // SR 11.1 targets (ESME, GSME) are another campaign: this kind measures the PPMID route (SR 11.4).
    if (f.target !== 'PPMID')
      throw new RangeError(`ppmid-firmware-campaign measures PPMIDs, not ${f.target}`);
    const link = checkOtaLink({
      ...DEFAULT_OTA_LINK,
      blockSize: f.blockSize,
      blockRequestDelayMs: f.blockRequestDelayMs,
      radioKbps: f.radioKbps,
    });
    const premises = variant.fleet.premises ?? scenario.fleet.premises;
    // The same consumers would refuse under every variant (drawn from the scenario's seed, not the variant's); the
    // policy decides whether they are offered the choice (SECMP0007).
    const draws = scenarioStream(scenario, 'consumer-refusal');
    const refusing = Array.from({ length: premises }, (_, i) => i).filter(
      () => draws.float() < f.consumerRefusalShare,
    );
    const result = await runFirmwareCampaign({
      premises,
      imageKb: f.imageKb,
      link,
      policy: policyWith(variant.policy),
      fleetSeed: scenario.seed,
      maxHours: Math.max(1, scenario.durationDays * 24),
      progress,
      prepare: (dcc) => {
        for (const i of refusing)
          dcc.runner.inject(i, premiseEui(FIRST_PREMISE_NUMBER + i, 'PPMID'), {
            type: 'local',
            action: { kind: 'firmware-choice', refuse: true },
          });
      },
    });
    const minutes = result.devices.filter((d) => d.transferMs !== null).map((d) => d.transferMs! / 60_000);
    const sorted = [...minutes].sort((a, b) => a - b);
    return {
      metrics: {
        campaignHours: { value: result.campaignMs / 3_600_000, unit: 'hours' },
        transferMinutesP50: { value: percentile(sorted, 0.5), unit: 'minutes' },
        transferMinutesP95: { value: percentile(sorted, 0.95), unit: 'minutes' },
        transferMinutesMax: { value: sorted.at(-1) ?? 0, unit: 'minutes' },
        activationFailures: { value: result.activationFailures, unit: 'devices' },
        notActivated: { value: result.devices.filter((d) => !d.activated).length, unit: 'devices' },
        refusedByConsumer: { value: result.devices.filter((d) => d.refused).length, unit: 'devices' },
      },
      series: { transferMinutes: { unit: 'minutes', values: minutes } },
      events: result.events,
    };
  },
};
