// report.html (issue 9, item 1): one self-contained page a working group can read offline: the question, the metrics
// by policy as a table, charts, the policies compared, the scenario (as written and with its defaults) and the
// versions. No network: the CSS and the script are inline. The tables are plain HTML, so every figure is there
// without JavaScript; the charts are drawn in the browser by the inline script (report-script.ts) from the results
// embedded as JSON (`<script type="application/json" id="results">`), as SVG with axes, labels, titles and data
// attributes carrying the values. Everything embedded is escaped: text for HTML, the JSON for a script element.
import { stringify } from 'yaml';
import { REPORT_SCRIPT } from './report-script.js';
import type { ResultsDocument } from './run.js';

export interface ReportOptions {
  /** The scenario file as written. */
  readonly sourceText?: string;
  /** The file's name, shown above it. */
  readonly sourceName?: string;
}

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** JSON that can sit inside a <script> element: no `<`, `>` or `&` (so no `</script>` or `<!--`), no U+2028/9. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A figure for a table: four significant digits, thousands grouped; the exact value is in the cell's title. */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9 || a < 1e-3) return v.toExponential(3).replace(/\.?0+e/, 'e');
  const s = Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  const [whole, frac] = s.split('.');
  return group(whole!) + (frac === undefined ? '' : `.${frac}`);
}

interface SeriesStats {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly mean: number;
  readonly p95: number;
  readonly max: number;
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function seriesStats(values: readonly number[]): SeriesStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    n: sorted.length,
    min: sorted[0]!,
    median: quantile(sorted, 0.5),
    mean,
    p95: quantile(sorted, 0.95),
    max: sorted[sorted.length - 1]!,
  };
}

const STYLE = `
:root { --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --bg: #ffffff; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 32px 64px; color: var(--ink); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { border-bottom: 2px solid var(--ink); margin-bottom: 24px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); margin: 0; }
h1 { font-size: 28px; margin: 4px 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.question { font-size: 17px; }
.facts { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
th, td { border-bottom: 1px solid var(--rule); padding: 6px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--band); border-bottom: 2px solid var(--rule); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.doc { color: var(--muted); font-size: 13px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--band); border: 1px solid var(--rule); padding: 12px; overflow: auto; max-height: 480px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--rule); border-radius: 6px; padding: 8px 8px 4px; }
figcaption { font-weight: 600; margin: 0 4px 4px; overflow-wrap: anywhere; }
figcaption .doc { display: block; font-weight: 400; color: var(--muted); font-size: 13px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg.chart .axis line, svg.chart .axis path { stroke: var(--muted); }
svg.chart .grid line { stroke: var(--rule); }
svg.chart .value { font-size: 11px; }
dl.versions { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.versions dt { font-weight: 600; }
dl.versions dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.note { color: var(--muted); font-size: 13px; }
@media print { .charts { grid-template-columns: 1fr; } pre { max-height: none; } }
`;

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map(describeValue).join(', ');
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length === 0 ? '—' : entries.map(([k, x]) => `${k}: ${describeValue(x)}`).join('; ');
  }
  return String(v);
}

/** The page for a run's results. Deterministic: the same results give the same bytes. */
export function renderReport(doc: ResultsDocument, options: ReportOptions = {}): string {
  const e = escapeHtml;
  const s = doc.scenario;
  const names = doc.policies.map((p) => p.name);
  const metricNames = Object.keys(doc.metricDocs).filter((m) => doc.policies.some((p) => m in p.metrics));
  const unitOf = (m: string) => doc.policies.find((p) => m in p.units)?.units[m] ?? '';

  /** A header row; a cell given as `{ num }` is a numeric column's (right-aligned). Cells are HTML already escaped. */
  const head = (cells: readonly (string | { readonly num: string })[]) =>
    `<thead><tr>${cells
      .map((c) =>
        typeof c === 'string' ? `<th scope="col">${c}</th>` : `<th scope="col" class="num">${c.num}</th>`,
      )
      .join('')}</tr></thead>`;
  const num = (v: number | undefined) =>
    v === undefined
      ? '<td class="num">—</td>'
      : `<td class="num" title="${e(String(v))}">${e(formatNumber(v))}</td>`;

  const metricsTable =
    metricNames.length === 0
      ? '<p class="note">The kind reported no metrics.</p>'
      : `<table id="metrics-table">${head(['metric', 'unit', ...names.map((n) => ({ num: e(n) }))])}<tbody>${metricNames
          .map(
            (m) =>
              `<tr data-metric="${e(m)}"><th scope="row"><code>${e(m)}</code></th><td>${e(unitOf(m))}</td>${doc.policies
                .map((p) => num(p.metrics[m]))
                .join(
                  '',
                )}</tr><tr class="doc-row"><td class="doc" colspan="${2 + names.length}">${e(doc.metricDocs[m] ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`;

  const seriesNames = [...new Set(doc.policies.flatMap((p) => Object.keys(p.series ?? {})))];
  const seriesSection =
    seriesNames.length === 0
      ? ''
      : `<section id="series"><h2>Distributions</h2><p class="note">Each series is a list of values per policy (the charts above draw them as histograms).</p>${seriesNames
          .map((name) => {
            const rows = doc.policies
              .map((p) => {
                const series = p.series?.[name];
                const st = series === undefined ? undefined : seriesStats(series.values);
                return `<tr><th scope="row">${e(p.name)}</th>${
                  st === undefined
                    ? `<td class="num" colspan="6">—</td>`
                    : [st.n, st.min, st.median, st.mean, st.p95, st.max].map((v) => num(v)).join('')
                }</tr>`;
              })
              .join('');
            const unit = doc.policies.find((p) => p.series?.[name] !== undefined)?.series?.[name]?.unit ?? '';
            return `<h3><code>${e(name)}</code> <span class="note">(${e(unit)})</span></h3><table class="series-table" data-series="${e(name)}">${head(
              ['policy', ...['n', 'min', 'median', 'mean', 'p95', 'max'].map((num) => ({ num }))],
            )}<tbody>${rows}</tbody></table>`;
          })
          .join('')}</section>`;

  const policyFields = [...new Set(doc.policies.flatMap((p) => Object.keys(p.policy)))];
  const policiesTable = `<table id="policies-table">${head(['rule', ...names.map(e)])}<tbody>${policyFields
    .map((f) => {
      const values = doc.policies.map((p) =>
        describeValue((p.policy as unknown as Record<string, unknown>)[f]),
      );
      const differs = new Set(values).size > 1;
      return `<tr${differs ? ' class="differs"' : ''}><th scope="row"><code>${e(f)}</code>${differs ? ' <span class="note">(differs)</span>' : ''}</th>${values
        .map((v) => `<td>${e(v)}</td>`)
        .join('')}</tr>`;
    })
    .join('')}</tbody></table>`;

  const facts = [
    `kind <code>${e(s.kind)}</code>`,
    `seed <code>${e(s.seed)}</code>`,
    `${e(formatNumber(s.fleet.premises))} premises`,
    `${e(formatNumber(s.durationDays))} days from ${e(s.startIso)}`,
    `${e(formatNumber(doc.events))} events simulated`,
  ].join(' · ');

  const source =
    options.sourceText === undefined
      ? ''
      : `<h3>As written${options.sourceName === undefined ? '' : ` (<code>${e(options.sourceName)}</code>)`}</h3><pre id="scenario-source">${e(options.sourceText)}</pre>`;

  const v = doc.versions;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="smets-twin ${e(v.smetsTwin)}">
<title>${e(s.name)} — smets-twin scenario report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<p class="eyebrow">smets-twin scenario report</p>
<h1 id="scenario-name">${e(s.name)}</h1>
${s.description === '' ? '' : `<p class="description">${e(s.description)}</p>`}
</header>
<main>
<section id="question">
<h2>Question</h2>
<p class="question">${e(doc.question)}</p>
<p class="facts">${facts}</p>
</section>
<section id="metrics">
<h2>Metrics by policy</h2>
${metricsTable}
</section>
<section id="charts">
<h2>Charts</h2>
<div class="charts" id="metric-charts"></div>
<div class="charts" id="series-charts"></div>
<noscript><p class="note">The charts are drawn by the page's script; the tables carry every figure.</p></noscript>
</section>
${seriesSection}
<section id="policies">
<h2>Policies compared</h2>
<p class="note">Each policy is today's rules (src/policy.ts) with the variant's changes, the routes a supplier may use and the fleet fields it changes.</p>
${policiesTable}
</section>
<section id="scenario">
<h2>Scenario</h2>
${source}
<h3>With its defaults (as run)</h3>
<pre id="scenario-defaulted">${e(stringify(s))}</pre>
</section>
<section id="versions">
<h2>Versions</h2>
<dl class="versions">
<dt>smets-twin</dt><dd>${e(v.smetsTwin)}</dd>
<dt>Node.js</dt><dd>${e(v.node)}</dd>
<dt>scenario file SHA-256</dt><dd>${v.scenarioSha256 === null ? 'not from a file' : e(v.scenarioSha256)}</dd>
</dl>
</section>
</main>
<script type="application/json" id="results">${jsonForScript(doc)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
