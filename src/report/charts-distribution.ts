/**
 * Chart kinds about distributions (re-exported by charts.ts): scatter coloured by category, histogram of bins a
 * section counted in SQL, and Pareto bars with their cumulative share. Points and bars are capped so a chart of a
 * million customers stays a small SVG; what was left out is said under the chart, never silently dropped.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ACCENT, CHART_HEIGHT, CHART_WIDTH, PALETTE, noData, renderChart, type Figure } from './chart-render.js';
import type { Html } from './html.js';

export interface ScatterPoint { x: number; y: number; category: string }
export interface ScatterOptions extends Figure {
  xTitle: string;
  yTitle: string;
  categoryTitle: string;
  categoryOrder?: readonly string[];
  xScale?: 'linear' | 'log' | 'symlog' | 'sqrt';
  yScale?: 'linear' | 'log' | 'symlog' | 'sqrt';
  xFormat?: string;
  yFormat?: string;
  /** At most this many points are drawn (every k-th row, so the choice is deterministic); default 1500. */
  maxPoints?: number;
}

export async function scatterChart(points: readonly ScatterPoint[], o: ScatterOptions): Promise<Html> {
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (finite.length === 0) return noData(o);
  const max = o.maxPoints ?? 1500;
  const stride = Math.ceil(finite.length / max);
  const shown = stride > 1 ? finite.filter((_p, i) => i % stride === 0) : finite;
  const note = stride > 1 ? `${shown.length} of ${finite.length} points shown (1 in ${stride}, in row order).${o.note ? ` ${o.note}` : ''}` : o.note;
  const categories = o.categoryOrder ?? [...new Set(finite.map((p) => p.category))];
  const spec = {
    width: CHART_WIDTH - 160, height: CHART_HEIGHT + 60,
    data: { values: shown.map((p) => ({ x: p.x, y: p.y, category: p.category })) },
    // One SVG path per point: per-point ARIA labels would triple the size for no reader.
    mark: { type: 'point', filled: true, size: 28, opacity: 0.65, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xTitle, scale: { type: o.xScale ?? 'linear', zero: false }, ...(o.xFormat ? { axis: { format: o.xFormat } } : {}) },
      y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: { type: o.yScale ?? 'linear', zero: false }, ...(o.yFormat ? { axis: { format: o.yFormat } } : {}) },
      color: { field: 'category', type: 'nominal', title: o.categoryTitle, scale: { domain: [...categories], range: [...PALETTE] } },
    },
  } as TopLevelSpec;
  return renderChart(spec, { title: o.title, ...(note ? { note } : {}) });
}

export interface HistogramBin { start: number; end: number; count: number }
export interface HistogramOptions extends Figure {
  xTitle: string;
  yTitle?: string;
  xFormat?: string;
}

/** Adjacent bars over [start, end) bins counted by the caller (in SQL, where the rows are). */
export async function histogram(bins: readonly HistogramBin[], o: HistogramOptions): Promise<Html> {
  if (bins.length === 0) return noData(o);
  const spec = {
    width: CHART_WIDTH - 80, height: CHART_HEIGHT,
    data: { values: bins.map((b) => ({ start: b.start, end: b.end, count: b.count })) },
    mark: { type: 'bar', binSpacing: 1, color: ACCENT },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: o.xTitle, ...(o.xFormat ? { axis: { format: o.xFormat } } : {}) },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: o.yTitle ?? 'count' },
    },
  } as TopLevelSpec;
  return renderChart(spec, o);
}

export interface ParetoOptions extends Figure {
  labelTitle: string;
  valueTitle: string;
  format?: string;
  /** Bars beyond this many are summed into one "all others" bar; default 25. */
  maxBars?: number;
  /** Keep the caller's order (e.g. deciles) instead of sorting by value, largest first. */
  keepOrder?: boolean;
}

/** Bars (largest first) with a line of the cumulative share of the total on the right axis, 80 % marked. */
export async function paretoChart(rows: readonly { label: string; value: number }[], o: ParetoOptions): Promise<Html> {
  const positive = rows.filter((r) => Number.isFinite(r.value) && r.value > 0);
  if (positive.length === 0) return noData(o);
  const sorted = o.keepOrder ? [...positive] : [...positive].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const maxBars = o.maxBars ?? 25;
  const kept = sorted.slice(0, maxBars);
  const rest = sorted.slice(maxBars);
  if (rest.length) kept.push({ label: `all others (${rest.length})`, value: rest.reduce((s, r) => s + r.value, 0) });
  const total = kept.reduce((s, r) => s + r.value, 0);
  let running = 0;
  const values = kept.map((r) => ({ label: r.label, value: r.value, share: (running += r.value) / total }));
  const x = { field: 'label', type: 'nominal', sort: null, title: o.labelTitle, axis: { labelAngle: values.length > 8 ? -40 : 0 } };
  const spec = {
    width: Math.min(CHART_WIDTH - 80, Math.max(360, values.length * 52)), height: CHART_HEIGHT,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: ACCENT, width: { band: 0.8 } },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: o.valueTitle, ...(o.format ? { axis: { format: o.format } } : {}) } } },
      { layer: [
        { mark: { type: 'line', color: '#d55e00', point: { color: '#d55e00' } },
          encoding: { x, y: { field: 'share', type: 'quantitative', title: 'cumulative share', scale: { domain: [0, 1] }, axis: { format: '.0%', orient: 'right', grid: false } } } },
        { data: { values: [{ level: 0.8 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#9aa5b1' },
          encoding: { y: { field: 'level', type: 'quantitative' } } },
      ] },
    ],
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
  return renderChart(spec, o);
}
