// report.html in a real browser: Debian's chromium (scripts/install-test-tools.sh installs it) through playwright-core.
// The page must draw every chart from its embedded results, with bars carrying the figures of results.json, and log
// no error. Where chromium is not installed the test is skipped, saying why.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  currentVersions,
  runScenario,
  writeScenarioOutputs,
  type ResultsDocument,
} from '../../src/scenario/run.js';
import { parseScenarioText } from '../../src/scenario/schema.js';
import { fakeKind, kindsWith } from './fake-kind.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM)
  console.warn(
    `report browser test skipped: no chromium at ${CHROMIUM} (install Debian's chromium with scripts/install-test-tools.sh, or set CHROMIUM_PATH)`,
  );

const TEXT = `name: 'browser </script><b>check</b>'
description: The report drawn in Chromium.
kind: interpan-window
seed: browser-seed
durationDays: 5
fleet: { premises: 60 }
policies:
  - name: today
  - name: '<i>lifted</i>'
    policy: { interPanWindowMinutes: null }
  - name: 'dual-band, "lifted"'
    policy: { interPanWindowMinutes: null }
    fleet: { dualBandShare: 1 }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface DrawnBar {
  policy: string | null;
  value: string | null;
}
interface DrawnHistogram {
  series: string | null;
  bars: { policy: string | null; count: number; from: number; to: number }[];
}

describe('report.html in headless Chromium', () => {
  it.skipIf(!HAVE_CHROMIUM)(
    'draws every chart from the embedded results, takes a screenshot, logs no error',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'scenario-report-'));
      dirs.push(dir);
      const result = await runScenario(
        parseScenarioText(TEXT, 'yaml'),
        kindsWith(fakeKind({ series: true })),
      );
      const files = writeScenarioOutputs(dir, result, { versions: currentVersions(null), sourceText: TEXT });
      const results = JSON.parse(readFileSync(files.results, 'utf8')) as ResultsDocument;

      const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: asRoot ? ['--no-sandbox'] : [],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`);
        });
        await page.goto(pathToFileURL(files.report).href);
        await page.waitForSelector('body[data-charts-drawn="true"]');

        const shot = join(dir, 'report.png');
        await page.screenshot({ path: shot, fullPage: true });
        expect(statSync(shot).size).toBeGreaterThan(1000);
        expect(readFileSync(shot).subarray(0, 8)).toEqual(
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        );

        // The hostile name is text, not markup.
        expect(await page.textContent('#scenario-name')).toBe(results.scenario.name);
        expect(await page.$$eval('header b, #metrics-table i', (n) => n.length)).toBe(0);

        // A bar chart per metric, one bar per policy carrying the figure of results.json.
        for (const metric of Object.keys(results.metricDocs)) {
          const bars: DrawnBar[] = await page.$$eval(
            `svg.chart.bar-chart[data-metric="${metric}"] rect[data-policy]`,
            (rects) =>
              rects.map((r) => ({
                policy: r.getAttribute('data-policy'),
                value: r.getAttribute('data-value'),
              })),
          );
          expect(bars.map((b) => b.policy)).toEqual(results.policies.map((p) => p.name));
          expect(bars.map((b) => Number(b.value))).toEqual(results.policies.map((p) => p.metrics[metric]));
          const labelled = await page.$eval(`svg.chart[data-metric="${metric}"]`, (svg) => ({
            role: svg.getAttribute('role'),
            title: svg.querySelector('title')?.textContent ?? '',
            ticks: svg.querySelectorAll('.y-axis text').length,
            labels: [...svg.querySelectorAll('.x-label')].map((t) => t.querySelector('title')?.textContent),
          }));
          expect(labelled.role).toBe('img');
          expect(labelled.title).toContain(metric);
          expect(labelled.ticks).toBeGreaterThan(2);
          expect(labelled.labels).toEqual(results.policies.map((p) => p.name));
        }

        // A histogram per series: every value of every policy counted once, in its bin.
        const histograms: DrawnHistogram[] = await page.$$eval('svg.chart.histogram', (svgs) =>
          svgs.map((svg) => ({
            series: svg.getAttribute('data-series'),
            bars: [...svg.querySelectorAll('rect[data-policy]')].map((r) => ({
              policy: r.getAttribute('data-policy'),
              count: Number(r.getAttribute('data-count')),
              from: Number(r.getAttribute('data-from')),
              to: Number(r.getAttribute('data-to')),
            })),
          })),
        );
        expect(histograms.map((h) => h.series)).toEqual(['openMinutesPerHub']);
        for (const p of results.policies) {
          const values = p.series!['openMinutesPerHub']!.values;
          const bars = histograms[0]!.bars.filter((b) => b.policy === p.name);
          expect(bars.reduce((s, b) => s + b.count, 0)).toBe(values.length);
          bars.forEach((b, k) => {
            const last = k === bars.length - 1;
            expect(b.count).toBe(values.filter((v) => v >= b.from && (last ? v <= b.to : v < b.to)).length);
          });
        }
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
