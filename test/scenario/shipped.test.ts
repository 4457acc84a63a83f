// The four shipped scenarios (issue 9 item 2), as a user runs them: `smets-twin run scenarios/<name>.yaml`, here made
// small with --premises/--days. Each file is valid against the schema, names a registered kind and compares today's
// policy with the proposal; each run writes results.json with a `policies` array of { name, policy, metrics } carrying
// every documented metric, byte-identical on a second run; each report draws its charts in headless Chromium.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { DEFAULT_POLICY } from '../../src/policy.js';
import { SCENARIO_KINDS } from '../../src/scenario/kinds/index.js';
import type { ResultsDocument } from '../../src/scenario/run.js';
import { loadScenarioFile } from '../../src/scenario/schema.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM)
  console.warn(
    `shipped scenario reports not opened in a browser: no chromium at ${CHROMIUM} (install Debian's chromium with scripts/install-test-tools.sh, or set CHROMIUM_PATH)`,
  );

/** Each shipped scenario, the size it runs at here, and the policy rule its proposal changes from today's. */
const SHIPPED = [
  { name: 'no-wan-prepayment', premises: 30, days: 45, rule: 'ppmidTunnel' },
  { name: 'interpan-window', premises: 30, days: 30, rule: 'interPanWindowMinutes' },
  { name: 'ppmid-firmware-campaign', premises: 12, days: 1, rule: 'firmwareConsumerRefusal' },
  { name: 'triage-reuse', premises: 4, days: 1, rule: 'triage' },
] as const;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(file: string, out: string, premises: number, days: number): Promise<ResultsDocument> {
  const err: string[] = [];
  const code = await runCli(
    ['run', file, '--out', out, '--premises', String(premises), '--days', String(days), '--quiet'],
    { out: () => {}, err: (l) => err.push(l) },
  );
  expect(err).toEqual([]);
  expect(code).toBe(0);
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsDocument;
}

describe('the shipped scenarios', () => {
  it.each(SHIPPED)('$name runs from its file, deterministically, with every documented metric', async (s) => {
    const file = join('scenarios', `${s.name}.yaml`);
    const { scenario } = loadScenarioFile(file);
    expect(scenario.kind).toBe(s.name);
    expect(SCENARIO_KINDS.has(scenario.kind)).toBe(true);
    // Today's rule and the proposal's are both among the policies compared.
    const rules = scenario.policies.map((p) =>
      s.rule in p.policy ? p.policy[s.rule] : DEFAULT_POLICY[s.rule],
    );
    expect(rules).toContain(DEFAULT_POLICY[s.rule]);
    expect(new Set(rules.map((r) => JSON.stringify(r))).size).toBeGreaterThan(1);

    const dir = mkdtempSync(join(tmpdir(), `shipped-${s.name}-`));
    dirs.push(dir);
    const first = await run(file, join(dir, 'a'), s.premises, s.days);
    await run(file, join(dir, 'b'), s.premises, s.days);
    expect(readFileSync(join(dir, 'b', 'results.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'a', 'results.json'), 'utf8'),
    );
    expect(first.policies.map((p) => p.name)).toEqual(scenario.policies.map((p) => p.name));
    const kind = SCENARIO_KINDS.get(scenario.kind)!;
    const documented = Object.keys(kind.metricDocs);
    // Some variant measures most of what the kind documents; a variant with little behind it (a campaign the DCC
    // refused: no delivery, no transfer) still reports its counts.
    expect(Math.max(...first.policies.map((p) => Object.keys(p.metrics).length))).toBeGreaterThan(
      documented.length / 2,
    );
    for (const p of first.policies) {
      // Every metric the kind documents, in its order; one it could not measure (nothing behind it) is absent.
      expect(Object.keys(p.metrics)).toEqual(documented.filter((m) => m in p.metrics));
      expect(Object.keys(p.metrics).length).toBeGreaterThan(documented.length / 4);
      for (const v of Object.values(p.metrics)) expect(Number.isFinite(v)).toBe(true);
      expect(p.policy).toMatchObject({
        ...DEFAULT_POLICY,
        ...scenario.policies.find((v) => v.name === p.name)!.policy,
      });
    }
  });

  it("are documented in the README: every kind's metric names, each with its meaning", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).not.toMatch(/^[A-Z][A-Z_]+$/m); // no placeholder left where a figure belongs
    for (const kind of SCENARIO_KINDS.values()) {
      expect(readme).toContain(`scenarios/${kind.name}.yaml`);
      for (const metric of Object.keys(kind.metricDocs)) expect(readme).toContain(`- \`${metric}\` (`);
    }
  });

  it.skipIf(!HAVE_CHROMIUM)(
    'draw their reports in headless Chromium, every bar carrying its figure',
    async () => {
      const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: asRoot ? ['--no-sandbox'] : [],
      });
      try {
        for (const s of SHIPPED) {
          const dir = mkdtempSync(join(tmpdir(), `shipped-report-${s.name}-`));
          dirs.push(dir);
          const results = await run(join('scenarios', `${s.name}.yaml`), dir, s.premises, s.days);
          const page = await browser.newPage();
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          page.on('console', (m) => {
            if (m.type() === 'error') errors.push(m.text());
          });
          await page.goto(pathToFileURL(join(dir, 'report.html')).href);
          await page.waitForSelector('body[data-charts-drawn="true"]');
          for (const metric of Object.keys(results.metricDocs)) {
            const values = await page.$$eval(
              `svg.chart.bar-chart[data-metric="${metric}"] rect[data-policy]`,
              (rects) => rects.map((r) => Number(r.getAttribute('data-value'))),
            );
            expect(values).toEqual(
              results.policies.filter((p) => metric in p.metrics).map((p) => p.metrics[metric]),
            );
          }
          expect(errors).toEqual([]);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    },
  );
});
