// Scenario kind 'triage-reuse' (SECMP0010 / SECMP0013): how many returned Communications Hubs and meters can be used
// again under a policy. A DCC (in process, in virtual time) with one commissioned premise per returned device; each
// device comes back — a meter by 8.3 and 8.11 Remove, a CH by 8.14.3 (fault) or 8.14.4 (no fault), drawn with
// `returns.faultShare` from the scenario's seed — and goes to triage under the variant's policy. A return the DCC
// refuses leaves the device in service at its premise: it is counted apart (return-failed), not triaged and not
// charged. A device is reusable when its reset succeeded and it then joined a QA premise (its install code, 8.11 / the
// CH's 8.14.1), was commissioned and answered a read there; a reset meter is then removed from the QA premise again
// (8.3, 8.11 Remove), a reset CH stays installed at its own. Under today's rule (policy.triage 'none') nothing is triaged: a returned
// CH goes back to the CSP (a no-fault-found fee, or its unrecoverable-device charge) and a returned meter is not
// reused by the supplier; the metrics say so rather than inventing a reuse.
import { createHash } from 'node:crypto';
import type { Eui64 } from '../../codec/eui64.js';
import { DEFAULT_DSP_CONFIG } from '../../dcc/config.js';
import { Dcc, testCredentials } from '../../dcc/dcc.js';
import { policyWith } from '../../policy.js';
import { premiseEui } from '../../premise/identities.js';
import { FIRST_PREMISE_NUMBER } from '../../dcc/fleet.js';
import { TEST_PARTIES } from '../../premise/build.js';
import { streamFor } from '../../sim/random.js';
import { openStore } from '../../store/open.js';
import { DuisClient, PushInbox } from '../../triage/duis-client.js';
import { installAtQa, removeFromQa, returnCh, returnMeter } from '../../triage/flows.js';
import { addQaPremise, QA_SUPPLIER, QA_USERS, registerQaUsers } from '../../triage/qa.js';
import { triage } from '../../triage/service.js';
import type { DeviceCore } from '../../devices/device.js';
import type { MetricValue, PolicyVariant, Scenario, ScenarioKind, VariantMeasurement } from '../model.js';

/**
 * CH return charges the supplier pays the CSP, GBP [C: domain brief §5 — no-fault-found fee £7.43 (2021); unrecoverable
 * single-band £30.87, dual-band £58.75 (DP238, 2023)]. A CH reset by triage and reused costs no CSP charge; the
 * triage's own labour is not in our sources and not costed [A]. Meters: no charge in our sources, not costed.
 */
export const CH_RETURN_CHARGES_GBP = Object.freeze({
  noFaultFound: 7.43,
  unrecoverableSingleBand: 30.87,
  unrecoverableDualBand: 58.75,
});

/** What became of one returned device. */
export type TriageOutcome =
  | 'reused'
  | 'reset-not-reusable'
  | 'fault-found'
  | 'not-triaged-returned-to-csp'
  | 'not-triaged-not-reused'
  | 'refused'
  /** The DCC refused the return itself (8.3 / 8.11 Remove, 8.14.3 / 8.14.4): the device is still in service. */
  | 'return-failed';

const OUTCOMES: readonly TriageOutcome[] = [
  'reused',
  'reset-not-reusable',
  'fault-found',
  'not-triaged-returned-to-csp',
  'not-triaged-not-reused',
  'refused',
  'return-failed',
];

function runSeed(seed: string): number {
  return createHash('sha256').update(`triage-reuse\0${seed}`).digest().readUInt32BE(0);
}

/** One returned device as drawn: a meter or a CH, with a real fault or not, dual-band (a CH's charge) or not. */
export interface DrawnReturn {
  readonly meter: boolean;
  readonly fault: boolean;
  readonly dualBand: boolean;
}

/**
 * The returns a variant runs, one per premise of the fleet (so `--premises` shrinks a run), drawn from the scenario's
 * seed: the same draws for every variant, which differ only in what happens to the same returns.
 */
export function drawReturns(scenario: Scenario, variant: PolicyVariant): DrawnReturn[] {
  const n = Math.min(scenario.returns.devices, variant.fleet.premises ?? scenario.fleet.premises);
  const meterShare = scenario.returns.meterShare;
  const dualBandShare = variant.fleet.dualBandShare ?? scenario.fleet.dualBandShare;
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw new RangeError(`returns.devices must be a whole number from 1 to 500, got ${n}`);
  const random = streamFor(runSeed(scenario.seed), 'returns');
  return Array.from({ length: n }, () => ({
    meter: random.float() < meterShare,
    fault: random.float() < scenario.returns.faultShare,
    dualBand: random.float() < dualBandShare,
  }));
}

/**
 * The CSP return charge of one returned device with `outcome` [C]: a CH not reused goes to the CSP (its no-fault-found
 * fee, or the unrecoverable-device charge for a fault; one the triage found faulty is unrecoverable); a reused CH, a
 * CH whose return the DCC refused (still in service) and any meter cost none.
 */
export function chReturnChargeGbp(r: DrawnReturn, outcome: TriageOutcome): number {
  if (r.meter) return 0;
  const unrecoverable = r.dualBand
    ? CH_RETURN_CHARGES_GBP.unrecoverableDualBand
    : CH_RETURN_CHARGES_GBP.unrecoverableSingleBand;
  switch (outcome) {
    case 'not-triaged-returned-to-csp':
    case 'refused':
    case 'reset-not-reusable':
      return r.fault ? unrecoverable : CH_RETURN_CHARGES_GBP.noFaultFound;
    case 'fault-found':
      return unrecoverable;
    default:
      return 0;
  }
}

async function measure(
  scenario: Scenario,
  variant: PolicyVariant,
  progress: (done: number, total: number) => void,
): Promise<VariantMeasurement> {
  const policy = policyWith(variant.policy);
  const returns = drawReturns(scenario, variant);
  const n = returns.length;
  const inbox = new PushInbox();
  const store = await openStore(':memory:');
  const dcc = await Dcc.open({
    store,
    fleet: n,
    commissioned: n,
    fleetSeed: scenario.seed,
    policy,
    startMs: Date.parse(scenario.startIso),
    receiverUrl: 'http://receiver.invalid/duis',
    post: inbox.post,
    xmlCredentials: testCredentials(
      scenario.seed,
      DEFAULT_DSP_CONFIG.dsp,
      QA_USERS.map((u) => u.eui),
    ),
  });
  try {
    await registerQaUsers(dcc, 'http://receiver.invalid/duis');
    const supplier = new DuisClient(dcc, TEST_PARTIES.supplier!, 1_000_000n, inbox);
    const qaSupplier = new DuisClient(dcc, QA_SUPPLIER, 1_000_000n, inbox);
    const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<TriageOutcome, number>;
    let chs = 0;
    let chCharges = 0;
    let qaIndex = 0;
    for (const [i, r] of returns.entries()) {
      const number = FIRST_PREMISE_NUMBER + i;
      const chf = premiseEui(number, 'CHF');
      const gpf = premiseEui(number, 'GPF');
      const esme = premiseEui(number, 'ESME');
      const device: Eui64 = r.meter ? esme : chf;
      const back = r.meter
        ? await returnMeter(dcc, supplier, i, chf, esme)
        : await returnCh(dcc, supplier, i, { chf, gpf }, r.fault, esme);
      const inHand: DeviceCore[] | undefined = !back.ok
        ? undefined
        : 'state' in back
          ? [back.state]
          : back.states;
      if (!r.meter && inHand !== undefined) chs++;
      const result =
        inHand === undefined
          ? undefined
          : await triage(
              dcc.store,
              { user: supplier.user, deviceId: device, faultFound: r.fault },
              inHand,
              dcc.field.now(),
              { policy, acb: dcc.config.acb },
            );
      let outcome: TriageOutcome;
      if (result === undefined) outcome = 'return-failed';
      else if (!result.ok) {
        outcome =
          result.code === 'triage-not-allowed'
            ? r.meter
              ? 'not-triaged-not-reused'
              : 'not-triaged-returned-to-csp'
            : result.code === 'fault-found'
              ? 'fault-found'
              : 'refused';
      } else {
        const index = qaIndex++;
        const qa = await addQaPremise(dcc, {
          index,
          fleetSeed: scenario.seed,
          ...(r.meter
            ? { meter: result.devices[0]! }
            : { ch: { chf: result.devices[0]!, gpf: result.devices[1]! } }),
        });
        const installed = await installAtQa(dcc, qaSupplier, qa);
        outcome = installed.ok ? 'reused' : 'reset-not-reusable';
        // A reset meter is removed from the QA premise again (8.3, 8.11 Remove) and carried away; a reset CH stays
        // installed there with its new QA ESME. Either way the next device gets a QA premise of its own (index).
        if (r.meter) await removeFromQa(dcc, qaSupplier, qa);
      }
      counts[outcome]++;
      chCharges += chReturnChargeGbp(r, outcome);
      progress(i + 1, n);
    }
    const share = (k: number): MetricValue => ({ value: n === 0 ? 0 : k / n, unit: 'share' });
    const count = (k: number): MetricValue => ({ value: k, unit: 'devices' });
    const metrics: Record<string, MetricValue> = {
      returned: count(n),
      faultReturns: count(returns.filter((r) => r.fault).length),
      reusableShare: share(counts.reused),
      reused: count(counts.reused),
      resetNotReusable: count(counts['reset-not-reusable']),
      faultFound: count(counts['fault-found']),
      notTriagedReturnedToCsp: count(counts['not-triaged-returned-to-csp']),
      notTriagedNotReused: count(counts['not-triaged-not-reused']),
      refused: count(counts.refused),
      returnFailed: count(counts['return-failed']),
      chChargesPerReturnedChGbp: { value: chs === 0 ? 0 : chCharges / chs, unit: 'GBP per returned CH' },
    };
    return { metrics, events: dcc.runner.kernel.dispatched };
  } finally {
    await dcc.close();
    await store.close();
  }
}

export const triageReuse: ScenarioKind = {
  name: 'triage-reuse',
  question:
    'What share of returned Communications Hubs and meters can be triaged, reset and used again (SECMP0010/0013)?',
  metricDocs: {
    returned:
      'devices returned in the run (returns.devices, at most fleet.premises), each from its own commissioned premise',
    faultReturns: 'returned devices with a real fault (drawn with returns.faultShare)',
    reusableShare:
      'share of returned devices reset by triage that then joined a QA premise by install code, were commissioned and answered a read',
    reused: 'devices reusable, as counted in reusableShare',
    resetNotReusable: 'devices reset but failing the QA installation (join, commissioning or read)',
    faultFound:
      'devices the triage found faulty: not reset, back to the CSP (CH) or the manufacturer (meter)',
    notTriagedReturnedToCsp: "CHs not triaged (policy triage 'none', today's rule): back to the CSP",
    notTriagedNotReused: "meters not triaged (policy triage 'none'): not reused by the supplier",
    refused: 'triages refused for another reason (role not eligible, not registered, …)',
    returnFailed:
      'devices whose return the DCC refused (8.3 or 8.11 Remove for a meter, 8.14.3 / 8.14.4 for a CH): still in service at their premise, not triaged, no CSP charge',
    chChargesPerReturnedChGbp:
      'CSP return charges per returned CH (one whose return the DCC accepted) [C: £7.43 no-fault-found, £30.87 / £58.75 unrecoverable single / dual band]; a reused CH costs none (triage labour not costed [A])',
  },
  measure,
};
