// `smets-twin risk score <register.csv> [--bands bands.json] [--json]`: scores a risk register with SECMP0038's
// formula, (Likelihood + capability × motivation) × max(C, I, A), and prints the seed's summary table: per
// deliverable, the total, and the unique risks. A bad register or bands file is one line and exit 2.
// With `--results <results.json> --policy <name> --likelihood <risk>=<metric>…` a risk's likelihood is the one a
// scenario measured under that policy (a yearly rate on the likelihood scale by `--thresholds`), so the register moves
// when the policy does (issue 9 item 3).
import { readFileSync } from 'node:fs';
import { readRegisterCsv } from '../risk/csv.js';
import {
  DEFAULT_RATE_THRESHOLDS,
  likelihoodFromRate,
  summarise,
  withMeasuredLikelihood,
  type RatingCounts,
  type RiskRegister,
} from '../risk/register.js';
import { DEFAULT_BANDS, RATINGS, RiskFileError, parseBands, type RiskBands } from '../risk/score.js';
import type { Io } from './io.js';

export interface RiskScoreOptions {
  readonly bands?: string;
  readonly json?: boolean;
  readonly results?: string;
  readonly policy?: string;
  readonly likelihood?: readonly string[];
  readonly thresholds?: string;
}

/** A likelihood taken from a scenario's figure: which risk, which metric, its value and the likelihood it gives. */
export interface MeasuredLikelihood {
  readonly risk: string;
  readonly metric: string;
  readonly policy: string;
  readonly value: number;
  readonly likelihood: number;
}

interface ResultsPolicies {
  readonly policies: readonly { readonly name: string; readonly metrics: Readonly<Record<string, number>> }[];
}

function parseThresholds(text: string | undefined): readonly number[] {
  if (text === undefined) return DEFAULT_RATE_THRESHOLDS;
  const values = text.split(',').map((t) => (t.trim() === '' ? NaN : Number(t)));
  if (values.some((v) => !Number.isFinite(v)))
    throw new RiskFileError(`--thresholds: expected numbers separated by commas, got ${text}`);
  return values;
}

/** The register with the likelihoods `--likelihood` takes from `--results` under `--policy`. */
function measuredLikelihoods(
  register: RiskRegister,
  opts: RiskScoreOptions,
): { register: RiskRegister; measured: MeasuredLikelihood[] } {
  const links = opts.likelihood ?? [];
  if (links.length === 0 && opts.results === undefined) return { register, measured: [] };
  if (opts.results === undefined || opts.policy === undefined || links.length === 0)
    throw new RiskFileError('--results, --policy and --likelihood go together');
  const text = readText(opts.results);
  if (text instanceof RiskFileError) throw text;
  let results: ResultsPolicies;
  try {
    results = JSON.parse(text) as ResultsPolicies;
    if (!Array.isArray(results.policies)) throw new Error('no policies array');
  } catch (e) {
    throw new RiskFileError(`not a scenario's results.json: ${(e as Error).message}`, {
      source: opts.results,
    });
  }
  const policy = results.policies.find((p) => p.name === opts.policy);
  if (policy === undefined)
    throw new RiskFileError(
      `no policy '${opts.policy}' (the policies: ${results.policies.map((p) => p.name).join(', ')})`,
      { source: opts.results },
    );
  const thresholds = parseThresholds(opts.thresholds);
  const measured: MeasuredLikelihood[] = [];
  let scored = register;
  for (const link of links) {
    const eq = link.indexOf('=');
    if (eq <= 0 || eq === link.length - 1)
      throw new RiskFileError(`--likelihood ${link}: expected <risk id or name>=<metric>`);
    const risk = link.slice(0, eq);
    const metric = link.slice(eq + 1);
    const value = policy.metrics[metric];
    if (typeof value !== 'number')
      throw new RiskFileError(`policy '${policy.name}' has no metric '${metric}'`, { source: opts.results });
    try {
      const likelihood = likelihoodFromRate(value, thresholds);
      scored = withMeasuredLikelihood(scored, risk, likelihood);
      measured.push({ risk, metric, policy: policy.name, value, likelihood });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new RiskFileError(`--likelihood ${link}: ${e.message}`);
    }
  }
  return { register: scored, measured };
}

function readText(path: string): string | RiskFileError {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return new RiskFileError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      source: path,
    });
  }
}

export function riskScoreCommand(io: Io, registerPath: string, opts: RiskScoreOptions): number {
  try {
    let bands: RiskBands = DEFAULT_BANDS;
    if (opts.bands !== undefined) {
      const text = readText(opts.bands);
      if (text instanceof RiskFileError) throw text;
      bands = parseBands(text, opts.bands);
    }
    const text = readText(registerPath);
    if (text instanceof RiskFileError) throw text;
    const { register, measured } = measuredLikelihoods(readRegisterCsv(text, { source: registerPath }), opts);
    const summary = summarise(register, bands);
    if (opts.json) {
      io.out(JSON.stringify(measured.length === 0 ? summary : { ...summary, measured }));
      return 0;
    }
    for (const m of measured)
      io.out(`likelihood ${m.likelihood} for ${m.risk}: ${m.metric} = ${m.value} under policy '${m.policy}'`);
    const columns = ['total', ...RATINGS] as const;
    const rows: [string, RatingCounts][] = [
      ...summary.deliverables.map((d): [string, RatingCounts] => [d.name, d]),
      ['Total', summary.total],
      ['Unique Risks', summary.unique],
    ];
    const nameWidth = Math.max('deliverable'.length, ...rows.map(([name]) => name.length));
    const line = (name: string, cells: readonly string[]) =>
      [name.padEnd(nameWidth), ...cells.map((c, k) => c.padStart(columns[k]!.length))].join('  ');
    io.out(line('deliverable', columns));
    for (const [name, counts] of rows)
      io.out(
        line(
          name,
          columns.map((c) => String(counts[c])),
        ),
      );
    return 0;
  } catch (e) {
    if (!(e instanceof RiskFileError)) throw e;
    io.err(`error: ${e.message}`);
    return 2;
  }
}
