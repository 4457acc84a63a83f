import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/risk/csv.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { SCENARIO_KINDS } from '../../src/scenario/kinds/index.js';
import {
  ScenarioRunError,
  currentVersions,
  inertCsvText,
  metricsCsv,
  outputFolderName,
  resultsDocument,
  runScenario,
  seriesCsv,
  smetsTwinVersion,
  writeScenarioOutputs,
  type RunProgress,
} from '../../src/scenario/run.js';
import { parseScenarioText } from '../../src/scenario/schema.js';
import { FAKE_QUESTION, fakeKind, kindsWith } from './fake-kind.js';

const TEXT = `name: fake run
kind: interpan-window
seed: run-seed
durationDays: 10
fleet: { premises: 25 }
policies:
  - name: today
  - name: lifted
    policy: { interPanWindowMinutes: null }
    fleet: { dualBandShare: 1 }
  - name: 'a, "quoted" name'
    policy: { ppmidTunnel: subset, ppmidTunnelUseCases: [CS01a] }
    routes: [wan, ppmid-tunnel]
`;
const scenario = parseScenarioText(TEXT, 'yaml', 'fake.yaml');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'scenario-run-'));
  dirs.push(d);
  return d;
}

describe('runScenario', () => {
  it('measures each variant once, in the file’s order, reporting progress', async () => {
    const calls: string[] = [];
    const progress: RunProgress[] = [];
    const result = await runScenario(scenario, kindsWith(fakeKind({ calls, steps: 2 })), {
      onProgress: (p) => progress.push(p),
    });
    expect(calls).toEqual(['today', 'lifted', 'a, "quoted" name']);
    expect(result.policies.map((p) => p.name)).toEqual(calls);
    expect(progress.map((p) => [p.index, p.done, p.total, p.finished])).toEqual([
      [0, 0, 0, false],
      [0, 1, 2, false],
      [0, 2, 2, false],
      [0, 2, 2, true],
      [1, 0, 0, false],
      [1, 1, 2, false],
      [1, 2, 2, false],
      [1, 2, 2, true],
      [2, 0, 0, false],
      [2, 1, 2, false],
      [2, 2, 2, false],
      [2, 2, 2, true],
    ]);
    expect(progress.every((p) => p.variants === 3)).toBe(true);
    const ends = progress.filter((p) => p.finished);
    expect(ends.map((p) => p.variant)).toEqual(calls);
    expect(ends.map((p) => p.events)).toEqual(result.policies.map((p) => p.events));
    expect(result.events).toBe(result.policies.reduce((s, p) => s + p.events, 0));
    expect(result.question).toBe(FAKE_QUESTION);
  });

  it('records each policy resolved over today’s, with its routes and fleet changes; metrics as numbers with units', async () => {
    const result = await runScenario(scenario, kindsWith(fakeKind()));
    const [today, lifted, third] = result.policies;
    expect(today!.policy).toEqual({ ...DEFAULT_POLICY, routes: ['wan'], fleet: {} });
    expect(lifted!.policy).toEqual({
      ...DEFAULT_POLICY,
      interPanWindowMinutes: null,
      routes: ['wan'],
      fleet: { dualBandShare: 1 },
    });
    expect(third!.policy).toEqual({
      ...DEFAULT_POLICY,
      ppmidTunnel: 'subset',
      ppmidTunnelUseCases: ['CS01a'],
      routes: ['wan', 'ppmid-tunnel'],
      fleet: {},
    });
    expect(Object.keys(lifted!.metrics)).toEqual([
      'openHoursPerHubYear',
      'refusedFramesPerHubYear',
      'changeShare',
    ]);
    expect(lifted!.metrics['openHoursPerHubYear']).toBe(8760);
    expect(lifted!.units['openHoursPerHubYear']).toBe('hours per hub-year');
    expect(today!.series).toBeUndefined();
  });

  it('names the kinds available when the scenario’s kind is not registered', async () => {
    await expect(runScenario(scenario, new Map())).rejects.toThrow(
      "scenario kind 'interpan-window' is not available in this build (available: none yet)",
    );
    await expect(runScenario(scenario, kindsWith(fakeKind({ name: 'triage-reuse' })))).rejects.toThrow(
      /not available in this build \(available: 'triage-reuse'\)/,
    );
    // Every kind a scenario file may name is registered in this build.
    expect([...SCENARIO_KINDS.keys()].sort()).toEqual([
      'interpan-window',
      'no-wan-prepayment',
      'ppmid-firmware-campaign',
      'triage-reuse',
    ]);
  });

  it('refuses a kind’s undocumented metric and non-finite figures', async () => {
    const undocumented = fakeKind({
      tamper: (m) => ({ ...m, metrics: { ...m.metrics, surprise: { value: 1, unit: 'x' } } }),
    });
    await expect(runScenario(scenario, kindsWith(undocumented))).rejects.toThrow(
      /policy 'today': metric 'surprise' is not documented/,
    );
    const infinite = fakeKind({
      tamper: (m, v) =>
        v.name === 'lifted'
          ? { ...m, metrics: { ...m.metrics, changeShare: { value: Infinity, unit: 's' } } }
          : m,
    });
    await expect(runScenario(scenario, kindsWith(infinite))).rejects.toThrow(
      /policy 'lifted': metric 'changeShare' is Infinity, not a finite number/,
    );
    const nanSeries = fakeKind({
      series: true,
      tamper: (m) => ({ ...m, series: { s: { unit: 'u', values: [1, NaN] } } }),
    });
    await expect(runScenario(scenario, kindsWith(nanSeries))).rejects.toThrow(/series 's'\[1\] is NaN/);
  });

  it('turns a kind refusing what the schema accepted into one ScenarioRunError naming the kind and the policy', async () => {
    const picky = fakeKind({
      tamper: (m, v) => {
        if (v.name === 'lifted') throw new RangeError('firmware.target ESME is not a PPMID');
        return m;
      },
    });
    const refused = runScenario(scenario, kindsWith(picky));
    await expect(refused).rejects.toThrow(ScenarioRunError);
    await expect(refused).rejects.toThrow(
      "kind 'interpan-window', policy 'lifted': firmware.target ESME is not a PPMID",
    );
  });

  it('leaves out a metric the kind could not measure for a policy (the report shows —), rather than a 0', async () => {
    const partial = fakeKind({
      tamper: (m, v) => {
        if (v.name !== 'lifted') return m;
        const { changeShare: _absent, ...rest } = m.metrics;
        return { ...m, metrics: rest };
      },
    });
    const result = await runScenario(scenario, kindsWith(partial));
    const lifted = result.policies.find((p) => p.name === 'lifted')!;
    expect(Object.keys(lifted.metrics)).toEqual(['openHoursPerHubYear', 'refusedFramesPerHubYear']);
    expect(metricsCsv(result)).not.toMatch(/^lifted,changeShare/m);
  });
});

describe('what a run writes', () => {
  it('is byte-identical for the same scenario: results.json, metrics.csv, series.csv, report.html', async () => {
    const a = tempDir();
    const b = tempDir();
    for (const dir of [a, b]) {
      const result = await runScenario(scenario, kindsWith(fakeKind({ series: true })));
      writeScenarioOutputs(dir, result, {
        versions: currentVersions('f00d'),
        sourceText: TEXT,
        sourceName: 'fake.yaml',
      });
    }
    expect(readdirSync(a).sort()).toEqual(['metrics.csv', 'report.html', 'results.json', 'series.csv']);
    for (const name of readdirSync(a))
      expect(readFileSync(join(b, name))).toEqual(readFileSync(join(a, name)));
  });

  it('results.json holds the scenario with its defaults, the versions and a policies array of {name, policy, metrics}', async () => {
    const dir = tempDir();
    const result = await runScenario(scenario, kindsWith(fakeKind({ series: true })));
    const files = writeScenarioOutputs(dir, result, { versions: currentVersions('abc123') });
    const json = JSON.parse(readFileSync(files.results, 'utf8'));
    expect(Object.keys(json)).toEqual([
      'scenario',
      'versions',
      'question',
      'metricDocs',
      'policies',
      'events',
    ]);
    expect(json.scenario).toEqual(JSON.parse(JSON.stringify(scenario)));
    expect(json.versions).toEqual({
      smetsTwin: smetsTwinVersion(),
      node: process.version,
      scenarioSha256: 'abc123',
    });
    expect(smetsTwinVersion()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(json.policies[1]).toMatchObject({
      name: 'lifted',
      policy: {
        interPanWindowMinutes: null,
        hhtCommandValidityHours: 18,
        routes: ['wan'],
        fleet: { dualBandShare: 1 },
      },
      metrics: { openHoursPerHubYear: 8760 },
      units: { openHoursPerHubYear: 'hours per hub-year' },
      series: { openMinutesPerHub: { unit: 'minutes' } },
    });
    expect(json.policies[1].series.openMinutesPerHub.values).toHaveLength(25);
    expect(json).toEqual(JSON.parse(JSON.stringify(resultsDocument(result, currentVersions('abc123')))));
    // No wall-clock time anywhere.
    expect(readFileSync(files.results, 'utf8')).not.toMatch(/20\d\d-\d\d-\d\dT(?!00:00:00Z)/);
  });

  it('metrics.csv has one row per (policy, metric): policy,metric,value,unit, RFC 4180 quoted', async () => {
    const result = await runScenario(scenario, kindsWith(fakeKind()));
    const csv = metricsCsv(result);
    expect(csv.split('\r\n')[0]).toBe('policy,metric,value,unit');
    expect(csv).toContain('\r\n"a, ""quoted"" name",openHoursPerHubYear,');
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(1 + 3 * 3);
    for (const [policy, metric, value, unit] of rows.slice(1)) {
      const p = result.policies.find((x) => x.name === policy)!;
      expect(Number(value)).toBe(p.metrics[metric!]);
      expect(unit).toBe(p.units[metric!]);
    }
    expect(seriesCsv(result)).toBeUndefined();
  });

  it('writes text a spreadsheet would run as a formula (=, +, -, @) inert, numbers as they are', () => {
    expect(inertCsvText('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    for (const t of ['+1', '-cmd', '@SUM(A1)', '\tx']) expect(inertCsvText(t)).toBe(`'${t}`);
    expect(inertCsvText('today')).toBe('today');
    const csv = metricsCsv({
      policies: [
        { name: '=evil()', policy: {} as never, metrics: { m: -1.5 }, units: { m: '-units' }, events: 0 },
      ],
    });
    expect(parseCsv(csv)[1]).toEqual(["'=evil()", 'm', '-1.5', "'-units"]);
  });

  it('series.csv has a row per value; a later run without series removes an old one', async () => {
    const dir = tempDir();
    const withSeries = await runScenario(scenario, kindsWith(fakeKind({ series: true })));
    const rows = parseCsv(seriesCsv(withSeries)!);
    expect(rows[0]).toEqual(['policy', 'series', 'index', 'value', 'unit']);
    expect(rows).toHaveLength(1 + 3 * 25);
    expect(writeScenarioOutputs(dir, withSeries, { versions: currentVersions(null) }).seriesCsv).toBe(
      join(dir, 'series.csv'),
    );
    const without = await runScenario(scenario, kindsWith(fakeKind()));
    expect(writeScenarioOutputs(dir, without, { versions: currentVersions(null) }).seriesCsv).toBeUndefined();
    expect(existsSync(join(dir, 'series.csv'))).toBe(false);
  });

  it('names the default output folder after the scenario, safely', () => {
    expect(outputFolderName('no-wan-prepayment')).toBe('no-wan-prepayment');
    expect(outputFolderName('../../etc/passwd')).toBe('-..-etc-passwd');
    expect(outputFolderName('A b/c')).toBe('A-b-c');
    expect(outputFolderName('..')).toBe('scenario');
  });
});
