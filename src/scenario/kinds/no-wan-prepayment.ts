// Scenario kind 'no-wan-prepayment' (SECMP0038; issue 9 item 2): how many hours do prepayment customers, and those
// without good SM WAN coverage in particular, lose supply under the routes a supplier may use for their top-ups?
//
// The model, all through the twin in virtual time:
// - A fleet of premises is drawn from the scenario's seed (device mix, prepayment share). Each prepayment customer
//   with an electricity meter becomes a premise of a real DCC (src/dcc/dcc.ts): CHF, GPF, an ESME installed on
//   prepayment with an opening credit, a PPMID and IHD where the mix gives them. The household's demand is a seeded
//   domestic profile at the scenario's tariff; the meter's own prepayment engine runs its balance down.
// - Each premise's SM WAN coverage is drawn from scenario.wan.coverage and given to the CSP WAN model with the
//   scenario's outages and hold limit (src/routes/wan-model.ts).
// - Each customer buys a top-up every topUp.everyDays days at a seeded hour. The supplier sends it at once as SR 2.2
//   (CV1) signed DUIS to the DCC in-process (Dsp.submit: the call the HTTP server makes), so it passes the real
//   gateway checks (XML signature), the DSP pipeline, the ACB, the route chain, the CHF and the meter's own checks
//   (MAC, counter, UTRN). Responses are pushed back (Delivery, through an in-process receiver).
// - When the DCC answers E20 or E21, the supplier uses the variant's other routes: 'hht' — an installer visits after a
//   seeded exponential delay (hhtVisits.meanHoursToVisit) with the top-ups as CV2 local commands requested just
//   before the visit, power-cycles the hub, delivers them, and the supplier returns the collected responses with SR
//   8.13; 'ppmid-tunnel' — the DCC's route chain itself tries the PPMID's alternative channel whenever the WAN cannot
//   take the command, and the CH accepts it or not under the variant's ppmidTunnel rule. Without another route the
//   supplier retries over the DCC after SUPPLIER_RETRY_MS, up to SUPPLIER_MAX_ATTEMPTS sends.
// - The consumer takes emergency credit when the meter offers it and presses the restore button once the meter is
//   armed again (CONSUMER_RESTORE_DELAY_MS).
// Supply loss is read from each meter's own supply-loss account (src/prepayment/supply-loss.ts), split by
// supplyLossReport into no credit, no route (credit bought but not yet on the meter), awaiting restore and disabled.
import type { DuisId } from '../../codec/duis/common.js';
import { returnLocalCommandResponse, topUpDevice } from '../../codec/duis/bodies.js';
import { buildDuisRequest, type DuisRequestBody } from '../../codec/duis/request.js';
import { parseDuisResponse } from '../../codec/duis/response.js';
import { srvInfo, type CommandVariant, type Srv } from '../../codec/duis/srv.js';
import type { Eui64 } from '../../codec/eui64.js';
import { parseXml } from '../../codec/xml/parse.js';
import { serializeXml } from '../../codec/xml/serialize.js';
import { generateUtrn, UTRN_MAX_VALUE, type UtrnValueClass } from '../../crypto/utrn.js';
import { signDuis } from '../../crypto/xmldsig.js';
import { Dcc } from '../../dcc/dcc.js';
import type { DuisService } from '../../dcc/dsp.js';
import { FIRST_PREMISE_NUMBER, type FleetPremise } from '../../dcc/fleet.js';
import type { EsmeState } from '../../devices/esme-state.js';
import type { HhtState } from '../../devices/hht.js';
import { peekRouting } from '../../hub/routing.js';
import { supplyLossReport, type SupplyLossReason, type TopUpJourney } from '../../prepayment/supply-loss.js';
import { TEST_PARTIES, type Household, type OpeningAccount } from '../../premise/build.js';
import { scheduleHhtVisit } from '../../routes/hht.js';
import { DEFAULT_TUNNEL_CHANNEL, type TunnelChannel } from '../../routes/ppmid-tunnel.js';
import type { Coverage } from '../../routes/wan-model.js';
import { openStore } from '../../store/open.js';
import type { PolicyVariant, Scenario, ScenarioKind, VariantMeasurement } from '../model.js';
import {
  DAY_MS,
  HOUR_MS,
  metricIfAny,
  MINUTE_MS,
  percentile,
  rounded,
  ScenarioInputError,
  scenarioDurationMs,
  scenarioStartMs,
  scenarioStream,
  scenarioYears,
  variantFleet,
  variantPolicy,
} from './common.js';

/** Money in the ledger's unit, 10^-5 £. */
const POUND = 100_000;
const PENNY = 1_000;

/** [A] The opening account an installer leaves: one top-up's worth of credit, £5 emergency credit offered below £1. */
export const OPENING_EMERGENCY_CREDIT_POUNDS = 5;
export const EMERGENCY_CREDIT_THRESHOLD_POUNDS = 1;
export const LOW_CREDIT_THRESHOLD_POUNDS = 2;
/** [A] Customers buy between 08:00 and 22:00 (UTC), uniformly. */
export const PURCHASE_HOURS = Object.freeze({ from: 8, to: 22 });
/** [A] With no other route, the supplier sends a failed top-up again a day later, at most three sends in all. */
export const SUPPLIER_RETRY_MS = DAY_MS;
export const SUPPLIER_MAX_ATTEMPTS = 3;
/** [A] The supplier asks the DCC for the local commands this long before the installer arrives (well within 18 h). */
export const LOCAL_COMMAND_LEAD_MS = HOUR_MS;
/** [A] The supplier returns what the HHT collected (SR 8.13) this long after the visit began. */
export const VISIT_RETURN_MS = HOUR_MS;
/** [A] The consumer presses the restore button this long after the meter arms (and takes emergency credit when offered). */
export const CONSUMER_RESTORE_DELAY_MS = 10 * MINUTE_MS;
/** How often the kind looks at the meters for what the consumer sees (must not exceed the restore delay). */
const CONSUMER_LOOK_MS = CONSUMER_RESTORE_DELAY_MS;
/** [A] A PPMID's alternative channel (SECMP0038): src/routes/ppmid-tunnel.ts DEFAULT_TUNNEL_CHANNEL. */
export const PPMID_CHANNEL: TunnelChannel = DEFAULT_TUNNEL_CHANNEL;
/** Where the in-process receiver says the Users' pushes go (never dialled). */
const RECEIVER_URL = 'http://in-process.invalid/duis';
const SUPPLIER = TEST_PARTIES.supplier!;

const METRIC_DOCS: Readonly<Record<string, string>> = Object.freeze({
  customers:
    'Prepayment customers simulated (premises with an ESME on prepayment drawn from the fleet), customers.',
  noWanCustomers: 'Of them, customers whose premise has intermittent or no SM WAN coverage, customers.',
  supplyLossHoursPerCustomerYear:
    'Hours off supply per prepayment customer-year, read from the meters’ own supply-loss accounts; the run’s hours ÷ (customers × simulated years of 365 days).',
  supplyLossHoursPerNoWanCustomerYear:
    'The same for the customers without good SM WAN coverage (intermittent or none), hours per customer-year.',
  supplyLossHoursPerGoodWanCustomerYear:
    'The same for the customers with good SM WAN coverage, hours per customer-year.',
  supplyLossNoCreditHoursPerCustomerYear:
    'Supply loss without credit and no bought top-up on its way, hours per customer-year.',
  supplyLossNoRouteHoursPerCustomerYear:
    'Supply loss while a bought top-up had not yet reached the meter (supplyLossReport "no route"), hours per customer-year.',
  supplyLossAwaitingRestoreHoursPerCustomerYear:
    'Supply loss with credit back, waiting for the consumer to restore the armed supply, hours per customer-year.',
  topUpsBought: 'Top-ups the customers bought during the run, top-ups.',
  topUpsDelivered: 'Share of the bought top-ups the meter had accepted by the end of the run (0..1).',
  topUpsDeliveredNoWan: 'The same share for the customers without good SM WAN coverage (0..1).',
  topUpDeliveryHoursMedian:
    'Median hours from purchase to the meter accepting the top-up, over the delivered top-ups; absent when none was delivered.',
  topUpDeliveryHoursP95:
    '95th percentile (nearest rank) of the same, over the delivered top-ups (undelivered ones are in topUpsDelivered); absent when none was delivered.',
  hhtVisitsPerCustomerYear: 'Installer visits with an HHT per customer-year (HHT route only).',
  serviceRequests:
    'DUIS service requests the supplier sent to the DCC (SR 2.2 CV1 and CV2, SR 8.13), requests.',
});

interface Purchase {
  readonly customer: number;
  readonly index: number;
  readonly boughtAtMs: number;
  readonly utrn: string;
  readonly counter: bigint;
  appliedAtMs: number | null;
  /** Sends over the DCC (CV1). */
  attempts: number;
  /** Waiting for an installer's visit. */
  awaitingVisit: boolean;
}

interface Customer {
  /** The DCC's premise id (its place among the customers simulated). */
  readonly premise: number;
  /** Its index in the scenario's fleet: what its draws, identities and demand are keyed by. */
  readonly fleetPremise: number;
  readonly esme: Eui64;
  readonly coverage: Coverage;
  readonly ppmid: boolean;
  readonly purchases: Purchase[];
  /** A visit is arranged (its local commands not yet requested, or the visit under way). */
  visitPlanned: boolean;
  /** Visits arranged so far (each draws its own delay). */
  visitsPlanned: number;
  /** HHT responses already returned with SR 8.13. */
  returned: number;
  /** When the consumer will press the restore button (model time), if planned. */
  restorePressAtMs: number | null;
}

/** A prepayment customer of the fleet: who the fleet premise is. */
export interface DrawnCustomer {
  /** The premise's index in the scenario's fleet (0 .. fleet.premises - 1). */
  readonly fleetPremise: number;
  readonly ppmid: boolean;
  readonly ihd: boolean;
  readonly hcalcs: boolean;
  readonly coverage: Coverage;
}

/**
 * The fleet's prepayment customers with an electricity meter, in fleet order: each fleet premise's draws come from
 * its own stream, the same whatever the variant overrides (only which premises are customers may change).
 */
export function prepaymentCustomers(scenario: Scenario, variant: PolicyVariant): DrawnCustomer[] {
  const fleet = variantFleet(scenario, variant);
  const { good, intermittent } = scenario.wan.coverage;
  const out: DrawnCustomer[] = [];
  for (let i = 0; i < fleet.premises; i++) {
    const s = scenarioStream(scenario, `fleet/${i}`);
    const esme = s.float() < fleet.deviceMix.esme;
    const prepayment = s.float() < fleet.prepaymentShare;
    const ppmid = s.float() < fleet.deviceMix.ppmid;
    const ihd = s.float() < fleet.deviceMix.ihd;
    const hcalcs = s.float() < fleet.deviceMix.hcalcs;
    const u = s.float();
    const coverage: Coverage = u < good ? 'good' : u < good + intermittent ? 'intermittent' : 'none';
    if (esme && prepayment) out.push({ fleetPremise: i, ppmid, ihd, hcalcs, coverage });
  }
  return out;
}

/**
 * Hours from a failed delivery to the installer's visit: exponential with mean hhtVisits.meanHoursToVisit, drawn from
 * the stream of the customer's fleet premise, the purchase that failed and the customer's visit count (`visit`, from
 * 0), so a visit arranged again for the same purchase draws a new delay.
 */
export function hhtVisitDelayMs(
  scenario: Scenario,
  fleetPremise: number,
  purchase: number,
  visit: number,
): number {
  const mean = scenario.hhtVisits.meanHoursToVisit;
  if (mean === null) throw new RangeError('hhtVisits.meanHoursToVisit is null: no visits');
  const s = scenarioStream(scenario, `visit/${fleetPremise}/${purchase}/${visit}`);
  return Math.round(s.exponential(mean * HOUR_MS));
}

/** The household of every customer: the scenario's electricity demand and tariff, the meter on prepayment [A]. */
function householdOf(scenario: Scenario): Household {
  const e = scenario.consumption.electricity;
  const account: OpeningAccount = {
    openingCredit: Math.round(scenario.consumption.topUp.pounds * POUND),
    emergencyCreditLimit: OPENING_EMERGENCY_CREDIT_POUNDS * POUND,
    emergencyCreditThreshold: EMERGENCY_CREDIT_THRESHOLD_POUNDS * POUND,
    lowCreditThreshold: LOW_CREDIT_THRESHOLD_POUNDS * POUND,
  };
  return {
    electricity: {
      profile: { kind: 'domestic', fuel: 'electricity', annualKwh: e.annualKwh, seed: 0 },
      tariff: {
        unitPrice: Math.round(e.pencePerKwh * PENNY),
        standingChargePerDay: Math.round(e.standingPencePerDay * PENNY),
      },
      account,
    },
  };
}

/** Top-ups a customer can buy in a run: the UTRN counter's top-up number (bits 32 and up) runs 1 .. 1,022. */
export const MAX_TOP_UPS_PER_CUSTOMER = 1022;

/** The UTRN value of a top-up: whole pounds, else whole pence (GBCS 14 value classes); undefined if it is neither. */
function utrnValueOf(pounds: number): { value: number; valueClass: UtrnValueClass } | undefined {
  const pence = Math.round(pounds * 100);
  const v = Number.isInteger(pounds)
    ? { value: pounds, valueClass: 'pounds' as const }
    : { value: pence, valueClass: 'pence' as const };
  const wholePence = Math.abs(pounds * 100 - pence) < 1e-6;
  return wholePence && v.value > 0 && v.value <= UTRN_MAX_VALUE ? v : undefined;
}

/**
 * What in a scenario (as the schema accepts it) this kind cannot run, each problem naming its field; empty when it
 * can run. A top-up must be a UTRN value (whole pounds up to £8,191, else whole pence up to 8,191p), and a customer
 * must not buy more than MAX_TOP_UPS_PER_CUSTOMER top-ups in the run (at most ⌈⌈durationDays⌉ / everyDays⌉ whatever
 * the seed: the first on a day in [0, everyDays), then every everyDays days, each at least 08:00 into its day).
 */
export function checkScenario(scenario: Scenario): string[] {
  const problems: string[] = [];
  const { everyDays, pounds } = scenario.consumption.topUp;
  if (utrnValueOf(pounds) === undefined)
    problems.push(
      `consumption.topUp.pounds: £${pounds} is not a UTRN value (whole pounds up to ${UTRN_MAX_VALUE}, else whole pence up to ${UTRN_MAX_VALUE}p)`,
    );
  if (!(everyDays > 0)) problems.push(`consumption.topUp.everyDays: must be > 0, got ${everyDays}`);
  else if (!(scenario.durationDays > 0))
    problems.push(`durationDays: must be > 0, got ${scenario.durationDays}`);
  else {
    const most = Math.ceil(Math.ceil(scenario.durationDays) / everyDays);
    if (most > MAX_TOP_UPS_PER_CUSTOMER)
      problems.push(
        `consumption.topUp.everyDays and durationDays: a top-up every ${everyDays} days for ${scenario.durationDays} days is up to ${most} top-ups per customer, more than the ${MAX_TOP_UPS_PER_CUSTOMER} a UTRN counter can number`,
      );
  }
  return problems;
}

/** A small min-queue of the supplier's and installers' actions, ordered by (time, insertion). */
type Action =
  | { readonly kind: 'send'; readonly purchase: Purchase }
  | { readonly kind: 'prepare-visit'; readonly customer: Customer }
  | { readonly kind: 'return-visit'; readonly customer: Customer };

class ActionQueue {
  private items: { atMs: number; seq: number; action: Action }[] = [];
  private seq = 0;
  add(atMs: number, action: Action): void {
    this.items.push({ atMs, seq: this.seq++, action });
    this.items.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  }
  nextTime(): number | undefined {
    return this.items[0]?.atMs;
  }
  takeDue(atMs: number): Action[] {
    const due: Action[] = [];
    while (this.items.length > 0 && this.items[0]!.atMs <= atMs) due.push(this.items.shift()!.action);
    return due;
  }
}

const TOP_UP_NOTE = /top-up of \d+ accepted/;

async function measure(
  scenario: Scenario,
  variant: PolicyVariant,
  progress: (done: number, total: number) => void,
): Promise<VariantMeasurement> {
  const problems = checkScenario(scenario);
  if (problems.length > 0) throw new ScenarioInputError('no-wan-prepayment', problems);
  const startMs = scenarioStartMs(scenario);
  const durationMs = scenarioDurationMs(scenario);
  const endMs = startMs + durationMs;
  const years = scenarioYears(scenario);
  const routes = new Set(variant.routes.length === 0 ? ['wan'] : variant.routes);
  const policy = variantPolicy(variant);
  const fleetSeed = `scenario/${scenario.seed}`;

  const drawn = prepaymentCustomers(scenario, variant);
  const household = householdOf(scenario);
  const premiseOf = (i: number): FleetPremise => {
    const p = drawn[i]!;
    return {
      spec: { esme: true, ppmid: p.ppmid, ihd: p.ihd, hcalcs: p.hcalcs },
      household,
      // Its number in the fleet: its EUI-64s, keys and seeded demand are the same whatever premises run beside it.
      number: FIRST_PREMISE_NUMBER + p.fleetPremise,
    };
  };
  const coverage: Record<number, Coverage> = {};
  const drawIds: Record<number, number> = {};
  drawn.forEach((p, i) => {
    coverage[i] = p.coverage;
    drawIds[i] = p.fleetPremise;
  });
  const channels: Record<number, TunnelChannel> = {};
  if (routes.has('ppmid-tunnel')) drawn.forEach((p, i) => p.ppmid && (channels[i] = PPMID_CHANNEL));

  const pushes: string[] = [];
  const store = await openStore(':memory:');
  try {
    const dcc = await Dcc.open({
      store,
      fleetSeed,
      fleet: drawn.length,
      premiseOf,
      receiverUrl: RECEIVER_URL,
      policy,
      startMs,
      recordNotes: true,
      post: (_url, xml) => {
        pushes.push(xml);
        return Promise.resolve(200);
      },
      wan: {
        coverage,
        outages: scenario.wan.outages.map((o) => ({ fromMs: startMs + o.fromMs, toMs: startMs + o.toMs })),
        holdLimitMs: scenario.wan.holdLimitHours * HOUR_MS,
        drawIds,
      },
      ...(routes.has('ppmid-tunnel') && { ppmidChannels: channels }),
    });
    try {
      const runner = dcc.runner;
      const signer = dcc.credentials.signer(SUPPLIER);
      if (signer === undefined) throw new Error(`no XML signing key for the supplier ${SUPPLIER}`);

      // ---- the customers and what they buy ----
      const { everyDays, pounds } = scenario.consumption.topUp;
      const value = utrnValueOf(pounds)!; // checkScenario refused a top-up that is not a UTRN value
      const { keys, secrets } = runner.env.protection;
      const queue = new ActionQueue();
      const customers: Customer[] = drawn.map((p, i) => {
        const built = runner.premise(i).members.find((m) => m.kind === 'ESME')!;
        const c: Customer = {
          premise: i,
          fleetPremise: p.fleetPremise,
          esme: built.eui,
          coverage: p.coverage,
          ppmid: p.ppmid,
          purchases: [],
          visitPlanned: false,
          visitsPlanned: 0,
          returned: 0,
          restorePressAtMs: null,
        };
        const s = scenarioStream(scenario, `purchases/${p.fleetPremise}`);
        const phaseDays = s.float() * everyDays;
        const z = secrets.between(
          keys,
          { eui: SUPPLIER, usage: 'KA', prepayment: true },
          { eui: c.esme, usage: 'KA' },
        );
        for (let k = 0; ; k++) {
          const day = Math.floor(phaseDays + k * everyDays);
          const hour = PURCHASE_HOURS.from + s.float() * (PURCHASE_HOURS.to - PURCHASE_HOURS.from);
          const boughtAtMs = startMs + day * DAY_MS + Math.floor(hour * HOUR_MS);
          if (boughtAtMs >= endMs) break;
          if (k >= MAX_TOP_UPS_PER_CUSTOMER)
            // checkScenario refused such a scenario
            throw new RangeError(
              `more than ${MAX_TOP_UPS_PER_CUSTOMER} top-ups per meter: the UTRN counter bits run out`,
            );
          const counter = BigInt(k + 1) << 32n;
          const utrn = generateUtrn(z, { originator: SUPPLIER, device: c.esme, counter, ...value }).utrn;
          const purchase: Purchase = {
            customer: i,
            index: k,
            boughtAtMs,
            utrn,
            counter,
            appliedAtMs: null,
            attempts: 0,
            awaitingVisit: false,
          };
          c.purchases.push(purchase);
          queue.add(boughtAtMs, { kind: 'send', purchase });
        }
        return c;
      });

      // ---- the supplier's DUIS ----
      let counter = 1_000_000n;
      let serviceRequests = 0;
      let hhtVisits = 0;
      /** Requests by RequestID counter: which purchase, and whether a local command (CV2). */
      const requests = new Map<bigint, { purchase: Purchase; local: boolean }>();
      /** CV2 requests by the GBCS counter of their command, for SR 8.13. */
      const localByGbcsCounter = new Map<bigint, DuisId>();

      const submit = async (
        service: DuisService,
        cv: CommandVariant,
        srv: Srv,
        target: Eui64,
        body: DuisRequestBody,
      ): Promise<{ id: DuisId; code: string; xml: string }> => {
        const info = srvInfo(srv)!;
        const id: DuisId = { originator: SUPPLIER, target, counter: ++counter };
        const doc = buildDuisRequest({
          schemaVersion: '5.4',
          header: {
            requestId: id,
            commandVariant: cv,
            serviceReference: info.serviceReference,
            serviceReferenceVariant: info.srv,
          },
          body,
        });
        serviceRequests++;
        const outcome = await dcc.dsp.submit(service, serializeXml(signDuis(doc, signer)));
        if (outcome.kind !== 'response') return { id, code: `HTTP ${outcome.status}`, xml: '' };
        return { id, code: outcome.code, xml: outcome.xml };
      };

      const failed = (p: Purchase, now: number): void => {
        if (p.appliedAtMs !== null) return;
        const c = customers[p.customer]!;
        if (routes.has('hht') && scenario.hhtVisits.meanHoursToVisit !== null) {
          if (p.awaitingVisit) return;
          p.awaitingVisit = true;
          if (c.visitPlanned) return;
          c.visitPlanned = true;
          const visitAt = now + hhtVisitDelayMs(scenario, c.fleetPremise, p.index, c.visitsPlanned++);
          queue.add(Math.max(now, visitAt - LOCAL_COMMAND_LEAD_MS), { kind: 'prepare-visit', customer: c });
        } else if (p.attempts < SUPPLIER_MAX_ATTEMPTS)
          queue.add(now + SUPPLIER_RETRY_MS, { kind: 'send', purchase: p });
      };

      const send = async (p: Purchase, now: number): Promise<void> => {
        if (p.appliedAtMs !== null) return;
        p.attempts++;
        const c = customers[p.customer]!;
        const r = await submit('S', 1, '2.2', c.esme, topUpDevice.encode({ utrn: p.utrn }));
        requests.set(r.id.counter, { purchase: p, local: false });
        if (r.code !== 'I99') failed(p, now);
      };

      const prepareVisit = async (c: Customer, now: number): Promise<void> => {
        const due = c.purchases.filter((p) => p.awaitingVisit && p.appliedAtMs === null);
        if (due.length === 0) {
          c.visitPlanned = false;
          for (const p of c.purchases) p.awaitingVisit = false;
          return;
        }
        const commands: { bytes: Uint8Array; issuedAtMs: number }[] = [];
        for (const p of due) {
          const r = await submit('D', 2, '2.2', c.esme, topUpDevice.encode({ utrn: p.utrn }));
          requests.set(r.id.counter, { purchase: p, local: true });
          const res = r.code === 'I0' ? parseDuisResponse(parseXml(r.xml)) : undefined;
          const payload = res?.body?.kind === 'ResponseMessage' ? res.body.payload : null;
          if (payload?.kind !== 'LocalCommand') continue;
          commands.push({ bytes: payload.gbcsPayload, issuedAtMs: now });
          const routing = peekRouting(payload.gbcsPayload);
          if (routing !== undefined) localByGbcsCounter.set(routing.originatorCounter, r.id);
        }
        const atMs = now + LOCAL_COMMAND_LEAD_MS;
        hhtVisits++;
        scheduleHhtVisit(dcc.field, {
          premise: c.premise,
          premiseNumber: FIRST_PREMISE_NUMBER + c.fleetPremise,
          fleetSeed,
          atMs,
          commands,
        });
        queue.add(atMs + VISIT_RETURN_MS, { kind: 'return-visit', customer: c });
      };

      const returnVisit = async (c: Customer, now: number): Promise<void> => {
        const hht = dcc.field.memberOf(c.premise, 'HHT');
        const collected = hht === undefined ? [] : runner.actor<HhtState>(c.premise, hht).collected;
        for (const response of collected.slice(c.returned)) {
          const routing = peekRouting(response);
          const original =
            routing === undefined ? undefined : localByGbcsCounter.get(routing.originatorCounter);
          if (original === undefined) continue;
          await submit(
            'D',
            8,
            '8.13',
            dcc.config.dsp,
            returnLocalCommandResponse.encode({ originalRequestId: original, deviceGbcsResponse: response }),
          );
        }
        c.returned = collected.length;
        c.visitPlanned = false;
        // What the visit did not deliver waits for the next failure handling: send it again (and so plan another visit).
        for (const p of c.purchases)
          if (p.awaitingVisit) {
            p.awaitingVisit = false;
            if (p.appliedAtMs === null) failed(p, now);
          }
      };

      /** The DCC's answers pushed since last time: E20 / E21 end a send; I0 needs nothing (the meter's note says). */
      const readPushes = (now: number): void => {
        for (const xml of pushes.splice(0)) {
          const res = parseDuisResponse(parseXml(xml));
          const id = res.header.requestId;
          if (id === undefined) continue;
          const r = requests.get(id.counter);
          if (r === undefined || r.local) continue;
          const code = res.header.responseCode;
          if (code === 'I0') requests.delete(id.counter);
          else if (code.startsWith('E')) {
            requests.delete(id.counter);
            failed(r.purchase, now);
          }
        }
      };

      /** What the meters did since last look: top-ups accepted (from their notes and UTRN caches); the consumer acts. */
      const look = (now: number): void => {
        const acceptedAt = new Map<number, number[]>();
        for (const n of runner.notes.splice(0))
          if (TOP_UP_NOTE.test(n.text))
            acceptedAt.set(n.premise, [...(acceptedAt.get(n.premise) ?? []), n.atMs]);
        for (const [premise, times] of acceptedAt) {
          const c = customers[premise]!;
          const esme = runner.actor<EsmeState>(premise, c.esme);
          const fresh = esme.prepayment.utrnCounters
            .map((k) => c.purchases[Number(k >> 32n) - 1])
            .filter((p): p is Purchase => p !== undefined && p.appliedAtMs === null);
          times.sort((a, b) => a - b);
          fresh.forEach((p, j) => (p.appliedAtMs = times[j] ?? now));
        }
        for (const c of customers) {
          const esme = runner.actor<EsmeState>(c.premise, c.esme);
          if (c.restorePressAtMs !== null && c.restorePressAtMs <= now) c.restorePressAtMs = null;
          if (esme.supply === 'armed' && c.restorePressAtMs === null) {
            const since = esme.supplyLoss.current?.sinceMs ?? now;
            const at = Math.max(now, since + CONSUMER_RESTORE_DELAY_MS);
            c.restorePressAtMs = at;
            runner.inject(c.premise, c.esme, { type: 'local', action: { kind: 'restore-supply' } }, at - now);
          }
          const p = esme.prepayment;
          const l = p.ledger;
          if (
            p.emergencyCreditLimit > 0 &&
            !l.emergencyCreditActive &&
            l.meterBalance <= p.emergencyCreditThreshold
          )
            runner.inject(c.premise, c.esme, {
              type: 'local',
              action: { kind: 'activate-emergency-credit' },
            });
        }
      };

      // ---- the run ----
      let nextLook = startMs + CONSUMER_LOOK_MS;
      let reported = startMs;
      for (;;) {
        const t = Math.min(queue.nextTime() ?? Infinity, nextLook, endMs);
        await dcc.advance(t - runner.kernel.now);
        readPushes(t);
        if (t === nextLook) {
          look(t);
          nextLook += CONSUMER_LOOK_MS;
        }
        if (t >= endMs) break;
        for (const action of queue.takeDue(t)) {
          if (action.kind === 'send') await send(action.purchase, t);
          else if (action.kind === 'prepare-visit') await prepareVisit(action.customer, t);
          else await returnVisit(action.customer, t);
        }
        await dcc.settle();
        readPushes(t);
        if (t - reported >= HOUR_MS) {
          reported = t;
          progress(t - startMs, durationMs);
        }
      }
      look(endMs);
      progress(durationMs, durationMs);

      // ---- the measurement ----
      const lossHours: number[] = [];
      const byReason: Record<SupplyLossReason, number> = {
        'no-credit': 0,
        'no-route': 0,
        'awaiting-restore': 0,
        'disabled-remotely': 0,
      };
      let noWanHours = 0;
      let goodHours = 0;
      for (const c of customers) {
        const esme = runner.actor<EsmeState>(c.premise, c.esme);
        const journeys: TopUpJourney[] = c.purchases.map((p) => ({
          boughtAtMs: p.boughtAtMs,
          appliedAtMs: p.appliedAtMs,
        }));
        const report = supplyLossReport([esme.supplyLoss], journeys, endMs);
        const hours = report.totalMinutes / 60;
        lossHours.push(hours);
        for (const [k, v] of Object.entries(report.minutes)) byReason[k as SupplyLossReason] += v / 60;
        if (c.coverage === 'good') goodHours += hours;
        else noWanHours += hours;
      }
      const events = runner.kernel.dispatched;

      const all = customers.flatMap((c) => c.purchases);
      const noWanPurchases = customers.filter((c) => c.coverage !== 'good').flatMap((c) => c.purchases);
      const delivered = all.filter((p) => p.appliedAtMs !== null);
      const deliveryHours = delivered.map((p) => (p.appliedAtMs! - p.boughtAtMs) / HOUR_MS);
      const noWan = customers.filter((c) => c.coverage !== 'good').length;
      const good = customers.length - noWan;
      const perCustomerYear = (hours: number, n: number) => (n === 0 ? 0 : rounded(hours / (n * years)));
      const share = (list: readonly Purchase[]) =>
        list.length === 0 ? 0 : rounded(list.filter((p) => p.appliedAtMs !== null).length / list.length);
      const total = lossHours.reduce((a, b) => a + b, 0);
      const H = 'hours per customer-year';
      return {
        metrics: {
          customers: { value: customers.length, unit: 'customers' },
          noWanCustomers: { value: noWan, unit: 'customers' },
          supplyLossHoursPerCustomerYear: { value: perCustomerYear(total, customers.length), unit: H },
          supplyLossHoursPerNoWanCustomerYear: { value: perCustomerYear(noWanHours, noWan), unit: H },
          supplyLossHoursPerGoodWanCustomerYear: { value: perCustomerYear(goodHours, good), unit: H },
          supplyLossNoCreditHoursPerCustomerYear: {
            value: perCustomerYear(byReason['no-credit'], customers.length),
            unit: H,
          },
          supplyLossNoRouteHoursPerCustomerYear: {
            value: perCustomerYear(byReason['no-route'], customers.length),
            unit: H,
          },
          supplyLossAwaitingRestoreHoursPerCustomerYear: {
            value: perCustomerYear(byReason['awaiting-restore'], customers.length),
            unit: H,
          },
          topUpsBought: { value: all.length, unit: 'top-ups' },
          topUpsDelivered: { value: share(all), unit: 'share' },
          topUpsDeliveredNoWan: { value: share(noWanPurchases), unit: 'share' },
          ...metricIfAny('topUpDeliveryHoursMedian', percentile(deliveryHours, 50), 'hours'),
          ...metricIfAny('topUpDeliveryHoursP95', percentile(deliveryHours, 95), 'hours'),
          hhtVisitsPerCustomerYear: {
            value: perCustomerYear(hhtVisits, customers.length),
            unit: 'visits per customer-year',
          },
          serviceRequests: { value: serviceRequests, unit: 'requests' },
        },
        series: {
          supplyLossHoursPerCustomerYear: { unit: H, values: lossHours.map((h) => rounded(h / years)) },
          topUpDeliveryHours: { unit: 'hours', values: deliveryHours.map((h) => rounded(h)) },
        },
        events,
      };
    } finally {
      // Whatever happened, nothing stays open: the DCC's gateway and clock, then the store.
      await dcc.close();
    }
  } finally {
    await store.close();
  }
}

export const noWanPrepayment: ScenarioKind = {
  name: 'no-wan-prepayment',
  question:
    'How many hours a year do prepayment customers, and those without good SM WAN coverage, lose supply when their top-ups can travel by the WAN only, with HHT visits, or through the PPMID tunnel (SECMP0038)?',
  metricDocs: METRIC_DOCS,
  measure,
};
