/**
 * The chart kinds report sections use, each a small Vega-Lite spec rendered to inline SVG by chart-render.ts: bar
 * (optionally stacked or horizontal), line with points, heatmap, scatter coloured by category, histogram of
 * pre-binned counts, and Pareto (bars with the cumulative share). Inputs are plain rows a section gets from SQL; the
 * helpers pick sizes that read well on a laptop and on paper and fall back to a sentence when there is no data.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_HEIGHT, CHART_WIDTH, PALETTE, noData, renderChart, type Figure } from './chart-render.js';
import type { Html } from './html.js';

export { renderChart, noData, type Figure } from './chart-render.js';

export interface BarDatum { label: string; value: number; series?: string }
export interface BarOptions extends Figure {
  labelTitle: string;
  valueTitle: string;
  /** Bars run left to right with labels on the left: better for long labels or many bars. */
  horizontal?: boolean;
  /** d3-format string for values, e.g. ',.0f' or '.1%'. */
  format?: string;
  seriesTitle?: string;
  seriesOrder?: readonly string[];
  seriesColors?: readonly string[];
}

/** Bars in the order given; with `series` they stack, in `seriesOrder`. */
export async function barChart(rows: readonly BarDatum[], o: BarOptions): Promise<Html> {
  if (rows.length === 0) return noData(o);
  const stacked = rows.some((r) => r.series !== undefined);
  const order = o.seriesOrder ?? [...new Set(rows.map((r) => r.series ?? ''))];
  const values = rows.map((r) => ({ label: r.label, value: r.value, series: r.series ?? '', rank: order.indexOf(r.series ?? '') }));
  const labels = new Set(rows.map((r) => r.label)).size;
  const category = { field: 'label', type: 'nominal' as const, sort: null, title: o.labelTitle };
  const measure = { field: 'value', type: 'quantitative' as const, title: o.valueTitle, ...(o.format ? { axis: { format: o.format } } : {}) };
  const colour = stacked
    ? { color: { field: 'series', type: 'nominal' as const, title: o.seriesTitle ?? null, scale: { domain: [...order], range: [...(o.seriesColors ?? PALETTE)] }, legend: { orient: 'top' as const } }, order: { field: 'rank', type: 'quantitative' as const } }
    : {};
  const encoding = o.horizontal
    ? { y: category, x: measure, ...colour }
    : { x: { ...category, axis: { labelAngle: labels > 8 ? -40 : 0 } }, y: measure, ...colour };
  const spec = {
    width: o.horizontal ? CHART_WIDTH - 260 : Math.min(CHART_WIDTH, Math.max(240, labels * 56)),
    height: o.horizontal ? Math.max(48, labels * 24) : CHART_HEIGHT,
    data: { values },
    mark: { type: 'bar', ...(o.horizontal ? {} : { width: { band: 0.8 } }) },
    encoding,
  } as TopLevelSpec;
  return renderChart(spec, o);
}

export interface LinePoint { x: string | number; y: number; series?: string }
export interface LineOptions extends Figure {
  xTitle: string;
  yTitle: string;
  /** temporal: x is an ISO date string ('2024-01-31'), read as UTC. */
  xType: 'temporal' | 'ordinal' | 'quantitative';
  /** Temporal x holds month starts: ticks fall on months. */
  monthly?: boolean;
  format?: string;
  xFormat?: string;
  seriesTitle?: string;
}

/** Monthly series: one tick per month, or every few months so at most ~8 '%b %Y' labels fit without overlap. */
function monthAxis(rows: readonly LinePoint[], format?: string): { format: string; tickCount: { interval: 'month'; step: number } } {
  const times = rows.map((r) => Date.parse(String(r.x))).filter(Number.isFinite);
  const months = Math.round((Math.max(...times) - Math.min(...times)) / (30.44 * 86_400_000));
  return { format: format ?? '%b %Y', tickCount: { interval: 'month', step: Math.max(1, Math.ceil(months / 8)) } };
}

/** Lines with a point on every value; one line per series. */
export async function lineChart(rows: readonly LinePoint[], o: LineOptions): Promise<Html> {
  if (rows.length === 0) return noData(o);
  const multi = rows.some((r) => r.series !== undefined);
  const x = o.xType === 'temporal'
    ? { field: 'x', type: 'temporal' as const, scale: { type: 'utc' as const }, title: o.xTitle, axis: { labelAngle: 0, ...(o.monthly ? monthAxis(rows, o.xFormat) : o.xFormat ? { format: o.xFormat } : {}) } }
    : { field: 'x', type: o.xType, title: o.xTitle, sort: null, ...(o.xFormat ? { axis: { format: o.xFormat } } : {}) };
  const spec = {
    width: CHART_WIDTH - 80, height: CHART_HEIGHT,
    data: { values: rows.map((r) => ({ x: r.x, y: r.y, series: r.series ?? '' })) },
    mark: { type: 'line', point: true },
    encoding: {
      x,
      y: { field: 'y', type: 'quantitative', title: o.yTitle, ...(o.format ? { axis: { format: o.format } } : {}) },
      ...(multi ? { color: { field: 'series', type: 'nominal', title: o.seriesTitle ?? null, legend: { orient: 'top' } } } : {}),
    },
  } as TopLevelSpec;
  return renderChart(spec, o);
}

export interface HeatCell { x: string; y: string; value: number | null }
export interface HeatmapOptions extends Figure {
  xTitle: string;
  yTitle: string;
  valueTitle: string;
  format?: string;
  xOrder?: readonly string[];
  yOrder?: readonly string[];
  /** Print each cell's value (default: when there are at most 400 cells). */
  showValues?: boolean;
}

/** A grid of coloured cells (cohort × month, R × F, …), darker = larger; empty cells stay blank. */
export async function heatmap(cells: readonly HeatCell[], o: HeatmapOptions): Promise<Html> {
  const values = cells.filter((c) => c.value !== null && Number.isFinite(c.value));
  if (values.length === 0) return noData(o);
  const xs = o.xOrder ?? [...new Set(cells.map((c) => c.x))];
  const ys = o.yOrder ?? [...new Set(cells.map((c) => c.y))];
  const max = Math.max(...values.map((c) => c.value as number));
  const cell = Math.max(18, Math.min(48, Math.floor((CHART_WIDTH - 120) / Math.max(1, xs.length))));
  const format = o.format ?? ',.0f';
  const showValues = o.showValues ?? cells.length <= 400;
  const spec = {
    width: cell * xs.length, height: Math.max(18, Math.min(30, cell)) * ys.length,
    data: { values },
    encoding: {
      // The domain keeps rows and columns with no value (a young cohort's later months) in place, blank.
      x: { field: 'x', type: 'ordinal', scale: { domain: [...xs] }, title: o.xTitle, axis: { labelAngle: 0 } },
      y: { field: 'y', type: 'ordinal', scale: { domain: [...ys] }, title: o.yTitle },
    },
    layer: [
      { mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1 },
        encoding: { color: { field: 'value', type: 'quantitative', title: o.valueTitle, scale: { scheme: 'blues', domainMin: 0 }, legend: { format } } } },
      ...(showValues ? [{ mark: { type: 'text', fontSize: cell < 30 ? 9 : 11 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format },
          color: { condition: { test: { field: 'value', gt: max * 0.55 }, value: '#ffffff' }, value: '#1f2933' },
        } }] : []),
    ],
  } as TopLevelSpec;
  return renderChart(spec, o);
}

export { scatterChart, histogram, paretoChart } from './charts-distribution.js';
export type { ScatterPoint, ScatterOptions, HistogramBin, HistogramOptions, ParetoOptions } from './charts-distribution.js';
