import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliDeps } from '../../src/cli/program.js';
import { fakeKind, kindsWith } from '../scenario/fake-kind.js';

const deps: CliDeps = { scenarioKinds: kindsWith(fakeKind({ series: true })) };

async function cli(
  argv: string[],
  d: CliDeps = deps,
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, d);
  return { code, out, err };
}

const SCENARIO = `# A scenario for the CLI tests
name: cli-check
kind: interpan-window
seed: cli
durationDays: 365
fleet: { premises: 1000 }
policies:
  - name: today
  - name: lifted
    policy: { interPanWindowMinutes: null }
    fleet: { premises: 5000 }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'run-cli-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('smets-twin run', () => {
  it('runs a scenario, prints the summary and the files written, progress on stderr', async () => {
    const dir = scratch({ 's.yaml': SCENARIO });
    const out = join(dir, 'out');
    const r = await cli(['run', join(dir, 's.yaml'), '--out', out, '--premises', '4', '--days', '2']);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['metrics.csv', 'report.html', 'results.json', 'series.csv']);
    expect(r.out[0]).toBe('cli-check: interpan-window, seed "cli", 4 premises, 2 days');
    expect(r.out).toContainEqual(expect.stringMatching(/^metric\s+unit\s+today\s+lifted$/));
    expect(r.out.some((l) => /^openHoursPerHubYear\s+hours per hub-year\s+[\d.,]+\s+8,760$/.test(l))).toBe(
      true,
    );
    expect(r.out.slice(-4)).toEqual(
      ['report.html', 'results.json', 'metrics.csv', 'series.csv'].map((f) => `wrote ${join(out, f)}`),
    );
    expect(r.err).toHaveLength(3);
    expect(r.err[0]).toMatch(/^\[1\/2\] today: done, [\d,]+ events$/);
    expect(r.err[1]).toMatch(/^\[2\/2\] lifted: done, [\d,]+ events$/);
    expect(r.err[2]).toMatch(/^2 policies, [\d,]+ events in \d+\.\d s$/);
  });

  it('applies --premises (every variant’s) and --days, recorded in results.json with the file’s hash', async () => {
    const dir = scratch({ 's.yaml': SCENARIO });
    const out = join(dir, 'out');
    expect(
      (await cli(['run', join(dir, 's.yaml'), '--out', out, '--premises', '3', '--days', '1.5', '--quiet']))
        .code,
    ).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(json.scenario.fleet.premises).toBe(3);
    expect(json.scenario.durationDays).toBe(1.5);
    expect(json.scenario.policies[1].fleet).toEqual({ premises: 3 });
    expect(json.policies[1].series.openMinutesPerHub.values).toHaveLength(3);
    expect(json.versions.scenarioSha256).toMatch(/^[0-9a-f]{64}$/);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('# A scenario for the CLI tests');
  });

  it('writes the same bytes on a second run', async () => {
    const dir = scratch({
      's.json': JSON.stringify({
        name: 'j',
        kind: 'interpan-window',
        seed: 'x',
        durationDays: 1,
        policies: [{ name: 'a' }, { name: 'b' }],
      }),
    });
    for (const o of ['o1', 'o2'])
      expect((await cli(['run', join(dir, 's.json'), '--out', join(dir, o), '--quiet'])).code).toBe(0);
    for (const f of readdirSync(join(dir, 'o1')))
      expect(readFileSync(join(dir, 'o2', f))).toEqual(readFileSync(join(dir, 'o1', f)));
  });

  it('--quiet prints nothing on stderr', async () => {
    const dir = scratch({ 's.yaml': SCENARIO });
    const r = await cli([
      'run',
      join(dir, 's.yaml'),
      '--out',
      join(dir, 'out'),
      '--premises',
      '2',
      '--quiet',
    ]);
    expect([r.code, r.err]).toEqual([0, []]);
  });

  it('writes to out/<scenario name> by default', async () => {
    const dir = scratch({ 's.yaml': SCENARIO.replace('name: cli-check', 'name: cli check/default') });
    const r = await cli(['run', 's.yaml', '--premises', '2', '--days', '1', '--quiet'], {
      ...deps,
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'out', 'cli-check-default', 'results.json'))).toBe(true);
    expect(r.out).toContain(`wrote ${join('out', 'cli-check-default', 'results.json')}`);
  });

  it('exits 1 with every problem of a bad file, by path, line and column', async () => {
    const dir = scratch({
      'bad.yaml': SCENARIO.replace('seed: cli', 'seed: cli\nfleat: {}').replace(
        'interPanWindowMinutes: null',
        'interPanWindowMinutes: -5',
      ),
      'syntax.yaml': 'name: [unclosed\n',
    });
    const r = await cli(['run', join(dir, 'bad.yaml'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toBe(
      [
        `error: scenario ${join(dir, 'bad.yaml')} is not valid (2 problems):`,
        "  fleat (line 5, column 1): unknown field 'fleat' (did you mean 'fleet'?); the fields here: name, description, kind, seed, durationDays, startIso, fleet, wan, consumption, hhtVisits, attackers, firmware, returns, policies",
        '  policies[1].policy.interPanWindowMinutes (line 11, column 38): at least 0 minutes, got -5',
      ].join('\n'),
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const s = await cli(['run', join(dir, 'syntax.yaml')]);
    expect(s.code).toBe(1);
    expect(s.err[0]).toMatch(/syntax\.yaml is not valid \(1 problem\):\n {2}line 2, column 1: YAML: /);
    const missing = await cli(['run', join(dir, 'none.yaml')]);
    expect([missing.code, missing.err[0]]).toEqual([
      1,
      expect.stringMatching(/cannot read the file: ENOENT/),
    ]);
  });

  it('exits 1 with one line when --out cannot be written (a file is in the way)', async () => {
    const dir = scratch({ 's.yaml': SCENARIO, taken: 'not a folder' });
    const r = await cli(['run', join(dir, 's.yaml'), '--out', join(dir, 'taken'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      expect.stringMatching(new RegExp(`^error: cannot write the results into ${join(dir, 'taken')}: `)),
    ]);
  });

  it('exits 1 for bad options and for a kind this build does not have', async () => {
    const dir = scratch({ 's.yaml': SCENARIO });
    for (const [flag, value] of [
      ['--premises', '0'],
      ['--premises', '2.5'],
      ['--days', '-1'],
      ['--days', 'x'],
    ] as const) {
      const r = await cli(['run', join(dir, 's.yaml'), flag, value]);
      expect([r.code, r.err]).toEqual([1, [expect.stringMatching(new RegExp(`^error: ${flag}: expected`))]]);
    }
    // A build whose registry lacks the kind (every shipped kind is registered in src/scenario/kinds/index.ts).
    const r = await cli(['run', join(dir, 's.yaml'), '--out', join(dir, 'o'), '--quiet'], {
      scenarioKinds: new Map(),
    });
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      "error: scenario kind 'interpan-window' is not available in this build (available: none yet)",
    ]);
  });
});
