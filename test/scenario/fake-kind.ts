// A deterministic stand-in scenario kind for testing the machinery (the real kinds live in their own branches):
// its figures are hashes of the seed, the variant and the fleet size, so they repeat exactly for the same scenario.
import { createHash } from 'node:crypto';
import type {
  PolicyVariant,
  Scenario,
  ScenarioKind,
  ScenarioKindName,
  VariantMeasurement,
} from '../../src/scenario/model.js';

function unit(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0) / 2 ** 32;
}

export interface FakeKindOptions {
  readonly name?: ScenarioKindName;
  /** Give a series per variant (one value per premise). */
  readonly series?: boolean;
  /** Progress steps reported per variant. */
  readonly steps?: number;
  /** Every call of measure, in order. */
  readonly calls?: string[];
  /** Replace what measure returns (for the runner's checks). */
  readonly tamper?: (m: VariantMeasurement, variant: PolicyVariant) => VariantMeasurement;
}

export const FAKE_QUESTION = 'How open is the Inter-PAN window? (a fake kind for tests)';

export function fakeKind(options: FakeKindOptions = {}): ScenarioKind {
  const steps = options.steps ?? 4;
  return {
    name: options.name ?? 'interpan-window',
    question: FAKE_QUESTION,
    metricDocs: {
      openHoursPerHubYear: 'Hours a year each hub accepts Inter-PAN joining.',
      refusedFramesPerHubYear: 'Attacker frames a hub refuses a year.',
      changeShare: 'A signed share, to draw a negative bar.',
    },
    async measure(scenario: Scenario, variant: PolicyVariant, progress) {
      options.calls?.push(variant.name);
      const premises = variant.fleet.premises ?? scenario.fleet.premises;
      for (let i = 1; i <= steps; i++) {
        await Promise.resolve();
        progress(i, steps);
      }
      const open =
        variant.policy.interPanWindowMinutes === null
          ? 24 * 365
          : 1 + 99 * unit(scenario.seed, variant.name, 'open');
      const m: VariantMeasurement = {
        metrics: {
          openHoursPerHubYear: { value: open, unit: 'hours per hub-year' },
          refusedFramesPerHubYear: {
            value: Math.round(1e5 * unit(scenario.seed, variant.name, premises)),
            unit: 'frames per hub-year',
          },
          changeShare: { value: unit(scenario.seed, variant.name, 'change') - 0.75, unit: 'share' },
        },
        ...(options.series
          ? {
              series: {
                openMinutesPerHub: {
                  unit: 'minutes',
                  values: Array.from(
                    { length: premises },
                    (_, k) => Math.round(600 * unit(scenario.seed, variant.name, k) * 100) / 100,
                  ),
                },
              },
            }
          : {}),
        events: premises * scenario.durationDays * 3 + steps,
      };
      return options.tamper ? options.tamper(m, variant) : m;
    },
  };
}

/** A registry with one kind. */
export function kindsWith(kind: ScenarioKind): ReadonlyMap<ScenarioKindName, ScenarioKind> {
  return new Map([[kind.name, kind]]);
}
