/**
 * Hands the engine's results back to DuckDB: the leaf of every scored row (by row index in customer_key order),
 * each leaf's probability and rule, and model_metrics rows. Appended into temp tables created here (the row leaves
 * as typed columns, the rest through db.appendRows), so the published tables are then built in SQL
 * (marts/churn_scores.sql, marts/lead_scores.sql).
 */
import type { CartRule } from '../../analytics/cart/index.js';
import type { Database } from '../../db/database.js';
import type { MetricRow } from './evaluation.js';

export async function createResultTables(db: Database): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE int_retention_row_leaves (model VARCHAR, rid DOUBLE, leaf DOUBLE)');
  await db.run('CREATE OR REPLACE TEMP TABLE int_retention_leaves (model VARCHAR, leaf DOUBLE, probability DOUBLE, rule VARCHAR)');
}

export async function storeLeaves(db: Database, model: string, rowLeaves: Int32Array, rules: readonly CartRule[]): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE int_retention_model_leaves (rid INTEGER, leaf INTEGER)');
  await db.appendTypedColumns('int_retention_model_leaves', [Int32Array.from(rowLeaves, (_, rid) => rid), rowLeaves]);
  await db.run('INSERT INTO int_retention_row_leaves SELECT $model, rid, leaf FROM int_retention_model_leaves; DROP TABLE int_retention_model_leaves', { model });
  await db.appendRows('int_retention_leaves', rules.map((r) => [model, r.leaf, r.rate, r.text]));
}

export async function appendMetrics(db: Database, rows: readonly MetricRow[]): Promise<void> {
  const finite = rows.map(([m, k, d, v, x]) => [m, k, d, v, x !== null && Number.isFinite(x) ? x : null] as const);
  if (finite.length > 0) await db.appendRows('out_model_metrics', finite);
}
