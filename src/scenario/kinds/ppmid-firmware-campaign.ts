// Scenario kind `ppmid-firmware-campaign` (issue 9 contract, src/scenario/model.ts): how long a firmware campaign to
// a fleet's PPMIDs takes through SR 11.4 (SECMP0007), and how many activations fail, under a policy variant. It runs
// the twin itself (runFirmwareCampaign: DSP, CSP delivery, ZigBee OTA in block runs, CCS08 / CS09) in virtual time.
// The campaign's time comes from three models, each configuration: the CSP's fleet-wide delivery capacity
// (firmware.cspConcurrentDeliveries at cspDeliveryKbps each; routes/wan.ts), the scenario's SM WAN (scenario.wan:
// coverage shares, outages, hold limit; routes/wan-model.ts) — intermittent premises take the image in their
// connection windows, uncovered ones get N61 — and each premise's HAN link, losing Image Block Responses around
// firmware.blockLossShare (firmware/ota-timing.ts).
import { FIRST_PREMISE_NUMBER } from '../../dcc/fleet.js';
import { runFirmwareCampaign } from '../../firmware/campaign.js';
import { premiseEui } from '../../premise/identities.js';
import { DEFAULT_OTA_LINK, checkOtaLink } from '../../firmware/ota-timing.js';
import { policyWith } from '../../policy.js';
import { scenarioStream } from './common.js';
import type { MetricValue, PolicyVariant, Scenario, ScenarioKind, VariantMeasurement } from '../model.js';

/** Nearest-rank percentile of a non-empty sorted list. */
function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

export const ppmidFirmwareCampaign: ScenarioKind = {
  name: 'ppmid-firmware-campaign',
  question: 'How long does an SR 11.4 firmware campaign to every PPMID take, and how many activations fail?',
  metricDocs: {
    ppmids:
      'PPMIDs the campaign targets: the premises with a PPMID (fleet.premises × deviceMix.ppmid, rounded)',
    requestsRefused: 'SR 11.4 requests the DCC refused (e.g. E110401: the image over the policy limit)',
    campaignHours:
      "hours from the SR 11.4 request to the last PPMID's CS09 reaching a supplier (the DSP's push: when the suppliers learn of the last activation; at an intermittent premise the CS09 waits for its next connection window); absent when no CS09 reached a supplier",
    lastActivationHours:
      'hours from the SR 11.4 request to the last PPMID activation, at the PPMID (before its CS09 crosses the SM WAN); absent when no PPMID activated',
    transferMinutesP50:
      "median minutes from the image reaching the CH to the PPMID ending the OTA transfer with the whole image (the CH's status 'transferred': refusals and aborts are not transfers); absent when none transferred",
    transferMinutesP95: '95th percentile (nearest rank) of the same; absent when none transferred',
    transferMinutesMax: 'longest transfer, minutes; absent when none transferred',
    activationFailures: 'PPMIDs that ended the transfer but do not run the new version',
    notActivated: 'PPMIDs targeted that did not activate the image (refused, unreachable, not finished)',
    refusedByConsumer:
      "PPMIDs whose consumer refused the update (only under firmwareConsumerRefusal 'allowed')",
    unreachable:
      'PPMIDs whose premise the CSP could not reach with the image (no SM WAN coverage, or beyond the hold limit): DCC alert N61; absent when every request was refused',
    intermittentCoverage: 'PPMIDs at premises with intermittent SM WAN coverage (scenario.wan.coverage)',
    campaignHoursGoodCoverage:
      'hours from the SR 11.4 request to the last activation at a premise with good SM WAN coverage (the CSP capacity and HAN figure, without connection windows); absent when none activated',
    imageAtHubHoursMax:
      "hours from the SR 11.4 request to the image reaching the last CH (the CSP's queue, connection windows, WAN transfer); absent when no image was delivered",
    lostBlockRequestsMean:
      'mean Image Block Requests re-sent after a lost response, per PPMID whose transfer completed; absent when none transferred',
  },
  async measure(scenario: Scenario, variant: PolicyVariant, progress): Promise<VariantMeasurement> {
    const f = scenario.firmware;
    // SR 11.1 targets (ESME, GSME) are another campaign: this kind measures the PPMID route (SR 11.4).
    if (f.target !== 'PPMID')
      throw new RangeError(`ppmid-firmware-campaign measures PPMIDs, not ${f.target}`);
    // [A] The HAN link: each premise's loss share drawn around blockLossShare from the fleet seed (dcc.ts).
    const link = checkOtaLink({
      ...DEFAULT_OTA_LINK,
      blockSize: f.blockSize,
      blockRequestDelayMs: f.blockRequestDelayMs,
      radioKbps: f.radioKbps,
      blockLossShare: f.blockLossShare,
      blockResponseTimeoutMs: f.blockResponseTimeoutMs,
    });
    const startMs = Date.parse(scenario.startIso);
    // The premises without a PPMID take no part in an SR 11.4 campaign: only those with one are simulated.
    const premises = Math.round(
      (variant.fleet.premises ?? scenario.fleet.premises) * scenario.fleet.deviceMix.ppmid,
    );
    if (premises === 0)
      throw new RangeError('ppmid-firmware-campaign: the fleet has no PPMID (deviceMix.ppmid)');
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
      startMs,
      // [A] The CSP's fleet-wide capacity: cspConcurrentDeliveries images at once, each at cspDeliveryKbps.
      wanFirmwareKbps: f.cspDeliveryKbps,
      wanFirmwareConcurrency: f.cspConcurrentDeliveries,
      // The scenario's SM WAN, as no-wan-prepayment passes it: coverage drawn per premise from the fleet seed.
      wan: {
        coverageShares: {
          none: scenario.wan.coverage.none,
          intermittent: scenario.wan.coverage.intermittent,
        },
        outages: scenario.wan.outages.map((o) => ({ fromMs: startMs + o.fromMs, toMs: startMs + o.toMs })),
        holdLimitMs: scenario.wan.holdLimitHours * 3_600_000,
      },
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
    // A figure with nothing behind it is left out (the report shows —), never reported as 0.
    const transfer: Record<string, MetricValue> =
      sorted.length === 0
        ? {}
        : {
            transferMinutesP50: { value: percentile(sorted, 0.5), unit: 'minutes' },
            transferMinutesP95: { value: percentile(sorted, 0.95), unit: 'minutes' },
            transferMinutesMax: { value: sorted.at(-1)!, unit: 'minutes' },
          };
    const transferred = result.devices.filter((d) => d.transferMs !== null);
    const atHub = result.devices.flatMap((d) => (d.imageAtChMs === null ? [] : [d.imageAtChMs]));
    const dispatched = result.responseCodes.some((c) => !c.startsWith('E'));
    // Request → activation: image at the CH + HAN transfer + activation.
    const goodActivations = result.devices.flatMap((d) =>
      d.coverage === 'good' && d.activated && d.imageAtChMs !== null && d.transferMs !== null
        ? [d.imageAtChMs + d.transferMs + (d.activationMs ?? 0)]
        : [],
    );
    const extra: Record<string, MetricValue> = {
      ...(dispatched && {
        unreachable: { value: result.devices.filter((d) => d.unreachable).length, unit: 'devices' },
      }),
      intermittentCoverage: {
        value: result.devices.filter((d) => d.coverage === 'intermittent').length,
        unit: 'devices',
      },
      ...(goodActivations.length > 0 && {
        campaignHoursGoodCoverage: { value: Math.max(...goodActivations) / 3_600_000, unit: 'hours' },
      }),
      ...(atHub.length > 0 && {
        imageAtHubHoursMax: { value: Math.max(...atHub) / 3_600_000, unit: 'hours' },
      }),
      ...(transferred.length > 0 && {
        lostBlockRequestsMean: {
          value: transferred.reduce((n, d) => n + d.lostAttempts, 0) / transferred.length,
          unit: 'requests per PPMID',
        },
      }),
    };
    return {
      metrics: {
        ppmids: { value: premises, unit: 'devices' },
        requestsRefused: {
          value: result.responseCodes.filter((c) => c.startsWith('E')).length,
          unit: 'requests',
        },
        ...(result.campaignMs === null
          ? {}
          : { campaignHours: { value: result.campaignMs / 3_600_000, unit: 'hours' } }),
        ...(result.lastActivationMs === null
          ? {}
          : { lastActivationHours: { value: result.lastActivationMs / 3_600_000, unit: 'hours' } }),
        ...transfer,
        activationFailures: { value: result.activationFailures, unit: 'devices' },
        notActivated: { value: result.devices.filter((d) => !d.activated).length, unit: 'devices' },
        refusedByConsumer: { value: result.devices.filter((d) => d.refused).length, unit: 'devices' },
        ...extra,
      },
      series: {
        transferMinutes: { unit: 'minutes', values: minutes },
        imageAtHubMinutes: { unit: 'minutes', values: atHub.map((ms) => ms / 60_000) },
      },
      events: result.events,
    };
  },
};
