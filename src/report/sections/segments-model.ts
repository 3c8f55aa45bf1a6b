/**
 * How the segments were made, for the analyst who has to defend them: the k-choice curves (silhouette on a
 * sample and inertia per k; best silhouette wins, ties → fewer segments), the feature transform per feature,
 * each segment's membership rule from a shallow decision tree with its precision and recall, and whether ids
 * carried over from the previous run (kept, new, vanished).
 */
import { lineChart } from '../charts.js';
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { profileRows, segmentsSummary, type SegmentsSummary } from './segments-common.js';
import { pct } from './value-common.js';

async function curves(ctx: ReportContext, s: SegmentsSummary): Promise<Html[]> {
  const rows = await ctx.db.all<{ metric: string; k: number; value: number | null }>(
    `SELECT metric, CAST(dimension_value AS INTEGER) AS k, value FROM out_model_metrics
     WHERE model = 'segments' AND dimension = 'k' AND metric IN ('silhouette', 'inertia') ORDER BY metric, k`);
  if (s.k_choice === 'fixed') {
    return [h('p', {}, `k = ${s.k} is fixed in the pipeline file (segments.k); set it to auto to compare k by silhouette. ` +
      `Silhouette of this fit: ${formatNumber(s.silhouette, 3)}.`)];
  }
  const points = (metric: string): { x: number; y: number }[] =>
    rows.filter((r) => r.metric === metric && r.value !== null).map((r) => ({ x: r.k, y: r.value! }));
  const sampled = s.k_choice_rows !== undefined && s.k_choice_rows < s.buyers;
  return [
    h('p', {}, `k = ${s.k} has the highest mean silhouette (how much closer buyers are to their own segment than to the next one, ` +
      '−1 … 1) on a fixed sample of at most 10,000 buyers; ties go to the smaller k. Inertia (within-segment sum of squares) always falls with k: ' +
      'look for the elbow.' +
      (sampled ? ` The k were compared on a fixed sample of ${formatNumber(s.k_choice_rows!, 0)} of the ${formatNumber(s.buyers, 0)} buyers, ` +
        `so both curves are measured on it; the chosen k was then fitted on every buyer (its silhouette: ${formatNumber(s.silhouette, 3)}).` : '')),
    await lineChart(points('silhouette'), { title: 'Silhouette by k (higher is better)', xTitle: 'k', yTitle: 'mean silhouette', xType: 'ordinal', format: '.2f' }),
    await lineChart(points('inertia'), { title: 'Inertia by k (the elbow curve)', xTitle: 'k', yTitle: 'inertia', xType: 'ordinal', format: ',.0f' }),
  ];
}

function transformTable(s: SegmentsSummary): Html[] {
  const how = s.transform === 'auto'
    ? `Missing values take the feature's median; values are clipped to the ${pct(s.winsor?.[0])} and ${pct(s.winsor?.[1])} quantiles; a feature whose ` +
      'clipped values are all ≥ 0 with skewness above 1 (money, counts) is log1p-transformed; then each is standardised (z-score).'
    : s.transform === 'standardise' ? 'Missing values take the median; each feature is standardised (z-score), nothing else.'
      : 'Missing values take the median; features are clustered in their own units (transform: none), so the widest-ranging one dominates.';
  return [h('p', {}, `${how} The parameters are stored in segments_model.json and reused to match the next run's segments.`),
    table([
      { key: 'feature', label: 'feature' }, { key: 'imputed', label: 'buyers imputed' }, { key: 'median', label: 'median', digits: 'auto' },
      { key: 'lo', label: 'clip low', digits: 'auto' }, { key: 'hi', label: 'clip high', digits: 'auto' }, { key: 'skewness', label: 'skewness', digits: 2 },
      { key: 'log', label: 'log1p' }, { key: 'center', label: 'mean', digits: 3 }, { key: 'scale', label: 'sd', digits: 3 },
    ], s.transform_params.map((p) => ({ ...p, log: p.log ? 'yes' : 'no' })))];
}

function stability(s: SegmentsSummary, rows: Awaited<ReturnType<typeof profileRows>>): Html[] {
  if (!s.previous_run_id) return [h('p', {}, 'No earlier successful run to match: segments are numbered by size, largest first. Later runs keep these ids.')];
  const kept = rows.filter((r) => r.id_status === 'kept');
  const lines = [`Matched to run ${s.previous_run_id}: ${kept.length} segment(s) kept their id`];
  if (s.previous_not_matched) lines.push(`; not comparable (${s.previous_not_matched}), so every segment has a new id`);
  if (s.new_segments.length) lines.push(`; new: ${s.new_segments.join(', ')}`);
  if (s.vanished_segments.length) lines.push(`; vanished: ${s.vanished_segments.join(', ')}`);
  return [
    h('p', {}, `${lines.join('')}. Centroids are compared in the previous run's transform and paired by the assignment with the least total distance.`),
    table([{ key: 'segment_id', label: 'id' }, { key: 'segment_name', label: 'segment' }, { key: 'id_status', label: 'status' },
      { key: 'match_distance', label: 'centroid moved (sd)', digits: 3 }], rows),
  ];
}

export const segmentsModelSection: ReportSection = {
  id: 'segments-model',
  title: 'How the segments were made',
  async render(ctx: ReportContext) {
    const s = await segmentsSummary(ctx);
    if (typeof s === 'string') return s;
    const rows = await profileRows(ctx);
    return [
      h('h3', {}, 'Choosing k'), ...(await curves(ctx, s)),
      h('h3', {}, 'Feature transform'), ...transformTable(s),
      h('h3', {}, 'Membership rules'),
      h('p', {}, 'A depth-3 decision tree per segment (segment vs. the rest) on the raw features; the rule is the branch holding most of the ' +
        'segment. Precision: share of buyers matching the rule who are in the segment; recall: share of the segment the rule covers. ' +
        'The rules are SQL: paste them into a WHERE clause over customer_features (joined to customer_value for its columns).'),
      table([{ key: 'segment_id', label: 'id' }, { key: 'segment_name', label: 'segment' }, { key: 'rule', label: 'rule' },
        { key: 'precision', label: 'precision' }, { key: 'recall', label: 'recall' }],
      rows.map((r) => ({ ...r, rule: r.rule ?? 'no branch where this segment is the majority', precision: pct(r.rule_precision), recall: pct(r.rule_recall) }))),
      h('h3', {}, 'Stable ids'), ...stability(s, rows),
    ];
  },
};
