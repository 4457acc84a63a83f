// Scenario files (issue 9, item 1): YAML (`.yaml`, `.yml`) or JSON (`.json`), checked by one zod schema whose output is
// model.ts's `Scenario` with every part present. A file says only what it changes: each part (fleet, wan, consumption,
// hhtVisits, attackers, firmware, returns) and each field inside it has a documented default below; `name`, `kind`,
// `seed`, `durationDays` and `policies` are required. Unknown fields are refused everywhere (a misspelt field must not
// silently fall back to its default), and each variant's `policy` is checked as src/policy-file.ts checks a policy
// file. A bad file is one ScenarioError listing every problem with its path (`policies[1].policy.ppmidTunnel`) and, as
// the file was written, its line and column. The published JSON schema (scenarios/scenario.schema.json) is generated
// from the same schema (json-schema.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import type { Policy } from '../policy.js';
import {
  MAX_HHT_COMMAND_VALIDITY_HOURS,
  MAX_INTER_PAN_WINDOW_MINUTES,
  FIRMWARE_CONSUMER_REFUSAL,
  MAX_FIRMWARE_IMAGE_KB,
  PolicyError,
  TRIAGE_MODES,
  USER_ROLES,
  parsePolicy,
} from '../policy-file.js';
import { GB_COVERAGE_SHARES, DEFAULT_HOLD_LIMIT_MS } from '../routes/wan-model.js';
import { DEFAULT_WAN_FIRMWARE_KBPS } from '../routes/wan.js';
import { DEFAULT_BLOCK_RESPONSE_TIMEOUT_MS, MAX_BLOCK_LOSS_SHARE } from '../firmware/ota-timing.js';
import type {
  AttackerSpec,
  ConsumptionSpec,
  FirmwareCampaignSpec,
  FleetSpec,
  HhtVisitSpec,
  PolicyVariant,
  ReturnsSpec,
  Scenario,
  ScenarioKindName,
  WanSpec,
} from './model.js';

// ---------------------------------------------------------------------------------------------------------------
// Defaults. [A] marks an assumption of ours, not a figure from a source; a scenario that depends on one should say it.

/** The scenario kinds a file may name (model.ts's ScenarioKindName, one per seed question). */
export const SCENARIO_KIND_NAMES = [
  'no-wan-prepayment',
  'interpan-window',
  'ppmid-firmware-campaign',
  'triage-reuse',
] as const satisfies readonly ScenarioKindName[];

/** The routes a policy variant may make available (model.ts PolicyVariant.routes). */
export const ROUTE_NAMES = [
  'wan',
  'hht',
  'ppmid-tunnel',
] as const satisfies readonly PolicyVariant['routes'][number][];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Virtual time starts here unless the file says otherwise [A]: a Monday, midnight UTC. */
export const DEFAULT_START_ISO = '2025-01-06T00:00:00Z';

/**
 * The fleet [A]: 100 premises; every premise has an ESME, 80 % a GSME, 10 % a PPMID, 90 % an IHD, none an HCALCS;
 * 15 % of metered premises on prepayment; no dual-band hubs; 0.5 power cuts per hub-year (of the order of GB's
 * customer interruptions per year); no posted PPMIDs.
 */
export const DEFAULT_FLEET: FleetSpec = deepFreeze({
  premises: 100,
  deviceMix: { esme: 1, gsme: 0.8, ppmid: 0.1, ihd: 0.9, hcalcs: 0 },
  prepaymentShare: 0.15,
  dualBandShare: 0,
  powerCutsPerHubYear: 0.5,
  postedPpmidShare: 0,
});

/** The WAN: GB coverage shares (src/routes/wan-model.ts GB_COVERAGE_SHARES), no outages, the CSP's 22 h hold. */
export const DEFAULT_WAN: WanSpec = deepFreeze({
  coverage: {
    good: Math.round((1 - GB_COVERAGE_SHARES.none - GB_COVERAGE_SHARES.intermittent) * 1e6) / 1e6,
    intermittent: GB_COVERAGE_SHARES.intermittent,
    none: GB_COVERAGE_SHARES.none,
  },
  outages: [],
  holdLimitHours: DEFAULT_HOLD_LIMIT_MS / 3_600_000,
});

/**
 * Consumption as the demo household (src/dcc/fleet.ts DEMO_HOUSEHOLD): electricity 2,700 kWh a year at 24.5 p/kWh and
 * 60 p/day, gas 11,500 kWh at 6.3 p/kWh and 32 p/day (of the order of Ofgem's typical consumption and price cap);
 * prepayment customers top up £20 every 7 days [A].
 */
export const DEFAULT_CONSUMPTION: ConsumptionSpec = deepFreeze({
  electricity: { annualKwh: 2_700, pencePerKwh: 24.5, standingPencePerDay: 60 },
  gas: { annualKwh: 11_500, pencePerKwh: 6.3, standingPencePerDay: 32 },
  topUp: { everyDays: 7, pounds: 20 },
});

/** An installer with an HHT comes 48 hours on average after a premise is found unreachable [A]. */
export const DEFAULT_HHT_VISITS: HhtVisitSpec = deepFreeze({ meanHoursToVisit: 48 });

/** No attackers; when a share is given, an attacker 10 m from the hub sending a frame a minute [A]. */
export const DEFAULT_ATTACKERS: AttackerSpec = deepFreeze({ share: 0, distanceM: 10, intervalSeconds: 60 });

/**
 * A PPMID campaign of a 256 kB image in ZigBee OTA blocks of 48 octets, a block requested every 100 ms, over the
 * 250 kbit/s 2.4 GHz radio [A]; the CSP delivering the image at 64 kbit/s to each CH (src/routes/wan.ts
 * DEFAULT_WAN_FIRMWARE_KBPS), 20 CHs at a time [A]; loss-free HAN links, a 5 s block response timeout
 * (src/firmware/ota-timing.ts DEFAULT_BLOCK_RESPONSE_TIMEOUT_MS) [A].
 */
export const DEFAULT_FIRMWARE: FirmwareCampaignSpec = deepFreeze({
  target: 'PPMID',
  imageKb: 256,
  blockSize: 48,
  blockRequestDelayMs: 100,
  radioKbps: 250,
  consumerRefusalShare: 0,
  cspDeliveryKbps: DEFAULT_WAN_FIRMWARE_KBPS,
  cspConcurrentDeliveries: 20,
  blockLossShare: 0,
  blockResponseTimeoutMs: DEFAULT_BLOCK_RESPONSE_TIMEOUT_MS,
});

/** Half of returned devices have a real fault, the rest are no-fault returns [A]. */
export const DEFAULT_RETURNS: ReturnsSpec = deepFreeze({ faultShare: 0.5, devices: 20, meterShare: 0.5 });

/** [A] Upper bounds that catch unit slips (hours for days, ms for s) without limiting a real question. */
const MAX_DURATION_DAYS = 100 * 366;

// ---------------------------------------------------------------------------------------------------------------
// The schema.

/**
 * Cross-field checks run only on values that passed the field checks, so one mistake is reported once (zod 4 would
 * otherwise run them after a continuable issue such as a number out of range).
 */
const ONLY_WHEN_VALID = {
  when: (payload: { readonly issues: readonly unknown[] }) => payload.issues.length === 0,
};

const share = (what: string) =>
  z
    .number({ error: 'expected a share, a number from 0 to 1' })
    .min(0, { error: 'a share is at least 0' })
    .max(1, { error: 'a share is at most 1' })
    .describe(what);

const positive = (what: string) =>
  z.number({ error: 'expected a number' }).positive({ error: 'must be above 0' }).describe(what);

const nonNegative = (what: string) =>
  z.number({ error: 'expected a number' }).min(0, { error: 'must be at least 0' }).describe(what);

/** The fleet fields a variant may change (all but deviceMix), without defaults. */
const fleetFields = {
  premises: z
    .number({ error: 'expected a whole number of premises' })
    .int({ error: 'expected a whole number of premises' })
    .min(1, { error: 'at least 1 premise' })
    .max(Number.MAX_SAFE_INTEGER)
    .describe('How many premises.'),
  prepaymentShare: share('Share of the metered premises on prepayment.'),
  dualBandShare: share('Share of hubs that are dual-band (2.4 GHz + 868 MHz).'),
  powerCutsPerHubYear: nonNegative(
    'Mains power cuts per hub-year (each power-cycles the hub and reopens its Inter-PAN window).',
  ),
  postedPpmidShare: share(
    'Share of PPMID premises whose PPMID arrives by post and is paired by the consumer (SECMP0037).',
  ),
};

const deviceMixSchema = z
  .strictObject({
    esme: share('Share of premises with an ESME.').default(DEFAULT_FLEET.deviceMix.esme),
    gsme: share('Share of premises with a GSME.').default(DEFAULT_FLEET.deviceMix.gsme),
    ppmid: share('Share of premises with a PPMID.').default(DEFAULT_FLEET.deviceMix.ppmid),
    ihd: share('Share of premises with an IHD.').default(DEFAULT_FLEET.deviceMix.ihd),
    hcalcs: share('Share of premises with an HCALCS.').default(DEFAULT_FLEET.deviceMix.hcalcs),
  })
  .describe('Share of premises with each device (the CH is always there).');

const fleetSchema = z
  .strictObject({
    premises: fleetFields.premises.default(DEFAULT_FLEET.premises),
    deviceMix: deviceMixSchema.default(DEFAULT_FLEET.deviceMix),
    prepaymentShare: fleetFields.prepaymentShare.default(DEFAULT_FLEET.prepaymentShare),
    dualBandShare: fleetFields.dualBandShare.default(DEFAULT_FLEET.dualBandShare),
    powerCutsPerHubYear: fleetFields.powerCutsPerHubYear.default(DEFAULT_FLEET.powerCutsPerHubYear),
    postedPpmidShare: fleetFields.postedPpmidShare.default(DEFAULT_FLEET.postedPpmidShare),
  })
  .describe('Which devices a premise has, and how many premises; shares are drawn from the seed.');

const variantFleetSchema = z
  .strictObject({
    premises: fleetFields.premises.optional(),
    prepaymentShare: fleetFields.prepaymentShare.optional(),
    dualBandShare: fleetFields.dualBandShare.optional(),
    powerCutsPerHubYear: fleetFields.powerCutsPerHubYear.optional(),
    postedPpmidShare: fleetFields.postedPpmidShare.optional(),
  })
  .describe("Fleet fields that differ for this variant (any of the fleet's fields but deviceMix).");

const outageSchema = z
  .strictObject({
    fromMs: nonNegative('Start, ms from the scenario start.'),
    toMs: nonNegative('End, ms from the scenario start (after fromMs).'),
  })
  .superRefine((o, ctx) => {
    if (o.toMs <= o.fromMs)
      ctx.addIssue({
        code: 'custom',
        path: ['toMs'],
        message: `an outage ends after it starts (fromMs ${o.fromMs})`,
      });
  }, ONLY_WHEN_VALID);

const wanSchema = z
  .strictObject({
    coverage: z
      .strictObject({
        good: share('Share of premises with good coverage.'),
        intermittent: share('Share of premises with intermittent coverage.'),
        none: share('Share of premises without coverage.'),
      })
      .superRefine((c, ctx) => {
        const sum = c.good + c.intermittent + c.none;
        if (Math.abs(sum - 1) > 1e-9)
          ctx.addIssue({ code: 'custom', message: `the coverage shares sum to ${sum}, not 1` });
      }, ONLY_WHEN_VALID)
      .default(DEFAULT_WAN.coverage)
      .describe('Shares of premises by SM WAN coverage; they sum to 1.'),
    outages: z
      .array(outageSchema)
      .default([])
      .describe('Fleet-wide SM WAN outages, ms from the scenario start.'),
    holdLimitHours: nonNegative(
      'Longest the CSP holds a message for a premise it cannot reach, hours.',
    ).default(DEFAULT_WAN.holdLimitHours),
  })
  .describe('The CSP WAN (src/routes/wan-model.ts): coverage, outages, hold limit.');

const supplySchema = (fuel: 'electricity' | 'gas') => {
  const d = DEFAULT_CONSUMPTION[fuel];
  return z
    .strictObject({
      annualKwh: nonNegative(`Annual ${fuel} demand, kWh.`).default(d.annualKwh),
      pencePerKwh: nonNegative('Unit price, pence per kWh.').default(d.pencePerKwh),
      standingPencePerDay: nonNegative('Standing charge, pence per day.').default(d.standingPencePerDay),
    })
    .default(d);
};

const consumptionSchema = z
  .strictObject({
    electricity: supplySchema('electricity'),
    gas: supplySchema('gas'),
    topUp: z
      .strictObject({
        everyDays: positive('Days between top-ups.').default(DEFAULT_CONSUMPTION.topUp.everyDays),
        pounds: positive('Pounds per top-up.').default(DEFAULT_CONSUMPTION.topUp.pounds),
      })
      .default(DEFAULT_CONSUMPTION.topUp)
      .describe('How a prepayment customer tops up, bought at a seeded hour.'),
  })
  .describe('What each household consumes and pays.');

const hhtVisitsSchema = z
  .strictObject({
    meanHoursToVisit: positive(
      'Mean hours from the first failed delivery to the visit (exponential, seeded); null: no visits.',
    )
      .nullable()
      .default(DEFAULT_HHT_VISITS.meanHoursToVisit),
  })
  .describe('Installer visits with an HHT (the HHT route).');

const attackersSchema = z
  .strictObject({
    share: share('Share of hubs with an attacker in the neighbourhood.').default(DEFAULT_ATTACKERS.share),
    distanceM: nonNegative('Distance from the hub, metres.').default(DEFAULT_ATTACKERS.distanceM),
    intervalSeconds: positive("Seconds between the attacker's frames.").default(
      DEFAULT_ATTACKERS.intervalSeconds,
    ),
  })
  .describe('Hostile radios near hubs (SECMP0037).');

const firmwareSchema = z
  .strictObject({
    target: z
      .enum(['PPMID', 'ESME', 'GSME'])
      .default(DEFAULT_FIRMWARE.target)
      .describe('Devices the campaign updates: PPMIDs (SR 11.4) or meters (SR 11.1).'),
    imageKb: positive('Image size, kB of 1,000 octets.')
      .max(MAX_FIRMWARE_IMAGE_KB, {
        error: `at most ${MAX_FIRMWARE_IMAGE_KB} kB (the DUIS FirmwareImage limit, 10,240,000 octets)`,
      })
      .default(DEFAULT_FIRMWARE.imageKb),
    blockSize: z
      .number({ error: 'expected a whole number of octets' })
      .int({ error: 'expected a whole number of octets' })
      .min(1, { error: 'at least 1 octet' })
      .max(255, { error: 'at most 255 octets (ZCL OTA Image Block Request: uint8 maximum data size)' })
      .default(DEFAULT_FIRMWARE.blockSize)
      .describe('ZigBee OTA block size, octets per Image Block Response.'),
    blockRequestDelayMs: nonNegative('Delay between block requests, ms.').default(
      DEFAULT_FIRMWARE.blockRequestDelayMs,
    ),
    radioKbps: positive('Radio rate, kbit/s.').default(DEFAULT_FIRMWARE.radioKbps),
    consumerRefusalShare: share(
      "Share of consumers who would refuse the update if offered (only under firmwareConsumerRefusal 'allowed').",
    ).default(DEFAULT_FIRMWARE.consumerRefusalShare),
    cspDeliveryKbps: positive('Rate at which the CSP delivers the image to one CH, kbit/s.').default(
      DEFAULT_FIRMWARE.cspDeliveryKbps,
    ),
    cspConcurrentDeliveries: z
      .number({ error: 'expected a whole number of deliveries' })
      .int({ error: 'expected a whole number of deliveries' })
      .min(1, { error: 'at least 1 delivery at a time' })
      .max(Number.MAX_SAFE_INTEGER)
      .default(DEFAULT_FIRMWARE.cspConcurrentDeliveries)
      .describe(
        'Most images the CSP delivers at once, fleet-wide (FIFO by request, then DeviceIDList order).',
      ),
    blockLossShare: share(
      "Mean share of Image Block Responses lost on a premise's HAN; each premise's share is drawn uniformly in [0, 2 × this]; 0: loss-free.",
    )
      .max(MAX_BLOCK_LOSS_SHARE, { error: `at most ${MAX_BLOCK_LOSS_SHARE}` })
      .default(DEFAULT_FIRMWARE.blockLossShare),
    blockResponseTimeoutMs: z
      .number({ error: 'expected a whole number of ms' })
      .int({ error: 'expected a whole number of ms' })
      .min(0, { error: 'must be at least 0' })
      .max(Number.MAX_SAFE_INTEGER)
      .default(DEFAULT_FIRMWARE.blockResponseTimeoutMs)
      .describe('ms a client waits for an Image Block Response before it asks for the block again.'),
  })
  .describe('A firmware campaign (SECMP0007).');

const returnsSchema = z
  .strictObject({
    faultShare: share('Share of returned devices with a real fault (the rest no-fault returns).').default(
      DEFAULT_RETURNS.faultShare,
    ),
    devices: z
      .number({ error: 'expected a whole number of devices' })
      .int({ error: 'expected a whole number of devices' })
      .min(1, { error: 'at least 1 device' })
      .max(500, { error: 'at most 500 devices (each is a commissioned premise, reset and reinstalled)' })
      .default(DEFAULT_RETURNS.devices)
      .describe('How many devices come back in a run, each from its own premise.'),
    meterShare: share(
      'Share of the returned devices that are meters (ESME); the rest are Communications Hubs.',
    ).default(DEFAULT_RETURNS.meterShare),
  })
  .describe('Returned devices (SECMP0010/0013).');

/** A variant's policy: src/policy.ts's fields, each optional; checked further by src/policy-file.ts's parsePolicy. */
const policySchema = z
  .strictObject({
    interPanWindowMinutes: z
      .number({ error: 'expected a whole number of minutes, or null for no limit' })
      .int({ error: 'expected a whole number of minutes, or null for no limit' })
      .min(0, { error: 'at least 0 minutes' })
      .max(MAX_INTER_PAN_WINDOW_MINUTES, { error: `at most ${MAX_INTER_PAN_WINDOW_MINUTES} minutes` })
      .nullable()
      .optional()
      .describe(
        'Minutes after CH power-up during which the CHF accepts Inter-PAN joining; null: no limit (SECMP0037).',
      ),
    hhtCommandValidityHours: z
      .number({ error: 'expected a number of hours' })
      .positive({ error: 'must be above 0' })
      .max(MAX_HHT_COMMAND_VALIDITY_HOURS, { error: `at most ${MAX_HHT_COMMAND_VALIDITY_HOURS} hours` })
      .optional()
      .describe('Hours after the DCC issued a local command during which an HHT may still deliver it.'),
    localFirmwareUpgrade: z
      .enum(['banned', 'allowed'])
      .optional()
      .describe('Whether firmware may be installed through an HHT (SECMP0007).'),
    ppmidTunnel: z
      .enum(['han-only', 'subset', 'any'])
      .optional()
      .describe('What the CH accepts tunnelled from a PPMID over an alternative channel (SECMP0038).'),
    ppmidTunnelUseCases: z
      .array(z.string())
      .optional()
      .describe("GBCS use-case names (e.g. 'CS01a') accepted under ppmidTunnel 'subset'."),
    firmwareImageLimitKb: z
      .number({ error: 'expected kB' })
      .positive({ error: 'must be above 0' })
      .max(MAX_FIRMWARE_IMAGE_KB, {
        error: `at most ${MAX_FIRMWARE_IMAGE_KB} kB (the DUIS FirmwareImage limit)`,
      })
      .optional()
      .describe(
        'Largest firmware image the DCC accepts in SR 11.1 / 11.4, kB of 1,000 octets (SECMP0007: 750).',
      ),
    firmwareConsumerRefusal: z
      .enum(FIRMWARE_CONSUMER_REFUSAL)
      .optional()
      .describe(
        "Whether a consumer may refuse a firmware update at a PPMID (SECMP0007); 'not-offered' today.",
      ),
    triage: z
      .enum(TRIAGE_MODES)
      .optional()
      .describe(
        "Whether a returned CH or meter may be triaged and reset for reuse (SECMP0010/0013); 'none' today.",
      ),
    triageRoles: z
      .array(z.enum(USER_ROLES))
      .optional()
      .describe('DCC User roles that may request a triage and reset.'),
  })
  .superRefine((given, ctx) => {
    // The checks the structure cannot say (use cases the message-code table knows, listed once, only under 'subset'),
    // exactly as a policy file is checked.
    try {
      parsePolicy(given);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      for (const issue of e.issues)
        ctx.addIssue({ code: 'custom', path: policyPath(issue.path), message: issue.message });
    }
  }, ONLY_WHEN_VALID)
  .default({})
  .describe("The rules changed from today's (src/policy.ts DEFAULT_POLICY).");

/** `ppmidTunnelUseCases[1]` → ['ppmidTunnelUseCases', 1]. */
function policyPath(path: string): (string | number)[] {
  if (path === '') return [];
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

const variantSchema = z
  .strictObject({
    name: z
      .string({ error: 'expected the variant name' })
      .min(1, { error: 'a variant needs a name' })
      .max(200, { error: 'at most 200 characters' })
      .describe('The name the report and results.json use for this policy.'),
    policy: policySchema,
    routes: z
      .array(z.enum(ROUTE_NAMES))
      .min(1, { error: 'at least one route' })
      .superRefine((routes, ctx) => {
        routes.forEach((r, i) => {
          if (routes.indexOf(r) !== i)
            ctx.addIssue({ code: 'custom', path: [i], message: `'${r}' is listed twice` });
        });
      }, ONLY_WHEN_VALID)
      .default(['wan'])
      .describe('Routes a supplier may use when the SM WAN cannot deliver (no-WAN prepayment).'),
    fleet: variantFleetSchema.default({}),
  })
  .describe('One policy to compare.');

/** The scenario file as written (input) and as the model's Scenario (output). */
export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON schema this file follows (ignored; for editors).'),
    name: z
      .string({ error: 'expected the scenario name' })
      .min(1, { error: 'a scenario needs a name' })
      .max(200, { error: 'at most 200 characters' })
      .describe('Names the run; the default output folder is out/<name>.'),
    description: z.string().default('').describe('What the scenario is for, in a sentence or two.'),
    kind: z
      .enum(SCENARIO_KIND_NAMES, {
        error: `expected one of the scenario kinds: ${SCENARIO_KIND_NAMES.map((k) => `'${k}'`).join(', ')}`,
      })
      .describe('Which question the scenario answers (which scenario kind measures it).'),
    seed: z
      .string({ error: 'expected the seed as a string (quote a number)' })
      .min(1, { error: 'the seed must not be empty' })
      .describe('Every random draw derives from it: same file, same results.'),
    durationDays: z
      .number({ error: 'expected a number of days' })
      .positive({ error: 'must be above 0' })
      .max(MAX_DURATION_DAYS, { error: `at most ${MAX_DURATION_DAYS} days` })
      .describe('Virtual days simulated from startIso.'),
    startIso: z.iso
      .datetime({ error: 'expected a UTC date-time such as 2025-01-06T00:00:00Z' })
      .default(DEFAULT_START_ISO)
      .describe('When virtual time starts (UTC).'),
    fleet: fleetSchema.default(DEFAULT_FLEET),
    wan: wanSchema.default(() => ({ ...DEFAULT_WAN, outages: [] })),
    consumption: consumptionSchema.default(DEFAULT_CONSUMPTION),
    hhtVisits: hhtVisitsSchema.default(DEFAULT_HHT_VISITS),
    attackers: attackersSchema.default(DEFAULT_ATTACKERS),
    firmware: firmwareSchema.default(DEFAULT_FIRMWARE),
    returns: returnsSchema.default(DEFAULT_RETURNS),
    policies: z
      .array(variantSchema)
      .min(1, { error: 'at least one policy variant' })
      .superRefine((variants, ctx) => {
        variants.forEach((v, i) => {
          if (variants.findIndex((w) => w.name === v.name) !== i)
            ctx.addIssue({
              code: 'custom',
              path: [i, 'name'],
              message: `the name '${v.name}' is used twice`,
            });
        });
      }, ONLY_WHEN_VALID)
      .describe("The policies to compare, in order; typically today's rules first, then the proposal."),
  })
  .transform(({ $schema: _schema, ...scenario }) => scenario)
  .describe('A smets-twin scenario: a question, the fleet it is asked of, and the policies to compare.');

// Compile-time checks: the schema's output is model.ts's Scenario, with exactly its fields.
type SchemaOutput = z.output<typeof scenarioSchema>;
type Exact<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const _outputIsScenario: (s: SchemaOutput) => Scenario = (s) => s;
const _sameFields: Exact<SchemaOutput, Scenario> = true;
const _variantFields: Exact<SchemaOutput['policies'][number], PolicyVariant> = true;
const _policyFields: Exact<NonNullable<z.input<typeof policySchema>>, Policy> = true;
const _kindsComplete: Exact<
  Record<ScenarioKindName, 0>,
  Record<(typeof SCENARIO_KIND_NAMES)[number], 0>
> = true;
void [_outputIsScenario, _sameFields, _variantFields, _policyFields, _kindsComplete];

// ---------------------------------------------------------------------------------------------------------------
// Errors.

/** One problem in a scenario file: where (a field path, '' for the whole file; line and column when known) and what. */
export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
  /** 1-based, in the file as written. */
  readonly line?: number;
  readonly column?: number;
}

/** A scenario file refused: every problem found, each with its path and, where the file gives it, line and column. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly issues: readonly ScenarioIssue[],
    /** The file it came from, when it came from one. */
    readonly source?: string,
  ) {
    super(formatIssues(issues, source));
  }
}

const MAX_LISTED = 30;

function formatIssues(issues: readonly ScenarioIssue[], source: string | undefined): string {
  const what = source === undefined ? 'scenario' : `scenario ${source}`;
  const lines = issues.slice(0, MAX_LISTED).map((i) => {
    const at = i.line === undefined ? '' : `line ${i.line}, column ${i.column ?? 1}`;
    const where = [i.path, at].filter((s) => s !== '').join(' ');
    const prefix = i.path !== '' && at !== '' ? `${i.path} (${at})` : where;
    return `  ${prefix === '' ? '' : `${prefix}: `}${i.message}`;
  });
  if (issues.length > MAX_LISTED) lines.push(`  … and ${issues.length - MAX_LISTED} more`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `${what} is not valid (${count}):\n${lines.join('\n')}`;
}

/** ['policies', 1, 'policy', 'ppmidTunnel'] → `policies[1].policy.ppmidTunnel`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Positions: the zod issue path → the YAML node it names.

interface Located {
  readonly line: number;
  readonly column: number;
}

class Positions {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  private at(offset: number): Located {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** The node the path names (its key's node with `key`), else the nearest ancestor that exists. */
  locate(path: readonly PropertyKey[], key?: string): Located | undefined {
    let node: unknown = this.doc.contents;
    let best: Node | undefined = (node as Node | null) ?? undefined;
    for (const seg of [...path, ...(key === undefined ? [] : [key])]) {
      node = this.deref(node);
      let keyNode: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (pair === undefined) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (node === undefined) break;
      } else break;
      const landed = (node ?? keyNode) as Node | null | undefined;
      best = seg === key && keyNode !== undefined ? (keyNode as Node) : (landed ?? best);
    }
    const offset = best?.range?.[0];
    return offset === undefined ? undefined : this.at(offset);
  }

  offset(pos: number): Located {
    return this.at(pos);
  }
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

// ---------------------------------------------------------------------------------------------------------------
// zod issues → ScenarioIssues.

interface SchemaDef {
  readonly type: string;
  readonly innerType?: SchemaLike;
  readonly in?: SchemaLike;
  readonly shape?: Record<string, SchemaLike>;
  readonly element?: SchemaLike;
}
interface SchemaLike {
  readonly _zod: { readonly def: SchemaDef };
}

/** The field names the schema allows at a path (for "unknown field" messages). */
function fieldsAt(path: readonly PropertyKey[]): string[] {
  let s: SchemaLike | undefined = scenarioSchema as unknown as SchemaLike;
  const unwrap = (x: SchemaLike | undefined): SchemaLike | undefined => {
    let cur = x;
    while (cur !== undefined) {
      const def: SchemaDef = cur._zod.def;
      if (def.innerType !== undefined) cur = def.innerType;
      else if (def.type === 'pipe' && def.in !== undefined) cur = def.in;
      else break;
    }
    return cur;
  };
  for (const seg of path) {
    s = unwrap(s);
    const def = s?._zod.def;
    if (def?.type === 'object') s = def.shape?.[String(seg)];
    else if (def?.type === 'array') s = def.element;
    else return [];
  }
  const def = unwrap(s)?._zod.def;
  return def?.type === 'object' ? Object.keys(def.shape ?? {}).filter((k) => k !== '$schema') : [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length]!;
}

function unknownFieldMessage(key: string, allowed: readonly string[]): string {
  const lower = key.toLowerCase();
  const close = allowed
    .map((k) => ({
      k,
      d: k.toLowerCase().startsWith(lower) && lower.length >= 3 ? 0.5 : editDistance(key, k),
    }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(k.length / 3)))
    .sort((x, y) => x.d - y.d)[0];
  const hint = close === undefined ? '' : ` (did you mean '${close.k}'?)`;
  const list = allowed.length === 0 ? '' : `; the fields here: ${allowed.join(', ')}`;
  return `unknown field '${key}'${hint}${list}`;
}

function valueAt(
  root: unknown,
  path: readonly PropertyKey[],
): { found: boolean; value?: unknown; parentIsObject: boolean } {
  let cur: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof cur !== 'object' || cur === null) return { found: false, parentIsObject: false };
    const seg = path[i]!;
    const has = Object.hasOwn(cur, seg as PropertyKey);
    if (!has) return { found: false, parentIsObject: i === path.length - 1 && !Array.isArray(cur) };
    cur = (cur as Record<PropertyKey, unknown>)[seg as PropertyKey];
  }
  return { found: true, value: cur, parentIsObject: false };
}

/** A value as a message quotes it: scalars as written, containers by their kind. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

/** Issues about a value say what the value was (zod's own type messages already say what was received). */
const QUOTES_VALUE = new Set([
  'invalid_type',
  'too_small',
  'too_big',
  'invalid_value',
  'invalid_format',
  'not_multiple_of',
]);

function toIssues(error: z.ZodError, input: unknown, positions: Positions | undefined): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const push = (path: readonly PropertyKey[], message: string, key?: string) => {
    const full = key === undefined ? path : [...path, key];
    const at = positions?.locate(path, key);
    out.push({ path: formatPath(full), message, ...(at === undefined ? {} : at) });
  };
  for (const issue of error.issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      const allowed = fieldsAt(path);
      for (const key of issue.keys) push(path, unknownFieldMessage(key, allowed), key);
      continue;
    }
    if (issue.code === 'invalid_type') {
      const where = valueAt(input, path);
      if (!where.found && where.parentIsObject) {
        push(path.slice(0, -1), `the required field '${String(path[path.length - 1])}' is missing`);
        continue;
      }
      if (path.length === 0) {
        const got =
          input === null ? 'the file is empty' : `got ${Array.isArray(input) ? 'a list' : typeof input}`;
        push(path, `expected a scenario, a mapping of fields (name, kind, seed, …): ${got}`);
        continue;
      }
    }
    const at = valueAt(input, path);
    const quote = QUOTES_VALUE.has(issue.code) && at.found && !/\breceived\b/.test(issue.message);
    push(path, quote ? `${issue.message}, got ${describe(at.value)}` : issue.message);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading.

export type ScenarioFormat = 'yaml' | 'json';

/** The scenario a JS value describes (already parsed from YAML or JSON); ScenarioError without positions. */
export function parseScenario(value: unknown, source?: string): Scenario {
  return check(value, source, undefined);
}

function check(value: unknown, source: string | undefined, positions: Positions | undefined): Scenario {
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) {
    // In the order of the file (stable: problems without a place first, as zod found them).
    const issues = toIssues(parsed.error, value, positions)
      .map((issue, k) => ({ issue, k }))
      .sort(
        (a, b) =>
          (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
          (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
          a.k - b.k,
      )
      .map(({ issue }) => issue);
    throw new ScenarioError(issues, source);
  }
  return deepFreeze(parsed.data) as Scenario;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function parseYamlDocument(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    version: '1.2',
  });
  return { doc, lines };
}

/** The scenario in a text written as YAML or JSON; ScenarioError with line and column for every problem. */
export function parseScenarioText(text: string, format: ScenarioFormat, source?: string): Scenario {
  const { doc, lines } = parseYamlDocument(text);
  const positions = new Positions(doc, lines);
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const message = firstLine((e as Error).message);
      const m = /at position (\d+)/.exec(message);
      const at =
        m !== null
          ? positions.offset(Number(m[1]))
          : doc.errors[0]
            ? positions.offset(doc.errors[0].pos[0])
            : undefined;
      throw new ScenarioError([{ path: '', message: `not JSON: ${message}`, ...(at ?? {}) }], source);
    }
    // JSON.parse keeps the last of two equal keys; a scenario must not silently lose one.
    const duplicates = doc.errors.filter((err) => err.code === 'DUPLICATE_KEY');
    if (duplicates.length > 0)
      throw new ScenarioError(
        duplicates.map((err) => ({
          path: '',
          message: 'a field is given twice',
          ...positions.offset(err.pos[0]),
        })),
        source,
      );
    return check(value, source, doc.errors.length === 0 ? positions : undefined);
  }
  if (doc.errors.length > 0)
    throw new ScenarioError(
      doc.errors.map((err) => ({
        path: '',
        message: `YAML: ${firstLine(err.message)}`,
        ...positions.offset(err.pos[0]),
      })),
      source,
    );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ScenarioError([{ path: '', message: `YAML: ${firstLine((e as Error).message)}` }], source);
  }
  return check(value, source, positions);
}

/** A scenario file read and checked, with what results.json records of it. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly path: string;
  readonly format: ScenarioFormat;
  /** The file as written (the report shows it). */
  readonly text: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
}

/** The format a file name says: `.yaml`/`.yml` or `.json`; undefined otherwise. */
export function scenarioFormatOf(path: string): ScenarioFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? 'yaml' : ext === '.json' ? 'json' : undefined;
}

/**
 * Reads and checks a scenario file; ScenarioError for an unreadable, unparsable or invalid one. `source` names the file
 * in messages (default: the path).
 */
export function loadScenarioFile(path: string, source: string = path): LoadedScenario {
  const format = scenarioFormatOf(path);
  if (format === undefined)
    throw new ScenarioError(
      [{ path: '', message: 'expected a .yaml, .yml or .json file (the extension says the format)' }],
      source,
    );
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(
      [{ path: '', message: `cannot read the file: ${code ?? (e as Error).message}` }],
      source,
    );
  }
  let text: string;
  try {
    // A byte-order mark is dropped; bytes that are not UTF-8 are refused rather than read as U+FFFD.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ScenarioError([{ path: '', message: 'the file is not UTF-8 text' }], source);
  }
  const scenario = parseScenarioText(text, format, source);
  return { scenario, path, format, text, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** What `smets-twin run --premises/--days` change. */
export interface ScenarioOverrides {
  readonly premises?: number;
  readonly durationDays?: number;
}

/**
 * The scenario with the command line's overrides: `premises` replaces fleet.premises and any variant's own premises
 * (to run small, every variant runs small), `durationDays` the duration.
 */
export function withOverrides(scenario: Scenario, overrides: ScenarioOverrides): Scenario {
  const { premises, durationDays } = overrides;
  return deepFreeze({
    ...scenario,
    ...(durationDays === undefined ? {} : { durationDays }),
    fleet: premises === undefined ? scenario.fleet : { ...scenario.fleet, premises },
    policies:
      premises === undefined
        ? scenario.policies
        : scenario.policies.map((v) =>
            v.fleet.premises === undefined ? v : { ...v, fleet: { ...v.fleet, premises } },
          ),
  });
}
