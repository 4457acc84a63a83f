// Scenario objects for the kinds' tests: a complete scenario built in the test (what the runner's schema hands a
// kind once it has filled its defaults), and the shipped files as written (YAML, no defaults) and as the runner loads
// them (src/scenario/schema.ts loadScenarioFile: checked, omitted sections filled with the schema's defaults).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Scenario } from '../../../src/scenario/model.js';
import { loadScenarioFile } from '../../../src/scenario/schema.js';

export const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/** A complete small scenario: every section present. */
export const BASE_SCENARIO: Scenario = Object.freeze<Scenario>({
  name: 'test',
  description: 'a small scenario built in a test',
  kind: 'no-wan-prepayment',
  seed: 'test-seed-1',
  durationDays: 30,
  startIso: '2026-01-01T00:00:00Z',
  fleet: {
    premises: 10,
    deviceMix: { esme: 1, gsme: 0, ppmid: 1, ihd: 0, hcalcs: 0 },
    prepaymentShare: 1,
    dualBandShare: 0,
    powerCutsPerHubYear: 0,
    postedPpmidShare: 0,
  },
  wan: { coverage: { good: 0.5, intermittent: 0, none: 0.5 }, outages: [], holdLimitHours: 22 },
  consumption: {
    electricity: { annualKwh: 2700, pencePerKwh: 24.5, standingPencePerDay: 60 },
    gas: { annualKwh: 11500, pencePerKwh: 6.3, standingPencePerDay: 32 },
    topUp: { everyDays: 7, pounds: 18 },
  },
  hhtVisits: { meanHoursToVisit: 48 },
  attackers: { share: 0, distanceM: 20, intervalSeconds: 60 },
  firmware: {
    target: 'PPMID',
    imageKb: 200,
    blockSize: 64,
    blockRequestDelayMs: 1000,
    radioKbps: 250,
    consumerRefusalShare: 0,
    cspDeliveryKbps: 64,
    cspConcurrentDeliveries: 20,
    blockLossShare: 0,
    blockResponseTimeoutMs: 5000,
  },
  returns: { faultShare: 0.3, devices: 20, meterShare: 0.5 },
  policies: [],
});

/** A shipped scenario file as parsed YAML (no defaults). */
export function readShipped(file: string): Record<string, unknown> {
  return parse(readFileSync(`${SCENARIOS_DIR}${file}`, 'utf8')) as Record<string, unknown>;
}

/** A shipped scenario as the runner loads it: through the schema, so a bad file throws its ScenarioError. */
export function loadShipped(file: string): Scenario {
  return loadScenarioFile(`${SCENARIOS_DIR}${file}`).scenario;
}
