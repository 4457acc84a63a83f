// `smets-twin risk score <register.csv> [--bands bands.json] [--json]`: scores a risk register with SECMP0038's
// formula, (Likelihood + capability × motivation) × max(C, I, A), and prints the seed's summary table: per
// deliverable, the total, and the unique risks. A bad register or bands file is one line and exit 2.
import { readFileSync } from 'node:fs';
import { readRegisterCsv } from '../risk/csv.js';
import { summarise, type RatingCounts } from '../risk/register.js';
import { DEFAULT_BANDS, RATINGS, RiskFileError, parseBands, type RiskBands } from '../risk/score.js';
import type { Io } from './io.js';

export interface RiskScoreOptions {
  readonly bands?: string;
  readonly json?: boolean;
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
    const summary = summarise(readRegisterCsv(text, { source: registerPath }), bands);
    if (opts.json) {
      io.out(JSON.stringify(summary));
      return 0;
    }
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
