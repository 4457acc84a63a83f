// The scenario contract (issue 9): what a scenario file says, once parsed and defaulted, and what a scenario kind
// returns for each policy variant it compares. The file format (YAML or JSON), its zod schema and the published JSON
// schema live in schema.ts; the runner (run.ts) calls the kind's `measure` once per variant and writes results.json,
// CSV and report.html. A kind measures with the twin itself (premises on the kernel, the DCC where the question
// needs it), in virtual time, deterministically for the scenario's seed: no wall clock, no unseeded randomness.
import type { Policy } from '../policy.js';
import type { Coverage, Outage } from '../routes/wan-model.js';

/** The questions the shipped scenarios answer (one per seed question, issue 9 item 2). */
export type ScenarioKindName =
  'no-wan-prepayment' | 'interpan-window' | 'ppmid-firmware-campaign' | 'triage-reuse';

/** Which devices a premise has, and how many premises. Shares are 0..1 of the premises, drawn from the seed. */
export interface FleetSpec {
  readonly premises: number;
  /** Share of premises with each device (the CH is always there). */
  readonly deviceMix: {
    readonly esme: number;
    readonly gsme: number;
    readonly ppmid: number;
    readonly ihd: number;
    readonly hcalcs: number;
  };
  /** Share of the metered premises on prepayment. */
  readonly prepaymentShare: number;
  /** Share of hubs that are dual-band (2.4 GHz + 868 MHz). */
  readonly dualBandShare: number;
  /** Mains power cuts per hub-year (each one power-cycles the hub and reopens its Inter-PAN window) [A]. */
  readonly powerCutsPerHubYear: number;
  /** Share of PPMID premises whose PPMID arrives by post and is paired by the consumer (SECMP0037). */
  readonly postedPpmidShare: number;
}

/** The CSP WAN (src/routes/wan-model.ts): coverage shares, outages; latency and holding as the model's defaults. */
export interface WanSpec {
  /** Shares of premises by coverage; they sum to 1. */
  readonly coverage: Readonly<Record<Coverage, number>>;
  /** Fleet-wide outages, ms from the scenario's start. */
  readonly outages: readonly Outage[];
  /** Longest the CSP holds a message for a premise it cannot reach, hours. */
  readonly holdLimitHours: number;
}

/** What each household consumes and pays. */
export interface ConsumptionSpec {
  readonly electricity: {
    readonly annualKwh: number;
    readonly pencePerKwh: number;
    readonly standingPencePerDay: number;
  };
  readonly gas: {
    readonly annualKwh: number;
    readonly pencePerKwh: number;
    readonly standingPencePerDay: number;
  };
  /** How a prepayment customer tops up: every `everyDays` days, `pounds` each time, bought at a seeded hour. */
  readonly topUp: { readonly everyDays: number; readonly pounds: number };
}

/** Installer visits with an HHT (the HHT route): how long after a premise is found unreachable one comes. */
export interface HhtVisitSpec {
  /** Mean hours from the first failed delivery to the visit (exponential, seeded); null: no visits. */
  readonly meanHoursToVisit: number | null;
}

/** Hostile radios near hubs (SECMP0037). */
export interface AttackerSpec {
  /** Share of hubs with an attacker in the neighbourhood. */
  readonly share: number;
  /** Distance from the hub, metres. */
  readonly distanceM: number;
  /** Seconds between the attacker's frames. */
  readonly intervalSeconds: number;
}

/** A firmware campaign (SECMP0007): an image of `imageKb` kB to the fleet's PPMIDs (SR 11.4) or meters (SR 11.1). */
export interface FirmwareCampaignSpec {
  readonly target: 'PPMID' | 'ESME' | 'GSME';
  readonly imageKb: number;
  /** ZigBee OTA block size (octets per Image Block Response), request delay (ms) and radio rate (kbit/s). */
  readonly blockSize: number;
  readonly blockRequestDelayMs: number;
  readonly radioKbps: number;
  /**
   * Share of consumers who would refuse the update if offered the choice (SECMP0007's open question); they refuse
   * only under a policy with `firmwareConsumerRefusal: 'allowed'`. Drawn per PPMID from the seed.
   */
  readonly consumerRefusalShare: number;
  /** Rate at which the CSP delivers the image to one CH, kbit/s (CS05) [A]. */
  readonly cspDeliveryKbps: number;
  /** Most images the CSP delivers at once, fleet-wide (FIFO by request, then DeviceIDList order) [A]. */
  readonly cspConcurrentDeliveries: number;
  /**
   * Mean share of Image Block Responses lost on a premise's HAN; each premise's own share is drawn from the seed,
   * uniformly in [0, 2 × this]; 0: loss-free links [A].
   */
  readonly blockLossShare: number;
  /** ms a client waits for an Image Block Response before it asks for the block again [A]. */
  readonly blockResponseTimeoutMs: number;
}

/** Returned devices (SECMP0010/0013): how many come back and why. */
export interface ReturnsSpec {
  /** Share of returned devices with a real fault (the rest no-fault returns). */
  readonly faultShare: number;
  /** How many devices come back in a run, each from its own premise (triage-reuse). */
  readonly devices: number;
  /** Share of the returned devices that are meters (ESME); the rest are Communications Hubs. */
  readonly meterShare: number;
}

/** One policy to compare: the seeds' rules (src/policy.ts) and what else differs between the options. */
export interface PolicyVariant {
  readonly name: string;
  /** The rules changed from today's (DEFAULT_POLICY). */
  readonly policy: Partial<Policy>;
  /** Routes a supplier may use when the SM WAN cannot deliver (no-WAN prepayment); default ['wan']. */
  readonly routes: readonly ('wan' | 'hht' | 'ppmid-tunnel')[];
  /** Fleet fields that differ for this variant (e.g. dualBandShare). */
  readonly fleet: Partial<Omit<FleetSpec, 'deviceMix'>>;
}

/** A scenario once parsed, checked and defaulted (schema.ts). Every part is present; kinds ignore what they do not use. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly kind: ScenarioKindName;
  readonly seed: string;
  /** Virtual days simulated from `startIso` (UTC). */
  readonly durationDays: number;
  readonly startIso: string;
  readonly fleet: FleetSpec;
  readonly wan: WanSpec;
  readonly consumption: ConsumptionSpec;
  readonly hhtVisits: HhtVisitSpec;
  readonly attackers: AttackerSpec;
  readonly firmware: FirmwareCampaignSpec;
  readonly returns: ReturnsSpec;
  readonly policies: readonly PolicyVariant[];
}

/** A metric's value and how to read it (the report's tables and charts, the README's metric list). */
export interface MetricValue {
  readonly value: number;
  /** e.g. 'hours per customer-year', 'share', 'hours'. */
  readonly unit: string;
}

/** What a kind measured for one variant: named metrics, plus optional per-item series for the report's charts. */
export interface VariantMeasurement {
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Distributions a chart can draw (e.g. transfer minutes per device); each is a list of numbers. */
  readonly series?: Readonly<Record<string, { readonly unit: string; readonly values: readonly number[] }>>;
  /** Events simulated (for the run summary). */
  readonly events: number;
}

/** Progress of one variant's run, for the progress bar: `done` of `total` (units the kind chooses). */
export type ProgressSink = (done: number, total: number) => void;

/** A scenario kind: measures one variant of a scenario. Pure in its inputs: same scenario and variant, same result. */
export interface ScenarioKind {
  readonly name: ScenarioKindName;
  /** One line: the question it answers, for the report. */
  readonly question: string;
  /** The metric names it reports, with one line each (README and report). */
  readonly metricDocs: Readonly<Record<string, string>>;
  measure(scenario: Scenario, variant: PolicyVariant, progress: ProgressSink): Promise<VariantMeasurement>;
}
