/**
 * Rows for the shared `out_model_metrics` table (model × metric × dimension). Whole-population figures use the
 * dimension `overall` with the value `all`, so every row has a non-null dimension to sort and filter on.
 */
import type { Database } from '../../db/database.js';

export type MetricRow = readonly [model: string, metric: string, dimension: string, dimensionValue: string, value: number | null];

export const overall = (model: string, metric: string, value: number | null): MetricRow => [model, metric, 'overall', 'all', value];

export async function appendMetrics(db: Database, rows: readonly MetricRow[]): Promise<void> {
  const finite = rows.map(([m, k, d, v, x]) => [m, k, d, v, x !== null && Number.isFinite(x) ? x : null] as const);
  if (finite.length > 0) await db.appendRows('out_model_metrics', finite);
}
