/**
 * What the segments stage adds to model_metrics (model 'segments'): the k-choice curves (metric inertia /
 * silhouette, dimension k — one point for a fixed k — measured on k_choice_rows buyers), the population (buyers, profiling opt-outs), how ids carried
 * over (match_distance per kept segment, new_segment / vanished_segment per id) and the PCA variance shares; plus
 * the report's scatter sample, int_segment_pca (segment, two principal components of at most PCA_POINTS buyers).
 */
import { pca2 } from '../../analytics/pca.js';
import { deriveSeed } from '../../analytics/random.js';
import type { Database } from '../../db/database.js';
import type { Description } from './describe.js';
import type { SegmentFit } from './fit.js';

export const PCA_POINTS = 2000;
const PCA_SEED_KEY = 0x9ca;

type MetricRow = [string, string, string, string, number | null];

export async function storeMetrics(db: Database, o: { fit: SegmentFit; described: Description; buyers: number; optedOut: number }): Promise<void> {
  const row = (metric: string, dimension: string, value: string | number, x: number | null): MetricRow =>
    ['segments', metric, dimension, String(value), x !== null && Number.isFinite(x) ? x : null];
  const rows: MetricRow[] = [
    row('buyers', 'overall', 'all', o.buyers),
    row('buyers_profiling_opt_out', 'overall', 'all', o.optedOut),
    row('k', 'overall', 'all', o.fit.k),
    row('k_choice_rows', 'overall', 'all', o.fit.curveRows),
  ];
  for (const p of o.fit.curve) rows.push(row('inertia', 'k', p.k, p.inertia), row('silhouette', 'k', p.k, p.silhouette));
  for (const s of o.described.segments) {
    if (s.status === 'kept') rows.push(row('match_distance', 'segment_id', s.segmentId, s.matchDistance));
    if (s.status === 'new') rows.push(row('new_segment', 'segment_id', s.segmentId, 1));
  }
  for (const id of o.described.vanished) rows.push(row('vanished_segment', 'segment_id', id, 1));
  await db.appendRows('out_model_metrics', rows);
}

/** Projects a deterministic sample of the standardised matrix on its first two principal components. */
export async function storePca(db: Database, x: Float64Array, n: number, d: number, seed: number): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE int_segment_pca_rows (row_id BIGINT, pc1 DOUBLE, pc2 DOUBLE)');
  if (n >= 2) {
    const p = pca2(x, n, d, { sampleSize: PCA_POINTS, seed: deriveSeed(seed, PCA_SEED_KEY) });
    await db.appendRows('int_segment_pca_rows', Array.from(p.rows, (r, i) => [r, p.coords[i * 2]!, p.coords[i * 2 + 1]!]));
    await db.appendRows('out_model_metrics', [0, 1].map((c) => ['segments', 'pca_variance_share', 'component', String(c + 1), p.explainedVarianceRatio[c]!]));
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE int_segment_pca AS
                SELECT s.segment_id, s.segment_name, p.pc1, p.pc2
                FROM int_segment_pca_rows p JOIN int_segment_buyers b USING (row_id) JOIN out_customer_segments s USING (customer_key)
                ORDER BY p.row_id`);
}
