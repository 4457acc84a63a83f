import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatNumber,
  jsonForScript,
  renderReport,
  seriesStats,
} from '../../src/scenario/report.js';
import { currentVersions, resultsDocument, runScenario } from '../../src/scenario/run.js';
import { parseScenarioText } from '../../src/scenario/schema.js';
import { fakeKind, kindsWith } from './fake-kind.js';

const HOSTILE = '</script><b>bold</b><!--';
const TEXT = `name: '${HOSTILE}'
description: "A <i>description</i> & \\u2028 a line separator"
kind: interpan-window
seed: '<script>alert(1)</script>'
durationDays: 3
fleet: { premises: 5 }
policies:
  - name: '<b>today</b>'
  - name: "x\\" onmouseover=\\"alert(1)"
    policy: { interPanWindowMinutes: null }
`;

async function report(sourceText?: string) {
  const scenario = parseScenarioText(TEXT, 'yaml');
  const result = await runScenario(scenario, kindsWith(fakeKind({ series: true })));
  const doc = resultsDocument(result, currentVersions('0'.repeat(64)));
  return {
    doc,
    html: renderReport(doc, sourceText === undefined ? {} : { sourceText, sourceName: '<file>.yaml' }),
  };
}

describe('report.html', () => {
  it('escapes every text it embeds: a scenario name with </script> or <b> does not break the page', async () => {
    const { html: page } = await report(TEXT);
    // Outside the JSON blob (where quotes are JSON's own and `<`, `>`, `&` are \u escapes, tested below):
    const html = page.replace(/<script type="application\/json" id="results">[^<]*<\/script>/, '');
    expect(html).not.toBe(page);
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<!--');
    expect(html).not.toMatch(/<script>alert/);
    expect(html).not.toContain('" onmouseover');
    // Exactly the page's own two scripts open and close.
    expect(page.match(/<script\b/g)).toHaveLength(2);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('x&quot; onmouseover=&quot;alert(1)');
    expect(html).toContain(
      '<title>&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;&lt;!-- — smets-twin scenario report</title>',
    );
    expect(html).toContain('<h1 id="scenario-name">&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;&lt;!--</h1>');
    expect(html).toContain('<code>&lt;file&gt;.yaml</code>');
  });

  it('embeds the results as JSON that reads back exactly', async () => {
    const { doc, html } = await report();
    const m = /<script type="application\/json" id="results">([^<]*)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1]!)).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(m![1]).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it('is self-contained: no external resources', async () => {
    const { html } = await report(TEXT);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('tabulates every metric by policy, with the question, the scenario and the versions', async () => {
    const { doc, html } = await report(TEXT);
    expect(html).toContain(escapeHtml(doc.question));
    for (const metric of Object.keys(doc.metricDocs)) {
      expect(html).toContain(`<tr data-metric="${metric}">`);
      expect(html).toContain(escapeHtml(doc.metricDocs[metric]!));
    }
    for (const p of doc.policies)
      for (const v of Object.values(p.metrics))
        expect(html).toContain(`title="${String(v)}">${formatNumber(v)}</td>`);
    expect(html).toContain('id="scenario-source"');
    expect(html).toContain('id="scenario-defaulted"');
    expect(html).toContain('powerCutsPerHubYear: 0.5');
    expect(html).toContain(`<dd>${process.version}</dd>`);
    expect(html).toContain(`<dd>${'0'.repeat(64)}</dd>`);
  });

  it('escapes for scripts and HTML', () => {
    expect(jsonForScript({ a: '</script><!--&\u2028' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}',
    );
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('formats figures for reading and summarises series', () => {
    expect([0, 1234567, 89.09795, -0.49418, 1e-5, 2.5e12, 8760, -1234.5].map(formatNumber)).toEqual([
      '0',
      '1,234,567',
      '89.1',
      '-0.4942',
      '1e-5',
      '2.5e+12',
      '8,760',
      '-1,235',
    ]);
    expect(seriesStats([5, 1, 3, 2, 4])).toEqual({ n: 5, min: 1, median: 3, mean: 3, p95: 5, max: 5 });
    expect(seriesStats([])).toBeUndefined();
  });
});
