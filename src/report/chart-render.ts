/**
 * Report charts as inline SVG, drawn by Vega-Lite + Vega (a well-kept charting library) at render time in Node:
 * the spec is compiled to Vega, run in a headless View (`renderer: 'none'`) and serialised with `toSVG()`. The
 * report stays one self-contained file: no script, no font or URL from elsewhere, legible when printed.
 *
 * Data values always travel as `data.values`, never spliced into markup; Vega escapes every text it writes (a label
 * `<script>…` comes out as `&lt;script&gt;…`). The chart kinds sections use (bar, line, heatmap, …) are in charts.ts.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { View, Warn, loader, logger, parse } from 'vega';
import { escapeHtml, h, raw, type Html } from './html.js';
import { installTextMetrics } from './text-width.js';

export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 260;
export const ACCENT = '#2f6fab';
/** Colour-blind-safe categorical palette (Okabe–Ito, with the report accent first). */
export const PALETTE = ['#2f6fab', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#7f7f7f', '#000000'];
const INK = '#1f2933';
const MUTED = '#616e7c';

/** Shared look: one font stack, 12 px labels (legible on a laptop and on paper), quiet grid. */
const CONFIG = {
  font: CHART_FONT,
  background: '#ffffff',
  padding: 8,
  view: { stroke: null },
  axis: {
    labelFontSize: 12, titleFontSize: 12, titleFontWeight: 600, labelColor: INK, titleColor: INK,
    gridColor: '#e4e7eb', domainColor: '#9aa5b1', tickColor: '#9aa5b1', labelLimit: 260, titlePadding: 8,
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 600, labelColor: INK, titleColor: INK, labelLimit: 220 },
  text: { fontSize: 11, color: INK },
  range: { category: PALETTE },
  mark: { color: ACCENT },
  line: { strokeWidth: 2 },
  title: { fontSize: 13, color: MUTED },
} as const;

installTextMetrics();

// Vega may fetch data or images through its loader; a chart in the report must never reach out.
const offline = loader();
offline.load = async (uri: string): Promise<string> => {
  throw new Error(`report charts load nothing from elsewhere (asked for ${uri.slice(0, 80)})`);
};

let chartCount = 0;

/**
 * Vega numbers clip paths and gradients from process-wide counters; several SVGs inline in one page share one id
 * space, so each chart's ids get a prefix of their own. Text content is escaped by Vega, so `id="` and `url(#` only
 * occur in attributes Vega wrote.
 */
function scopeIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}${id}"`);
}

export interface Figure {
  /** Shown above the chart as its caption. */
  title: string;
  /** Optional sentence under the chart (how to read it, what was left out). */
  note?: string;
}

/**
 * Compiles a Vega-Lite spec and returns the chart as an SVG figure. A spec that names a URL is refused, and any
 * error Vega logs while running (it would otherwise draw an empty chart) fails the render; warnings stay quiet.
 */
export async function renderChart(spec: TopLevelSpec, figure: Figure): Promise<Html> {
  const full = { ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const { spec: vegaSpec } = compile(full);
  if ((vegaSpec.data ?? []).some((d) => 'url' in d)) throw new Error(`chart "${figure.title}": report charts load nothing from elsewhere; pass data.values`);
  const errors: string[] = [];
  const log = logger(Warn, undefined, (_method, level, input) => {
    if (level === 'ERROR') errors.push(input.map(String).join(' '));
  });
  const view = new View(parse(vegaSpec), { renderer: 'none', loader: offline, logger: log });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  if (errors.length) throw new Error(`chart "${figure.title}": ${errors.join('; ')}`);
  chartCount += 1;
  const scoped = scopeIds(svg, `chart${chartCount}-`)
    .replace('<svg ', `<svg role="img" aria-label="${escapeHtml(figure.title)}" `);
  return h('figure', { class: 'chart' },
    h('figcaption', {}, figure.title),
    raw(scoped),
    figure.note ? h('p', { class: 'chart-note' }, figure.note) : null);
}

/** What a chart helper returns when there is nothing to draw. */
export function noData(figure: Figure, sentence = 'Nothing to chart.'): Html {
  return h('figure', { class: 'chart' }, h('figcaption', {}, figure.title), h('p', { class: 'empty' }, sentence));
}
