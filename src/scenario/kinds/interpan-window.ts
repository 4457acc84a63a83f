// Scenario kind 'interpan-window' (SECMP0037; issue 9 item 2): how long is each Communications Hub's Inter-PAN open,
// how many frames from an attacker in radio range does it hear and refuse, and how many PPMIDs posted to consumers
// pair locally — under today's 60-minute window and with the window lifted, with single- or dual-band hubs?
//
// The model, on the premises themselves (PremiseRunner, as test/premise/secmp0037.test.ts does; no DCC is needed):
// - Hubs drawn from the scenario's seed: a CHF and GPF, with an ESME, PPMID, IHD and HCALCS by the device mix; a hub
//   is dual-band with the fleet's dualBandShare (the variant may override it). Each is installed at the start (CH
//   power-up, CCS01 per device, joins): its first Inter-PAN window opens then.
// - Mains power cuts at seeded times (a Poisson process of fleet.powerCutsPerHubYear per hub), each switching the hub
//   off for POWER_CUT_MS and on again: the power-up reopens the window (policy.interPanWindowMinutes; null: never closes).
// - Attackers near a share of hubs (attackers.share), attackers.distanceM from the hub, sending a frame every
//   attackers.intervalSeconds (±50 %, seeded) for the whole run: beacon requests, CBKE with an untrusted certificate,
//   install codes without CBKE and malformed frames in equal measure (src/devices/attacker.ts). The hub hears them only
//   within its band's radio range (RADIO_RANGE_M: 40 m single-band, 120 m dual-band [A]).
// - Posted PPMIDs (fleet.postedPpmidShare of the PPMID premises): the PPMID is not installed with the hub; it arrives
//   at a seeded time in the run, is switched on and pairs over Inter-PAN acting as an HHT (src/devices/ppmid-pairing.ts),
//   retrying every 15 minutes until it is on the SMHAN.
// Everything is measured from the actors' own state at the end of the run and scaled to per-year figures by the
// simulated span (durationDays / 365): a hub's open time from the CHF's own account (interPanOpenMs), refused frames
// from the hub's refusal counters and the attacker's answers, pairing from the PPMIDs' state.
import { FleetKeyStore } from '../../crypto/fleet-keys.js';
import { protectionContext } from '../../crypto/message-protection.js';
import type { AttackerState } from '../../devices/attacker.js';
import { attackFramesSent } from '../../devices/attacker.js';
import type { PpmidState } from '../../devices/ppmid.js';
import { interPanOpenMs, interPanRefusals } from '../../hub/chf-interpan.js';
import type { ChfState } from '../../hub/chf-state.js';
import {
  buildAttacker,
  buildPostedPpmid,
  buildPremise,
  PREMISE_ACTORS,
  TEST_PARTIES,
  type BuiltPremise,
} from '../../premise/build.js';
import { installPremise } from '../../premise/commission.js';
import { PremiseRunner } from '../../premise/runner.js';
import type { Eui64 } from '../../codec/eui64.js';
import type { PolicyVariant, Scenario, ScenarioKind, VariantMeasurement } from '../model.js';
import {
  DAY_MS,
  HOUR_MS,
  metricIfAny,
  MINUTE_MS,
  percentile,
  poissonTimes,
  rounded,
  scenarioDurationMs,
  scenarioRunSeed,
  scenarioStartMs,
  scenarioStream,
  scenarioYears,
  variantFleet,
  variantPolicy,
} from './common.js';

/** [A] How long a mains power cut keeps the hub off (GB cuts average of the order of an hour). */
export const POWER_CUT_MS = HOUR_MS;
/** The first premise number of the generated hubs (their EUI-64s' middle octets). */
const FIRST_HUB_NUMBER = 0x10000000;

const METRIC_DOCS: Readonly<Record<string, string>> = Object.freeze({
  hubs: 'Communications Hubs simulated, hubs.',
  dualBandHubs: 'Of them, dual-band (2.4 GHz + 868 MHz) hubs, hubs.',
  powerCutsPerHubYear:
    'Mains power cuts the hubs had (seeded), per hub-year: the run’s count ÷ (hubs × simulated years of 365 days).',
  interPanOpenHoursPerHubYear:
    'Hours each hub’s Inter-PAN window was open, from the CHF’s own account, per hub-year (the installation power-up at the start of the run counts as one opening).',
  attackedHubs: 'Hubs with an attacker in the neighbourhood (in range or not), hubs.',
  attackerFramesSentPerHubYear: 'Frames the attackers sent, per hub-year of the whole fleet.',
  attackerFramesHeardPerHubYear:
    'Attacker frames the hubs heard (within their band’s radio range, while powered): the hub’s answers the attacker received plus the malformed frames the hub refused, per hub-year of the whole fleet.',
  refusedAttackerFramesPerHubYear:
    'Attacker frames the hubs refused (beacons while closed, failed CBKE, install codes not added, malformed frames), per hub-year of the whole fleet.',
  refusedAttackerFramesPerAttackedHubYear: 'The same per hub-year of the attacked hubs only.',
  postedPpmids: 'PPMIDs posted to consumers during the run, PPMIDs.',
  postedPpmidPairedShare:
    'Share of the posted PPMIDs on the SMHAN by the end of the run (SECMP0037’s benefit), 0..1.',
  postedPpmidPairingHoursMedian:
    'Median hours from switching a posted PPMID on to its joining the SMHAN, over those that paired; absent when none paired.',
});

interface Hub {
  readonly id: number;
  readonly built: BuiltPremise;
  readonly dualBand: boolean;
  readonly powerCuts: number;
  readonly attacker: Eui64 | undefined;
  readonly posted: { readonly eui: Eui64; readonly atMs: number } | undefined;
}

async function measure(
  scenario: Scenario,
  variant: PolicyVariant,
  progress: (done: number, total: number) => void,
): Promise<VariantMeasurement> {
  const fleet = variantFleet(scenario, variant);
  const policy = variantPolicy(variant);
  const startMs = scenarioStartMs(scenario);
  const durationMs = scenarioDurationMs(scenario);
  const endMs = startMs + durationMs;
  const years = scenarioYears(scenario);
  const runSeed = scenarioRunSeed(scenario.seed);
  const fleetSeed = `scenario/${scenario.seed}`;
  const { attackers } = scenario;
  if (!(attackers.intervalSeconds > 0))
    throw new RangeError(`attackers.intervalSeconds must be > 0, got ${attackers.intervalSeconds}`);

  const runner = new PremiseRunner({
    seed: runSeed,
    env: { protection: protectionContext(new FleetKeyStore(fleetSeed), TEST_PARTIES.acb!), policy },
    actors: PREMISE_ACTORS,
    startMs,
  });
  const hubs: Hub[] = [];
  let acbCounter = 1n;
  for (let i = 0; i < fleet.premises; i++) {
    // The draws of a hub, in a fixed order whatever the variant overrides, so every variant meets the same hubs.
    const s = scenarioStream(scenario, `hub/${i}`);
    const esme = s.float() < fleet.deviceMix.esme;
    const ppmid = s.float() < fleet.deviceMix.ppmid;
    const ihd = s.float() < fleet.deviceMix.ihd;
    const hcalcs = s.float() < fleet.deviceMix.hcalcs;
    const dualBand = s.float() < fleet.dualBandShare;
    const posted = ppmid && s.float() < fleet.postedPpmidShare;
    const postedAtMs = startMs + Math.floor(s.float() * durationMs);
    const attacked = s.float() < attackers.share;
    const cuts = poissonTimes(
      scenarioStream(scenario, `power-cuts/${i}`),
      fleet.powerCutsPerHubYear,
      durationMs,
    );

    const number = FIRST_HUB_NUMBER + i;
    const built = buildPremise(
      { esme, ppmid: ppmid && !posted, ihd, hcalcs, dualBand },
      { premise: number, fleetSeed },
    );
    const id = runner.addPremise(built.members);
    installPremise(runner, id, built, { acbCounter, userCounter: acbCounter, user: TEST_PARTIES.supplier! });
    acbCounter += BigInt(built.hanDevices.length);
    for (const t of cuts) {
      runner.inject(id, built.chf, { type: 'power', on: false }, t);
      runner.inject(id, built.chf, { type: 'power', on: true }, t + POWER_CUT_MS);
    }
    let postedPpmid: Hub['posted'];
    if (posted) {
      const p = buildPostedPpmid({ premise: number, fleetSeed });
      runner.addMember(id, p);
      runner.inject(id, p.eui, { type: 'power', on: true }, postedAtMs - startMs);
      postedPpmid = { eui: p.eui, atMs: postedAtMs };
    }
    let attacker: Eui64 | undefined;
    if (attacked) {
      const a = buildAttacker({
        premise: number,
        fleetSeed,
        distanceM: attackers.distanceM,
        intervalMs: attackers.intervalSeconds * 1000,
        untilMs: endMs,
        seed: runSeed,
      });
      runner.addMember(id, a);
      // After the installation's first minutes, so the hub is up when the first frame comes [A].
      runner.inject(id, a.eui, { type: 'power', on: true }, 10 * MINUTE_MS);
      attacker = a.eui;
    }
    hubs.push({ id, built, dualBand, powerCuts: cuts.length, attacker, posted: postedPpmid });
  }

  // One virtual day at a time, for the progress bar.
  for (let t = startMs; t < endMs;) {
    t = Math.min(endMs, t + DAY_MS);
    runner.kernel.run({ until: t });
    progress(t - startMs, durationMs);
    await new Promise((r) => setImmediate(r));
  }

  const openHours: number[] = [];
  const refusedPerHub: number[] = [];
  const heardPerHub: number[] = [];
  let sent = 0;
  const pairingHours: number[] = [];
  let posted = 0;
  let paired = 0;
  for (const h of hubs) {
    const chf = runner.actor<ChfState>(h.id, h.built.chf);
    openHours.push(interPanOpenMs(chf, endMs) / HOUR_MS);
    let refused = 0;
    let heard = 0;
    if (h.attacker !== undefined) {
      const a = runner.actor<AttackerState>(h.id, h.attacker);
      // Only attackers send malformed frames; the hub refuses those unanswered.
      const malformed = interPanRefusals(chf).malformed;
      refused = a.refusedAnswers + malformed;
      heard = a.answers + malformed;
      sent += attackFramesSent(a);
    }
    refusedPerHub.push(refused);
    heardPerHub.push(heard);
    if (h.posted !== undefined) {
      posted++;
      const p = runner.actor<PpmidState>(h.id, h.posted.eui);
      const at = p.pairing?.pairedAtMs ?? null;
      if (p.hanJoined && at !== null) {
        paired++;
        pairingHours.push((at - h.posted.atMs) / HOUR_MS);
      }
    }
  }
  const n = hubs.length;
  const attacked = hubs.filter((h) => h.attacker !== undefined).length;
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const perHubYear = (x: number, hubsCounted: number) =>
    hubsCounted === 0 ? 0 : rounded(x / (hubsCounted * years));
  const PER_HUB_YEAR = 'per hub-year';
  return {
    metrics: {
      hubs: { value: n, unit: 'hubs' },
      dualBandHubs: { value: hubs.filter((h) => h.dualBand).length, unit: 'hubs' },
      powerCutsPerHubYear: {
        value: perHubYear(sum(hubs.map((h) => h.powerCuts)), n),
        unit: 'power cuts per hub-year',
      },
      interPanOpenHoursPerHubYear: { value: perHubYear(sum(openHours), n), unit: 'hours per hub-year' },
      attackedHubs: { value: attacked, unit: 'hubs' },
      attackerFramesSentPerHubYear: { value: perHubYear(sent, n), unit: `frames ${PER_HUB_YEAR}` },
      attackerFramesHeardPerHubYear: {
        value: perHubYear(sum(heardPerHub), n),
        unit: `frames ${PER_HUB_YEAR}`,
      },
      refusedAttackerFramesPerHubYear: {
        value: perHubYear(sum(refusedPerHub), n),
        unit: `frames ${PER_HUB_YEAR}`,
      },
      refusedAttackerFramesPerAttackedHubYear: {
        value: perHubYear(sum(refusedPerHub), attacked),
        unit: `frames per attacked hub-year`,
      },
      postedPpmids: { value: posted, unit: 'PPMIDs' },
      postedPpmidPairedShare: { value: posted === 0 ? 0 : rounded(paired / posted), unit: 'share' },
      ...metricIfAny('postedPpmidPairingHoursMedian', percentile(pairingHours, 50), 'hours'),
    },
    series: {
      interPanOpenHoursPerHubYear: {
        unit: 'hours per hub-year',
        values: openHours.map((h) => rounded(h / years)),
      },
      refusedAttackerFramesPerHubYear: {
        unit: `frames ${PER_HUB_YEAR}`,
        values: refusedPerHub.map((x) => rounded(x / years)),
      },
      postedPpmidPairingHours: { unit: 'hours', values: pairingHours.map((h) => rounded(h)) },
    },
    events: runner.kernel.dispatched,
  };
}

export const interPanWindow: ScenarioKind = {
  name: 'interpan-window',
  question:
    'How many hours a year is each Communications Hub’s Inter-PAN open, how many attacker frames does it hear and refuse, and do posted PPMIDs pair locally, under the 60-minute window and with it lifted (SECMP0037), single- and dual-band?',
  metricDocs: METRIC_DOCS,
  measure,
};
