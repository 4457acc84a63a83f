// The scenario runner (issue 9, item 1): runs a scenario's kind once per policy variant, in the file's order, and
// gathers what it measured into the results a working group reads: results.json, metrics.csv (and series.csv when a
// kind gives distributions) and report.html (report.ts). Everything written is a function of the scenario, the
// kind's code and the versions recorded: no timestamps, no durations, so the same file gives byte-identical output.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY, type Policy } from '../policy.js';
import { writeCsv } from '../risk/csv.js';
import { projectRoot } from '../shared-vectors.js';
import type { PolicyVariant, Scenario, ScenarioKind, ScenarioKindName } from './model.js';
import { renderReport } from './report.js';

/** Progress of a run, for a progress bar: variant `index` (0-based) of `variants`, `done` of `total` of its work. */
export interface RunProgress {
  readonly variant: string;
  readonly index: number;
  readonly variants: number;
  readonly done: number;
  readonly total: number;
  /** True once, when the variant's measurement has returned (then `events` is its count). */
  readonly finished: boolean;
  readonly events?: number;
}

export interface RunOptions {
  readonly onProgress?: (progress: RunProgress) => void;
}

/** A variant's rules as run: today's policy with the variant's changes, and the routes and fleet fields it changes. */
export type ResolvedVariantPolicy = Policy & {
  readonly routes: PolicyVariant['routes'];
  readonly fleet: PolicyVariant['fleet'];
};

export interface SeriesResult {
  readonly unit: string;
  readonly values: readonly number[];
}

/** What one policy variant measured. */
export interface PolicyResult {
  readonly name: string;
  readonly policy: ResolvedVariantPolicy;
  /** Metric name → value, in the order of the kind's metricDocs. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Metric name → unit. */
  readonly units: Readonly<Record<string, string>>;
  readonly series?: Readonly<Record<string, SeriesResult>>;
  /** Events the kind simulated for this variant. */
  readonly events: number;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly question: string;
  readonly metricDocs: Readonly<Record<string, string>>;
  readonly policies: readonly PolicyResult[];
  /** Events simulated over all variants. */
  readonly events: number;
}

/** A scenario that cannot run here (its kind is not registered), or a kind that returned what results cannot hold. */
export class ScenarioRunError extends Error {
  override readonly name = 'ScenarioRunError';
}

/** The variant's policy as run: DEFAULT_POLICY with the variant's changes, plus its routes and fleet changes. */
export function resolveVariantPolicy(variant: PolicyVariant): ResolvedVariantPolicy {
  return { ...DEFAULT_POLICY, ...variant.policy, routes: [...variant.routes], fleet: { ...variant.fleet } };
}

/** Runs `scenario`: its kind's `measure` once per policy variant, one after the other, in the file's order. */
export async function runScenario(
  scenario: Scenario,
  kinds: ReadonlyMap<ScenarioKindName, ScenarioKind>,
  options: RunOptions = {},
): Promise<ScenarioResult> {
  const kind = kinds.get(scenario.kind);
  if (kind === undefined) {
    const available = [...kinds.keys()].sort();
    throw new ScenarioRunError(
      `scenario kind '${scenario.kind}' is not available in this build (available: ${
        available.length === 0 ? 'none yet' : available.map((k) => `'${k}'`).join(', ')
      })`,
    );
  }
  const onProgress = options.onProgress ?? (() => undefined);
  const variants = scenario.policies.length;
  const policies: PolicyResult[] = [];
  let events = 0;
  for (const [index, variant] of scenario.policies.entries()) {
    const base = { variant: variant.name, index, variants };
    onProgress({ ...base, done: 0, total: 0, finished: false });
    let last = { done: 0, total: 0 };
    let measured: Awaited<ReturnType<ScenarioKind['measure']>>;
    try {
      measured = await kind.measure(scenario, variant, (done, total) => {
        last = { done, total };
        onProgress({ ...base, done, total, finished: false });
      });
    } catch (e) {
      // A scenario the schema accepts but the kind cannot run (a field out of the kind's range): one clear error.
      if (e instanceof ScenarioRunError) throw e;
      throw new ScenarioRunError(
        `kind '${kind.name}', policy '${variant.name}': ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    const result = policyResult(kind, variant, measured);
    policies.push(result);
    events += result.events;
    onProgress({ ...base, ...last, finished: true, events: result.events });
  }
  return { scenario, question: kind.question, metricDocs: { ...kind.metricDocs }, policies, events };
}

function policyResult(
  kind: ScenarioKind,
  variant: PolicyVariant,
  measured: Awaited<ReturnType<ScenarioKind['measure']>>,
): PolicyResult {
  const where = `kind '${kind.name}', policy '${variant.name}'`;
  const finite = (what: string, v: unknown): number => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ScenarioRunError(`${where}: ${what} is ${String(v)}, not a finite number`);
    return v;
  };
  for (const name of Object.keys(measured.metrics))
    if (!Object.hasOwn(kind.metricDocs, name))
      throw new ScenarioRunError(`${where}: metric '${name}' is not documented in the kind's metricDocs`);
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  for (const name of Object.keys(kind.metricDocs)) {
    const m = measured.metrics[name];
    if (m === undefined) continue;
    metrics[name] = finite(`metric '${name}'`, m.value);
    units[name] = m.unit;
  }
  let series: Record<string, SeriesResult> | undefined;
  if (measured.series !== undefined) {
    series = {};
    for (const [name, s] of Object.entries(measured.series))
      series[name] = { unit: s.unit, values: s.values.map((v, i) => finite(`series '${name}'[${i}]`, v)) };
  }
  return {
    name: variant.name,
    policy: resolveVariantPolicy(variant),
    metrics,
    units,
    ...(series === undefined ? {} : { series }),
    events: finite('the event count', measured.events),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What is written.

export interface Versions {
  /** package.json's version. */
  readonly smetsTwin: string;
  /** process.version. */
  readonly node: string;
  /** SHA-256 (hex) of the scenario file's bytes; null when the scenario did not come from a file. */
  readonly scenarioSha256: string | null;
}

/** results.json: the scenario as run (defaults filled in), the versions, and what each policy measured. */
export interface ResultsDocument {
  readonly scenario: Scenario;
  readonly versions: Versions;
  readonly question: string;
  readonly metricDocs: Readonly<Record<string, string>>;
  readonly policies: readonly PolicyResult[];
  readonly events: number;
}

/** The project's version, from its package.json. */
export function smetsTwinVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** The versions of this process, with the scenario file's hash. */
export function currentVersions(scenarioSha256: string | null): Versions {
  return { smetsTwin: smetsTwinVersion(), node: process.version, scenarioSha256 };
}

export function resultsDocument(result: ScenarioResult, versions: Versions): ResultsDocument {
  return {
    scenario: result.scenario,
    versions,
    question: result.question,
    metricDocs: result.metricDocs,
    policies: result.policies,
    events: result.events,
  };
}

/** results.json's text: two-space JSON, a final line break. */
export function resultsJsonText(doc: ResultsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * A text cell as a spreadsheet will not run it: text starting with =, +, -, @, tab or CR is a formula to Excel and
 * LibreOffice (OWASP "CSV injection"), so it gets a leading apostrophe. Numbers are written as they are.
 */
export function inertCsvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** metrics.csv: one row per (policy, metric), `policy,metric,value,unit`, RFC 4180 (CRLF, quoted where needed). */
export function metricsCsv(result: Pick<ScenarioResult, 'policies'>): string {
  const rows: string[][] = [['policy', 'metric', 'value', 'unit']];
  for (const p of result.policies)
    for (const [metric, value] of Object.entries(p.metrics))
      rows.push([inertCsvText(p.name), metric, String(value), inertCsvText(p.units[metric]!)]);
  return writeCsv(rows);
}

/** series.csv: one row per value of each series, `policy,series,index,value,unit`; undefined when there are none. */
export function seriesCsv(result: Pick<ScenarioResult, 'policies'>): string | undefined {
  if (!result.policies.some((p) => p.series !== undefined)) return undefined;
  const rows: string[][] = [['policy', 'series', 'index', 'value', 'unit']];
  for (const p of result.policies)
    for (const [name, s] of Object.entries(p.series ?? {}))
      s.values.forEach((v, i) =>
        rows.push([inertCsvText(p.name), name, String(i), String(v), inertCsvText(s.unit)]),
      );
  return writeCsv(rows);
}

export interface WrittenFiles {
  readonly results: string;
  readonly metricsCsv: string;
  readonly seriesCsv?: string;
  readonly report: string;
}

export interface WriteOptions {
  readonly versions: Versions;
  /** The scenario file as written, for the report. */
  readonly sourceText?: string;
  /** Its name, for the report. */
  readonly sourceName?: string;
}

/** Writes results.json, metrics.csv, series.csv (when there are series) and report.html into `dir`. */
export function writeScenarioOutputs(
  dir: string,
  result: ScenarioResult,
  options: WriteOptions,
): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const doc = resultsDocument(result, options.versions);
  const files = {
    results: join(dir, 'results.json'),
    metricsCsv: join(dir, 'metrics.csv'),
    report: join(dir, 'report.html'),
  };
  writeFileSync(files.results, resultsJsonText(doc));
  writeFileSync(files.metricsCsv, metricsCsv(result));
  const series = seriesCsv(result);
  let seriesPath: string | undefined = join(dir, 'series.csv');
  if (series !== undefined) writeFileSync(seriesPath, series);
  else {
    rmSync(seriesPath, { force: true }); // not one left from an earlier run into the same folder
    seriesPath = undefined;
  }
  writeFileSync(
    files.report,
    renderReport(doc, {
      ...(options.sourceText === undefined ? {} : { sourceText: options.sourceText }),
      ...(options.sourceName === undefined ? {} : { sourceName: options.sourceName }),
    }),
  );
  return { ...files, ...(seriesPath === undefined ? {} : { seriesCsv: seriesPath }) };
}

/** The default output folder's name for a scenario: its name with anything but letters, digits, `.`, `_`, `-` as `-`. */
export function outputFolderName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '');
  return safe === '' ? 'scenario' : safe;
}
