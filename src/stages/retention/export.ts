/**
 * Writes a published model into the run folder as `<name>_model.sql` — ONE DuckDB query over customer_features
 * that reproduces the published scores (contract §4: full round-trip thresholds, an explicit NULL branch at every
 * split, the scored population as a join-free WHERE) — and `<name>_model.json`, the tree with everything needed to
 * reload, audit or re-apply it. Derived features are inlined as expressions over customer_features columns.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { treeToJson, treeToSql, type CartRule, type CartTree } from '../../analytics/cart/index.js';
import { DERIVED_FEATURES, inlineDerivedFeatures, scoredPopulationWhere, type Population } from './populations.js';

export interface ModelExport {
  /** churn or lead. */
  name: string;
  scoreColumn: string;
  population: Population;
  asOf: string;
  activeDays: number;
  optedOut: readonly string[];
  tree: CartTree;
  rules: readonly CartRule[];
  /** Anything else worth keeping beside the tree (cutoffs, holdout figures, settings). */
  meta: Record<string, unknown>;
}

export function modelSql(e: ModelExport): string {
  const where = scoredPopulationWhere(e.population, e.activeDays, e.optedOut);
  const query = treeToSql(e.tree, { table: 'customer_features', keyColumn: 'customer_key', scoreColumn: e.scoreColumn, where });
  // Nothing but the query (no comment lines): the file is exactly contract §4's `SELECT customer_key, … FROM
  // customer_features WHERE …`, ready to wrap as a subquery. How to run it is in <name>_model.json.
  return `${inlineDerivedFeatures(query)}\n`;
}

export async function writeModelFiles(runDir: string, e: ModelExport): Promise<void> {
  const json = {
    format: 'cra-retention-model/1',
    model: e.name,
    as_of: e.asOf,
    score_column: e.scoreColumn,
    usage: `CREATE VIEW customer_features AS SELECT * FROM 'customer_features.parquet'; then run ${e.name}_model.sql`,
    population: e.population,
    population_where: scoredPopulationWhere(e.population, e.activeDays, e.optedOut),
    derived_features: Object.fromEntries(Object.entries(DERIVED_FEATURES).filter(([name]) => e.tree.features.some((f) => f.name === name))),
    ...e.meta,
    rules: e.rules.map((r) => ({ leaf: r.leaf, rule: r.text, rows: r.rows, share: r.share, positives: r.positives, rate: r.rate, lift: r.lift })),
    tree: treeToJson(e.tree),
  };
  await writeFile(path.join(runDir, `${e.name}_model.sql`), modelSql(e));
  await writeFile(path.join(runDir, `${e.name}_model.json`), `${JSON.stringify(json, null, 2)}\n`);
}
