import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

// The fixture's scores are invented (the seed publishes only its summary table), chosen so that the default bands
// reproduce that table exactly.
const FIXTURE = fileURLToPath(new URL('../fixtures/risk/secmp0038-register.csv', import.meta.url));
const HEADER = 'id,deliverable,risk,likelihood,capability,motivation,confidentiality,integrity,availability';

interface Counts {
  total: number;
  critical: number;
  high: number;
  moderate: number;
  low: number;
  negligible: number;
}
interface ScoreJson {
  risks: { id: string; score: number; rating: string }[];
  deliverables: (Counts & { name: string })[];
  total: Counts;
  unique: Counts;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'risk-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('smets-twin risk score', () => {
  it("prints the seed's SECMP0038 table for the fixture", async () => {
    const r = await cli('risk', 'score', FIXTURE);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'deliverable    total  critical  high  moderate  low  negligible',
      'Deliverable 1     30         0     6         8   16           0',
      'Deliverable 2     23         0     6         8    9           0',
      'Deliverable 3     34         0     7         8   18           1',
      'Deliverable 4     11         0     3         4    4           0',
      'Total             98         0    22        28   47           1',
      'Unique Risks      46         0     8        13   24           1',
    ]);
  });

  it("reproduces the seed's table exactly as JSON", async () => {
    const r = await cli('risk', 'score', FIXTURE, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out.join('\n')) as ScoreJson;
    expect(Object.keys(s)).toEqual(['risks', 'deliverables', 'total', 'unique']);
    expect(s.deliverables).toEqual([
      { name: 'Deliverable 1', total: 30, critical: 0, high: 6, moderate: 8, low: 16, negligible: 0 },
      { name: 'Deliverable 2', total: 23, critical: 0, high: 6, moderate: 8, low: 9, negligible: 0 },
      { name: 'Deliverable 3', total: 34, critical: 0, high: 7, moderate: 8, low: 18, negligible: 1 },
      { name: 'Deliverable 4', total: 11, critical: 0, high: 3, moderate: 4, low: 4, negligible: 0 },
    ]);
    expect(s.total).toEqual({ total: 98, critical: 0, high: 22, moderate: 28, low: 47, negligible: 1 });
    expect(s.unique).toEqual({ total: 46, critical: 0, high: 8, moderate: 13, low: 24, negligible: 1 });
    expect(s.risks).toHaveLength(98);
    expect(s.risks[0]).toEqual({ id: 'D1-01', score: 60, rating: 'high' });
  });

  it('rates with --bands', async () => {
    const dir = scratch({
      'r.csv': `${HEADER}\r\nr1,D1,Sniffing,3,4,5,2,5,3\r\n`, // (3 + 20) × 5 = 115
      'bands.json': '{"critical":120,"high":80,"moderate":40,"low":20}',
    });
    const dflt = JSON.parse((await cli('risk', 'score', join(dir, 'r.csv'), '--json')).out[0]!) as ScoreJson;
    expect(dflt.risks).toEqual([{ id: 'r1', score: 115, rating: 'critical' }]);
    const r = await cli('risk', 'score', join(dir, 'r.csv'), '--bands', join(dir, 'bands.json'), '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out[0]!) as ScoreJson).risks).toEqual([{ id: 'r1', score: 115, rating: 'high' }]);
  });

  it('exits 2 with one line naming row and column for a bad register', async () => {
    const dir = scratch({ 'bad.csv': `${HEADER}\nr1,D1,A,3,4,5,2,5,3\nr2,D1,B,3,4,5,2,five,3\n` });
    const r = await cli('risk', 'score', join(dir, 'bad.csv'));
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/bad\.csv, row 3, column "integrity": expected an integer, got "five"$/);
  });

  it('exits 2 for bad bands, an empty file and a missing file', async () => {
    const dir = scratch({
      'r.csv': `${HEADER}\n`,
      'empty.csv': '',
      'bands.json': '{"critical":10,"high":60,"moderate":30,"low":5}',
    });
    const bands = await cli('risk', 'score', join(dir, 'r.csv'), '--bands', join(dir, 'bands.json'));
    expect([bands.code, bands.err.length]).toEqual([2, 1]);
    expect(bands.err[0]).toMatch(/column "high": must be below critical/);
    const empty = await cli('risk', 'score', join(dir, 'empty.csv'));
    expect([empty.code, empty.err]).toEqual([2, [expect.stringMatching(/empty file/)]]);
    const missing = await cli('risk', 'score', join(dir, 'nope.csv'));
    expect([missing.code, missing.err]).toEqual([
      2,
      [expect.stringMatching(/nope\.csv: cannot read: ENOENT/)],
    ]);
  });
});

describe('risk score with likelihoods a scenario measured', () => {
  const INTERPAN = fileURLToPath(
    new URL('../fixtures/risk/secmp0037-interpan-register.csv', import.meta.url),
  );
  // Hours a year a hub's Inter-PAN is open: below 1 → 1, from 1 → 2, 10 → 3, 100 → 4, 1,000 → 5 [A for the test].
  const HOURS = '1,10,100,1000';

  it('moves with the policy: the interpan-window run under today’s window and with it lifted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-measured-'));
    dirs.push(dir);
    const run = await runCli(
      ['run', 'scenarios/interpan-window.yaml', '--out', dir, '--premises', '10', '--days', '365', '--quiet'],
      { out: () => {}, err: () => {} },
    );
    expect(run).toBe(0);
    const results = join(dir, 'results.json');
    const score = async (policy: string) => {
      const r = await cli(
        'risk',
        'score',
        INTERPAN,
        '--json',
        '--results',
        results,
        '--policy',
        policy,
        '--likelihood',
        'IP-01=interPanOpenHoursPerHubYear',
        '--thresholds',
        HOURS,
      );
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
      return JSON.parse(r.out[0]!) as ScoreJson & {
        measured: { risk: string; value: number; likelihood: number }[];
      };
    };
    const today = await score('window-60min-single-band');
    const lifted = await score('window-lifted-single-band');
    // (L + 3 × 3) × 4: today's 60-minute window keeps the hub open a little over an hour a year (L 2),
    // the lifted window the whole year (L 5).
    expect(today.measured).toEqual([expect.objectContaining({ risk: 'IP-01', likelihood: 2 })]);
    expect(today.measured[0]!.value).toBeGreaterThanOrEqual(1);
    expect(today.measured[0]!.value).toBeLessThan(10);
    expect(lifted.measured).toEqual([expect.objectContaining({ risk: 'IP-01', likelihood: 5 })]);
    expect(today.risks.find((r) => r.id === 'IP-01')!.score).toBe((2 + 9) * 4);
    expect(lifted.risks.find((r) => r.id === 'IP-01')!.score).toBe((5 + 9) * 4);
    // The risk no figure feeds keeps the register's likelihood.
    expect(lifted.risks.find((r) => r.id === 'IP-02')).toEqual(today.risks.find((r) => r.id === 'IP-02'));
  });

  it('refuses a link it cannot make, in one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-measured-bad-'));
    dirs.push(dir);
    const results = join(dir, 'results.json');
    writeFileSync(results, JSON.stringify({ policies: [{ name: 'p', metrics: { rate: 3 } }] }));
    const base = ['risk', 'score', INTERPAN, '--results', results];
    for (const [args, message] of [
      [['--policy', 'q', '--likelihood', 'IP-01=rate'], /no policy 'q' \(the policies: p\)/],
      [['--policy', 'p', '--likelihood', 'IP-01=nope'], /policy 'p' has no metric 'nope'/],
      [['--policy', 'p', '--likelihood', 'IP-09=rate'], /no risk with id or name "IP-09"/],
      [['--policy', 'p', '--likelihood', 'IP-01'], /expected <risk id or name>=<metric>/],
      [['--policy', 'p', '--likelihood', 'IP-01=rate', '--thresholds', '1,2'], /expected 4 thresholds/],
      [['--likelihood', 'IP-01=rate'], /--results, --policy and --likelihood go together/],
    ] as const) {
      const r = await cli(...base, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([expect.stringMatching(message)]);
    }
  });
});
