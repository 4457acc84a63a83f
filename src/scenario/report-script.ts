// The script inlined in report.html: reads the results embedded as JSON and draws, as SVG, a bar chart per metric
// (one bar per policy) and a histogram per series (bins shared by the policies, one bar per policy in each bin). Each
// chart is `<svg class="chart …" data-metric|data-series="…" role="img">` with a <title> and <desc>; each bar is a
// <rect data-policy="…"> carrying its figure (`data-value`, or `data-count` with `data-from`/`data-to`) and a <title>.
// Text reaches the page only through textContent and setAttribute, never as markup. Plain ES2017, no dependencies.
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#999933', '#332288'];
  var W = 560, H = 320, M = { l: 72, r: 16, t: 28, b: 64 };
  var data = JSON.parse(document.getElementById('results').textContent);
  var policies = data.policies;
  var uid = 0;

  function colour(i) { return COLOURS[i % COLOURS.length]; }
  function el(name, attrs, parent) {
    var n = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(n);
    return n;
  }
  function text(parent, x, y, s, attrs) {
    var t = el('text', Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function titled(node, s) { el('title', {}, node).textContent = s; return node; }
  function group(d) { return d.replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function fmt(v) {
    if (v === 0) return '0';
    if (!isFinite(v)) return String(v);
    var a = Math.abs(v);
    if (a >= 1e9 || a < 1e-3) return v.toExponential(3).replace(/\.?0+e/, 'e');
    var s = Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
    var parts = s.split('.');
    return group(parts[0]) + (parts.length > 1 ? '.' + parts[1] : '');
  }
  function ticks(lo, hi, count) {
    var raw = (hi - lo) / count;
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var r = raw / mag;
    var step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
    var start = Math.floor(lo / step) * step, out = [];
    for (var i = 0; i < 60; i++) {
      var v = Number((start + i * step).toPrecision(12));
      out.push(v);
      if (v >= hi) break;
    }
    return out;
  }
  function truncate(s, n) { return s.length > n ? s.slice(0, Math.max(1, n - 1)) + '\u2026' : s; }
  function own(o, k) { return o !== undefined && o !== null && Object.prototype.hasOwnProperty.call(o, k); }

  function figure(container, caption, doc) {
    var fig = document.createElement('figure');
    var cap = document.createElement('figcaption');
    cap.textContent = caption;
    if (doc) {
      var d = document.createElement('span');
      d.className = 'doc';
      d.textContent = doc;
      cap.appendChild(d);
    }
    fig.appendChild(cap);
    container.appendChild(fig);
    return fig;
  }
  function frame(fig, cls, attrs, title, desc) {
    var id = 'chart-' + (++uid);
    var svg = el('svg', Object.assign({
      class: 'chart ' + cls, viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-labelledby': id + '-title ' + id + '-desc', xmlns: NS
    }, attrs), fig);
    el('title', { id: id + '-title' }, svg).textContent = title;
    el('desc', { id: id + '-desc' }, svg).textContent = desc;
    return svg;
  }
  // Grid, y axis with its tick labels and label, x baseline at y(base).
  function axes(svg, tk, y, yLabel, base) {
    var grid = el('g', { class: 'grid' }, svg);
    var ax = el('g', { class: 'axis y-axis' }, svg);
    tk.forEach(function (v) {
      el('line', { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v) }, grid);
      el('line', { x1: M.l - 5, x2: M.l, y1: y(v), y2: y(v) }, ax);
      text(ax, M.l - 8, y(v) + 4, fmt(v), { 'text-anchor': 'end' });
    });
    el('line', { x1: M.l, x2: M.l, y1: y(tk[tk.length - 1]), y2: y(tk[0]) }, ax);
    text(ax, 0, 0, yLabel, { transform: 'translate(16 ' + (M.t + (H - M.t - M.b) / 2) + ') rotate(-90)', 'text-anchor': 'middle', class: 'axis-label' });
    var xa = el('g', { class: 'axis x-axis' }, svg);
    el('line', { x1: M.l, x2: W - M.r, y1: y(base), y2: y(base) }, xa);
    return xa;
  }

  function barChart(container, metric) {
    var rows = [];
    policies.forEach(function (p, i) { if (own(p.metrics, metric)) rows.push({ p: p, i: i, v: p.metrics[metric] }); });
    if (rows.length === 0) return;
    var unit = rows[0].p.units[metric] || '';
    var lo = 0, hi = 0;
    rows.forEach(function (r) { lo = Math.min(lo, r.v); hi = Math.max(hi, r.v); });
    if (lo === hi) hi = lo + 1;
    var tk = ticks(lo, hi, 5);
    lo = Math.min(lo, tk[0]);
    hi = Math.max(hi, tk[tk.length - 1]);
    var y = function (v) { return M.t + ((hi - v) / (hi - lo)) * (H - M.t - M.b); };
    var fig = figure(container, metric + (unit ? ' (' + unit + ')' : ''), data.metricDocs[metric]);
    var svg = frame(fig, 'bar-chart', { 'data-metric': metric, 'data-unit': unit },
      metric + ' by policy' + (unit ? ', in ' + unit : ''),
      'Bar chart, one bar per policy: ' + rows.map(function (r) { return r.p.name + ' ' + fmt(r.v); }).join('; ') + '.');
    var xa = axes(svg, tk, y, unit, 0);
    var band = (W - M.l - M.r) / rows.length;
    var barW = Math.min(90, band * 0.6);
    var bars = el('g', { class: 'bars' }, svg);
    rows.forEach(function (r, k) {
      var cx = M.l + band * (k + 0.5), y0 = y(0), y1 = y(r.v);
      var h = Math.abs(y1 - y0);
      var rect = el('rect', {
        x: cx - barW / 2, y: Math.min(y0, y1) - (r.v !== 0 && h < 1 ? 1 : 0), width: barW,
        height: r.v !== 0 && h < 1 ? 1 : h, fill: colour(r.i),
        'data-policy': r.p.name, 'data-metric': metric, 'data-value': String(r.v)
      }, bars);
      titled(rect, r.p.name + ': ' + fmt(r.v) + (unit ? ' ' + unit : ''));
      text(svg, cx, r.v >= 0 ? y1 - 5 : y1 + 14, fmt(r.v), { class: 'value', 'text-anchor': 'middle' });
      titled(text(xa, cx, H - M.b + 18, truncate(r.p.name, Math.max(4, Math.floor(band / 7))), { 'text-anchor': 'middle', class: 'x-label' }), r.p.name);
    });
  }

  function legend(svg, rows) {
    var g = el('g', { class: 'legend' }, svg);
    var x = M.l;
    rows.forEach(function (r) {
      el('rect', { x: x, y: 8, width: 10, height: 10, fill: colour(r.i) }, g);
      var label = truncate(r.p.name, 20);
      text(g, x + 14, 17, label, {});
      x += 24 + label.length * 7;
    });
  }

  function histogram(container, name) {
    var rows = [];
    policies.forEach(function (p, i) { if (p.series && own(p.series, name)) rows.push({ p: p, i: i, s: p.series[name] }); });
    if (rows.length === 0) return;
    var unit = rows[0].s.unit || '';
    var lo = Infinity, hi = -Infinity, most = 0;
    rows.forEach(function (r) {
      most = Math.max(most, r.s.values.length);
      r.s.values.forEach(function (v) { if (v < lo) lo = v; if (v > hi) hi = v; });
    });
    var empty = most === 0;
    if (empty) { lo = 0; hi = 1; }
    var k = lo === hi ? 1 : Math.max(1, Math.min(30, Math.ceil(Math.log2(most) + 1)));
    var width = (hi - lo) / k;
    var edge = function (b) { return b === k ? hi : lo + b * width; };
    var counts = rows.map(function (r) {
      var c = new Array(k).fill(0);
      r.s.values.forEach(function (v) { c[k === 1 ? 0 : Math.min(k - 1, Math.floor((v - lo) / width))]++; });
      return c;
    });
    var top = 0;
    counts.forEach(function (c) { c.forEach(function (n) { top = Math.max(top, n); }); });
    var tk = ticks(0, Math.max(1, top), 5);
    var yTop = tk[tk.length - 1];
    var y = function (v) { return M.t + ((yTop - v) / yTop) * (H - M.t - M.b); };
    var fig = figure(container, name + (unit ? ' (' + unit + ')' : '') + ': distribution by policy', '');
    var svg = frame(fig, 'histogram', { 'data-series': name, 'data-unit': unit },
      'Histogram of ' + name + (unit ? ' in ' + unit : '') + ', by policy',
      'Counts in ' + k + ' bins from ' + fmt(lo) + ' to ' + fmt(hi) + ': ' + rows.map(function (r) { return r.p.name + ' ' + r.s.values.length + ' values'; }).join('; ') + '.');
    var xa = axes(svg, tk, y, 'count', 0);
    var binW = (W - M.l - M.r) / k;
    var sub = (binW * 0.9) / rows.length;
    var bars = el('g', { class: 'bars' }, svg);
    rows.forEach(function (r, j) {
      counts[j].forEach(function (n, b) {
        var rect = el('rect', {
          x: M.l + b * binW + binW * 0.05 + j * sub, y: y(n), width: Math.max(sub, 0.5), height: y(0) - y(n),
          fill: colour(r.i), 'data-policy': r.p.name, 'data-series': name, 'data-bin': b,
          'data-from': String(edge(b)), 'data-to': String(edge(b + 1)), 'data-count': n
        }, bars);
        titled(rect, r.p.name + ': ' + n + ' in [' + fmt(edge(b)) + ', ' + fmt(edge(b + 1)) + (b === k - 1 ? ']' : ')'));
      });
    });
    var every = Math.max(1, Math.ceil(k / 6));
    for (var b = 0; b <= k; b += every) {
      el('line', { x1: M.l + b * binW, x2: M.l + b * binW, y1: y(0), y2: y(0) + 5 }, xa);
      text(xa, M.l + b * binW, y(0) + 18, fmt(edge(b)), { 'text-anchor': 'middle' });
    }
    text(xa, M.l + (W - M.l - M.r) / 2, H - 12, unit, { 'text-anchor': 'middle', class: 'axis-label' });
    if (empty) text(svg, W / 2, H / 2, 'no values', { 'text-anchor': 'middle' });
    legend(svg, rows);
  }

  var metricCharts = document.getElementById('metric-charts');
  Object.keys(data.metricDocs).forEach(function (m) { barChart(metricCharts, m); });
  var seriesCharts = document.getElementById('series-charts');
  var seen = {};
  policies.forEach(function (p) {
    Object.keys(p.series || {}).forEach(function (s) {
      if (!own(seen, s)) { seen[s] = true; histogram(seriesCharts, s); }
    });
  });
  document.body.setAttribute('data-charts-drawn', 'true');
})();
`;
