/**
 * Stage `features`: `customer_features`, one row per customer, strictly as of as_of. The model
 * (intermediate/int_customer_features.sql) takes the cutoff as a parameter, so retention builds its training
 * and validation snapshots at earlier dates with the very same definitions (`buildFeatures`).
 */
import type { Database } from '../../db/database.js';
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';

/** Leaves the temp table int_customer_features describing customers as of `asOf` (YYYY-MM-DD). */
export async function buildFeatures(db: Database, asOf: string): Promise<void> {
  await db.runFile('intermediate/int_customer_features.sql', { as_of: asOf });
}

async function run(ctx: RunContext): Promise<StageResult> {
  await buildFeatures(ctx.db, ctx.asOf);
  await ctx.db.run('CREATE OR REPLACE TEMP TABLE out_customer_features AS SELECT * FROM int_customer_features');
  const rows = Number(await ctx.db.value('SELECT count(*) FROM out_customer_features'));
  return { tables: ['customer_features'], rowsOut: rows };
}

export const featuresStage: Stage = { name: 'features', needs: ['identity'], run };
