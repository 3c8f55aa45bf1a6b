/**
 * Customer segments: who is in each segment and what they are worth — sizes and revenue share as bars, the
 * profile table (size, revenue and profit shares, centre in original units, what sets the segment apart), the
 * standardised centroids as a diverging heatmap (how far each segment sits from the average buyer, per feature)
 * and a 2-D PCA scatter of a sample coloured by segment. How the segments were made is in segments-model.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import { barChart, renderChart, scatterChart } from '../charts.js';
import { CHART_WIDTH } from '../chart-render.js';
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { profileRows, segmentsSummary, type ProfileRow } from './segments-common.js';
import { kpi, pct } from './value-common.js';

const label = (r: { segment_id: number; segment_name: string }): string => `${r.segment_id} · ${r.segment_name}`;

/** Standardised centroids, blue below the average buyer and red above, white at the average. */
async function centroidHeatmap(ctx: ReportContext, order: string[]): Promise<Html> {
  const cells = await ctx.db.all<{ segment_id: number; segment_name: string; feature: string; z: number }>(
    'SELECT segment_id, segment_name, feature, z FROM out_segment_centroids ORDER BY segment_id, feature_position');
  const features = [...new Set(cells.map((c) => c.feature))];
  // A clamped symmetric scale: one extreme segment (|z| of 6) would otherwise wash out every other cell.
  const extent = Math.min(3, Math.max(1, ...cells.map((c) => Math.abs(c.z)).filter(Number.isFinite)));
  const cell = Math.max(64, Math.min(120, Math.floor((CHART_WIDTH - 360) / Math.max(1, features.length))));
  const tilt = features.some((f) => f.length * 7 > cell);
  const spec = {
    width: cell * features.length, height: 30 * order.length,
    data: { values: cells.map((c) => ({ x: c.feature, y: label(c), z: c.z })) },
    encoding: {
      x: { field: 'x', type: 'ordinal', scale: { domain: features }, title: 'feature',
        axis: { orient: 'top', labelAngle: tilt ? -30 : 0, labelAlign: tilt ? 'left' : 'center' } },
      y: { field: 'y', type: 'ordinal', scale: { domain: order }, title: null, axis: { labelLimit: 360 } },
    },
    layer: [
      { mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1 },
        encoding: { color: { field: 'z', type: 'quantitative', title: 'sd from average',
          scale: { scheme: 'redblue', reverse: true, domain: [-extent, extent], clamp: true } } } },
      { mark: { type: 'text', fontSize: 11 }, encoding: {
        text: { field: 'z', type: 'quantitative', format: '+.2f' },
        color: { condition: { test: `abs(datum.z) > ${extent * 0.6}`, value: '#ffffff' }, value: '#1f2933' } } },
    ],
  } as TopLevelSpec;
  return renderChart(spec, { title: 'Standardised centroids (difference from the average buyer, in standard deviations)',
    note: 'After the transform (log1p of skewed features, winsorising), so a long tail does not dominate. |z| ≥ 0.5 marks a distinguishing feature.' });
}

async function pcaScatter(ctx: ReportContext, order: string[]): Promise<Html> {
  if (!(await ctx.db.tableExists('int_segment_pca'))) return h('p', { class: 'empty' }, 'No projection was computed in this run.');
  const points = await ctx.db.all<{ segment_id: number; segment_name: string; pc1: number; pc2: number }>('SELECT * FROM int_segment_pca');
  const share = await ctx.db.all<{ c: string; v: number }>(
    `SELECT dimension_value AS c, value AS v FROM out_model_metrics WHERE model = 'segments' AND metric = 'pca_variance_share' ORDER BY c`);
  const axis = (i: number): string => `principal component ${i + 1} (${pct(share[i]?.v ?? null)} of variance)`;
  return scatterChart(points.map((p) => ({ x: p.pc1, y: p.pc2, category: label(p) })), {
    title: `Buyers on the first two principal components (a sample of ${formatNumber(points.length)})`,
    xTitle: axis(0), yTitle: axis(1), categoryTitle: 'segment', categoryOrder: order, maxPoints: 2000,
    note: 'Each dot is a buyer in the standardised feature space the clustering saw; segments that overlap here may still separate in other directions.',
  });
}

function profileTable(rows: ProfileRow[]): Html {
  return table([
    { key: 'segment', label: 'segment' }, { key: 'customers', label: 'buyers' }, { key: 'share', label: 'share of buyers' },
    { key: 'revenue_share', label: 'share of revenue' }, { key: 'profit_share', label: 'share of profit' },
    { key: 'avg_profit', label: 'profit per buyer', digits: 2 }, { key: 'recency_days', label: 'mean recency (days)', digits: 0 },
    { key: 'frequency', label: 'mean orders', digits: 1 }, { key: 'monetary', label: 'mean revenue', digits: 2 }, { key: 'distinguishing', label: 'what sets it apart' },
  ], rows.map((r) => ({ ...r, segment: label(r), share: pct(r.share), revenue_share: pct(r.revenue_share), profit_share: pct(r.profit_share),
    distinguishing: r.distinguishing ?? 'close to the average buyer' })));
}

export const segmentsSection: ReportSection = {
  id: 'segments',
  title: 'Customer segments',
  async render(ctx: ReportContext) {
    const s = await segmentsSummary(ctx);
    if (typeof s === 'string') return s;
    const rows = await profileRows(ctx);
    const order = rows.map(label);
    const top = [...rows].sort((a, b) => (b.revenue_share ?? 0) - (a.revenue_share ?? 0))[0];
    return [
      h('p', {}, `${formatNumber(s.buyers)} buyers (customers with a completed order, without those who opted out of profiling) in ${s.k} segments ` +
        `found by k-means on ${s.features.join(', ')}${s.k_choice === 'auto' ? ' (k chosen by silhouette)' : ' (k fixed in the pipeline file)'}. ` +
        'Names are generated from how each segment differs from the average buyer; ids stay with a segment from run to run.'),
      h('div', { class: 'kpis' },
        kpi('segments', formatNumber(s.k)), kpi('buyers segmented', formatNumber(s.buyers)),
        kpi('silhouette (−1 … 1)', formatNumber(s.silhouette, 3)),
        kpi(top ? `revenue from “${top.segment_name}”` : 'top segment', pct(top?.revenue_share ?? null))),
      await barChart(rows.map((r) => ({ label: label(r), value: r.customers })), {
        title: 'Buyers per segment', labelTitle: 'segment', valueTitle: 'buyers', horizontal: true, format: ',.0f' }),
      await barChart(rows.map((r) => ({ label: label(r), value: r.revenue_share ?? 0 })), {
        title: 'Share of revenue per segment', labelTitle: 'segment', valueTitle: 'share of revenue', horizontal: true, format: '.0%' }),
      h('h3', {}, 'Profiles'),
      profileTable(rows),
      await centroidHeatmap(ctx, order),
      await pcaScatter(ctx, order),
    ];
  },
};
