// `smets-twin run <scenario> [--out dir] [--premises N] [--days N] [--quiet]`: runs a scenario file (YAML or JSON) and
// writes results.json, metrics.csv (series.csv when the kind gives distributions) and report.html into the output
// folder (default out/<scenario name>). Progress goes to stderr: a bar when stderr is a terminal, else one line per
// policy variant; --quiet drops it. stdout gets a summary table and the paths written. A bad scenario file, a bad
// option or a kind this build does not have is one message and exit 1.
import { join, relative, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { ScenarioKind, ScenarioKindName } from '../scenario/model.js';
import {
  ScenarioRunError,
  currentVersions,
  outputFolderName,
  runScenario,
  writeScenarioOutputs,
  type RunProgress,
  type ScenarioResult,
} from '../scenario/run.js';
import { formatNumber } from '../scenario/report.js';
import {
  ScenarioError,
  loadScenarioFile,
  withOverrides,
  type ScenarioOverrides,
} from '../scenario/schema.js';
import { wallClockMillis } from './clock.js';
import type { Io } from './io.js';

export interface RunCommandOptions {
  readonly out?: string;
  readonly premises?: string;
  readonly days?: string;
  readonly quiet?: boolean;
}

function parseOverrides(opts: RunCommandOptions): ScenarioOverrides | string {
  const out: { premises?: number; durationDays?: number } = {};
  if (opts.premises !== undefined) {
    const n = Number(opts.premises);
    if (!/^\s*\d+\s*$/.test(opts.premises) || !Number.isSafeInteger(n) || n < 1)
      return `--premises: expected a whole number of premises, at least 1, got ${JSON.stringify(opts.premises)}`;
    out.premises = n;
  }
  if (opts.days !== undefined) {
    const n = Number(opts.days);
    if (opts.days.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 36_600)
      return `--days: expected a number of days above 0 (at most 36600), got ${JSON.stringify(opts.days)}`;
    out.durationDays = n;
  }
  return out;
}

/** Progress on stderr: a cli-progress bar on a terminal, else a line as each variant finishes. */
function progressReporter(
  io: Io,
  quiet: boolean,
): { onProgress: (p: RunProgress) => void; stop: () => void } {
  if (quiet) return { onProgress: () => undefined, stop: () => undefined };
  const terminal = io.errTerminal;
  if (terminal === undefined)
    return {
      onProgress: (p) => {
        if (p.finished)
          io.err(`[${p.index + 1}/${p.variants}] ${p.variant}: done, ${formatNumber(p.events ?? 0)} events`);
      },
      stop: () => undefined,
    };
  const bar = new SingleBar({
    stream: terminal,
    format: ' {bar} {percentage}% | policy {index}/{variants} {variant}',
    barsize: 30,
    hideCursor: true,
    clearOnComplete: false,
  });
  let started = false;
  let current = -1;
  return {
    onProgress: (p) => {
      const payload = { index: p.index + 1, variants: p.variants, variant: p.variant };
      const total = Math.max(1, p.total);
      if (!started) {
        bar.start(total, 0, payload);
        started = true;
      }
      if (p.index !== current) {
        current = p.index;
        bar.setTotal(total);
      } else if (p.total > 0) bar.setTotal(total);
      bar.update(p.finished ? total : Math.min(p.done, total), payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function summaryTable(result: ScenarioResult): string[] {
  const names = result.policies.map((p) => p.name);
  const metrics = Object.keys(result.metricDocs).filter((m) => result.policies.some((p) => m in p.metrics));
  const unitOf = (m: string) => result.policies.find((p) => m in p.units)?.units[m] ?? '';
  const rows = [
    ['metric', 'unit', ...names],
    ...metrics.map((m) => [
      m,
      unitOf(m),
      ...result.policies.map((p) => (p.metrics[m] === undefined ? '—' : formatNumber(p.metrics[m]))),
    ]),
  ];
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  return rows.map((r) =>
    r
      .map((cell, k) => (k < 2 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!)))
      .join('  ')
      .trimEnd(),
  );
}

export interface RunCommandEnv {
  readonly kinds: ReadonlyMap<ScenarioKindName, ScenarioKind>;
  /** Relative paths (the scenario, --out, the default out/) are taken from here. */
  readonly cwd: string;
}

export async function runScenarioCommand(
  io: Io,
  file: string,
  opts: RunCommandOptions,
  env: RunCommandEnv,
): Promise<number> {
  const { kinds, cwd } = env;
  const overrides = parseOverrides(opts);
  if (typeof overrides === 'string') {
    io.err(`error: ${overrides}`);
    return 1;
  }
  let loaded;
  try {
    loaded = loadScenarioFile(resolve(cwd, file), file);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    io.err(`error: ${e.message}`);
    return 1;
  }
  const scenario = withOverrides(loaded.scenario, overrides);
  const outDir = resolve(cwd, opts.out ?? join('out', outputFolderName(scenario.name)));
  const started = wallClockMillis();
  const progress = progressReporter(io, opts.quiet === true);
  let result: ScenarioResult;
  try {
    result = await runScenario(scenario, kinds, { onProgress: progress.onProgress });
  } catch (e) {
    if (!(e instanceof ScenarioRunError)) throw e;
    io.err(`error: ${e.message}`);
    return 1;
  } finally {
    progress.stop();
  }
  let written;
  try {
    written = writeScenarioOutputs(outDir, result, {
      versions: currentVersions(loaded.sha256),
      sourceText: loaded.text,
      sourceName: file,
    });
  } catch (e) {
    // An --out that is a file, or a folder we may not write: one line, exit 1 (the run's figures are lost with it).
    io.err(`error: cannot write the results into ${outDir}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const seconds = Number(wallClockMillis() - started) / 1000;
  const s = result.scenario;
  io.out(
    `${s.name}: ${s.kind}, seed ${JSON.stringify(s.seed)}, ${formatNumber(s.fleet.premises)} premises, ${formatNumber(s.durationDays)} days`,
  );
  io.out(result.question);
  io.out('');
  for (const line of summaryTable(result)) io.out(line);
  io.out('');
  const shown = (p: string) => {
    const r = relative(cwd, p);
    return r === '' || r.startsWith('..') ? p : r;
  };
  for (const path of [written.report, written.results, written.metricsCsv, written.seriesCsv])
    if (path !== undefined) io.out(`wrote ${shown(path)}`);
  if (opts.quiet !== true)
    io.err(
      `${result.policies.length} ${result.policies.length === 1 ? 'policy' : 'policies'}, ${formatNumber(result.events)} events in ${seconds.toFixed(1)} s`,
    );
  return 0;
}
