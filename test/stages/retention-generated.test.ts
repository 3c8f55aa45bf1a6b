/**
 * The retention stage on generated data (2000 customers, seed 42; truth.json `churn`: buyers drop out, most after
 * complaint calls and/or falling email engagement in the 90 days before they stop):
 * - contract §4: latest/churn_model.sql (and lead_model.sql), run in a fresh DuckDB over latest/customer_features.parquet,
 *   reproduces every published probability within 1e-9 and selects exactly the scored customers;
 * - the validation labels re-derived from the published orders match the stage's holdout counts;
 * - the top of the tree uses recency and complaint features, and the holdout AUC beats the naive baseline while staying
 *   under the ceiling the planted mechanism allows: the AUC of the true churn probability given the hidden state —
 *   1 for a buyer who has already made their last purchase (a planted dropout, or a one-time buyer), exp(−h·λ) ≈ 0.08
 *   for one still buying (Poisson rate λ = 1/36 per day for every repeat archetype, so all tie).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auc } from '../../src/analytics/classification-metrics.js';
import type { CartTree } from '../../src/analytics/cart/index.js';
import { Database } from '../../src/db/database.js';
import { generate } from '../../src/generate/index.js';
import { readParquet, runFile, tempDir } from '../helpers.js';

type Models = { churn: { auc: number; baseline_auc: number; recency_auc: number; cutoffs: { valid: string } } };
let latest: string;
let outDir: string;
let models: Models;
let metrics: Map<string, number>;

async function reproduce(sqlFile: string, table: string, column: string): Promise<{ published: number; mismatched: number; maxDiff: number }> {
  const db = await Database.open(':memory:');
  try {
    await db.run(`CREATE VIEW customer_features AS SELECT * FROM read_parquet('${path.join(latest, 'customer_features.parquet')}')`);
    await db.run(`CREATE VIEW published AS SELECT * FROM read_parquet('${path.join(latest, `${table}.parquet`)}')`);
    await db.run(`CREATE TABLE exported AS ${readFileSync(path.join(latest, sqlFile), 'utf8')}`);
    const [r] = await db.all<{ published: number; mismatched: number; max_diff: number | null }>(
      `SELECT (SELECT count(*) FROM published) AS published,
              count(*) FILTER (WHERE p.customer_key IS NULL OR e.customer_key IS NULL) AS mismatched,
              max(abs(p.${column} - e.${column})) AS max_diff
       FROM published p FULL JOIN exported e USING (customer_key)`);
    return { published: Number(r!.published), mismatched: Number(r!.mismatched), maxDiff: Number(r!.max_diff ?? Infinity) };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  outDir = tempDir('cra-retention-gen-');
  await generate({ outDir, customers: 2000, seed: 42, days: 730 });
  const { manifest } = await runFile(path.join(outDir, 'pipeline.yaml'), { overrides: ['output.pii=keep', 'stages=[retention]'] });
  latest = path.join(outDir, 'reports', 'generated', 'latest');
  models = manifest.models as Models;
  const rows = await readParquet<{ metric: string; value: number }>(path.join(latest, 'model_metrics.parquet'),
    `SELECT metric, value FROM t WHERE model = 'churn' AND dimension = 'overall'`);
  metrics = new Map(rows.map((r) => [r.metric, r.value]));
}, 120_000);

describe('retention on generated data', () => {
  it('churn_model.sql and lead_model.sql reproduce the published scores on every row (contract §4)', async () => {
    const churn = await reproduce('churn_model.sql', 'churn_scores', 'churn_probability');
    expect(churn.published).toBeGreaterThan(1000);
    expect(churn.mismatched).toBe(0);
    expect(churn.maxDiff).toBeLessThanOrEqual(1e-9);
    const lead = await reproduce('lead_model.sql', 'lead_scores', 'purchase_probability');
    expect(lead.published).toBeGreaterThan(100);
    expect(lead.mismatched).toBe(0);
    expect(lead.maxDiff).toBeLessThanOrEqual(1e-9);
  });

  it('scores exactly the active buyers who did not opt out of profiling', async () => {
    const [r] = await readParquet<{ expected: number; scored: number; both: number }>(path.join(latest, 'customer_features.parquet'), `
      WITH c AS (SELECT * FROM read_parquet('${path.join(latest, 'customers.parquet')}')),
           s AS (SELECT * FROM read_parquet('${path.join(latest, 'churn_scores.parquet')}')),
           e AS (SELECT customer_key FROM t JOIN c USING (customer_key) WHERE t.frequency > 0 AND t.recency_days < 365 AND NOT c.profiling_opt_out)
      SELECT (SELECT count(*) FROM e) AS expected, (SELECT count(*) FROM s) AS scored, (SELECT count(*) FROM e JOIN s USING (customer_key)) AS both`);
    expect(r!.scored).toBe(r!.expected);
    expect(r!.both).toBe(r!.expected);
  });

  it('re-derives the holdout labels from the published orders', async () => {
    const valid = models.churn.cutoffs.valid;
    const [r] = await readParquet<{ rows: number; churned: number }>(path.join(latest, 'orders.parquet'), `
      WITH c AS (SELECT * FROM read_parquet('${path.join(latest, 'customers.parquet')}')),
           o AS (SELECT customer_key, CAST(ordered_at AS DATE) AS d FROM t WHERE status = 'completed' AND customer_key IS NOT NULL),
           active AS (SELECT DISTINCT customer_key FROM o WHERE d <= DATE '${valid}' AND d > DATE '${valid}' - 365),
           back AS (SELECT DISTINCT customer_key FROM o WHERE d > DATE '${valid}')
      SELECT count(*) AS rows, count(*) FILTER (WHERE b.customer_key IS NULL) AS churned
      FROM active a JOIN c USING (customer_key) LEFT JOIN back b USING (customer_key) WHERE NOT c.profiling_opt_out`);
    expect(metrics.get('valid_rows')).toBe(r!.rows);
    expect(metrics.get('valid_positives')).toBe(r!.churned);
  });

  it('puts recency and complaints at the top of the tree', () => {
    const tree = JSON.parse(readFileSync(path.join(latest, 'churn_model.json'), 'utf8')).tree as CartTree;
    const top = tree.nodes.filter((n) => n.split && n.depth <= 1).map((n) => n.split!.feature);
    const signal = /^(recency_days|days_since_last_visit|complaints|complaints_90d|unresolved_calls|engagement_90d|engagement_trend|email_open_rate|email_click_rate)$/;
    expect(top[0]).toMatch(signal);
    expect(top).toContain('recency_days');
    expect(top.some((f) => f.startsWith('complaints'))).toBe(true);
  });

  it('beats the naive baseline on the holdout and stays under the ceiling of the planted mechanism', async () => {
    const a = models.churn.auc;
    expect(metrics.get('auc')).toBe(a);
    expect(metrics.get('baseline_auc')).toBe(models.churn.baseline_auc);
    expect(a).toBeGreaterThan(models.churn.baseline_auc);
    // Ceiling: the holdout buyers' true churn probability given the hidden state, from truth_persons.csv.
    const valid = models.churn.cutoffs.valid;
    const rows = await readParquet<{ y: number; dead: number }>(path.join(latest, 'orders.parquet'), `
      WITH persons AS (SELECT * FROM read_csv('${path.join(outDir, 'truth_persons.csv')}', all_varchar = true)),
           ids AS (SELECT * FROM read_csv('${path.join(outDir, 'truth_identities.csv')}', all_varchar = true)),
           x AS (SELECT * FROM read_parquet('${path.join(latest, 'customer_crosswalk.parquet')}')),
           who AS (SELECT x.customer_key, min(ids.person_id) AS person_id FROM x JOIN ids USING (source, id_type, source_record_id) GROUP BY ALL),
           c AS (SELECT * FROM read_parquet('${path.join(latest, 'customers.parquet')}')),
           o AS (SELECT customer_key, CAST(ordered_at AS DATE) AS d FROM t WHERE status = 'completed' AND customer_key IS NOT NULL),
           active AS (SELECT DISTINCT customer_key FROM o WHERE d <= DATE '${valid}' AND d > DATE '${valid}' - 365),
           back AS (SELECT DISTINCT customer_key FROM o WHERE d > DATE '${valid}')
      SELECT CASE WHEN b.customer_key IS NULL THEN 1 ELSE 0 END AS y,
             CASE WHEN b.customer_key IS NULL AND (p.archetype = 'one_time' OR p.churned_at <> '') THEN 1 ELSE 0 END AS dead
      FROM active a JOIN c USING (customer_key) LEFT JOIN back b USING (customer_key)
      LEFT JOIN who USING (customer_key) LEFT JOIN persons p USING (person_id)
      WHERE NOT c.profiling_opt_out`);
    const ceiling = auc(Float64Array.from(rows, (r) => (r.dead ? 1 : 0.08)), Uint8Array.from(rows, (r) => r.y));
    // Seed 42 at the time of writing: model 0.729, baseline 0.701, recency alone 0.749, ceiling 0.850.
    expect(ceiling).toBeGreaterThan(0.8);
    expect(a).toBeLessThan(ceiling);
    expect(a).toBeGreaterThan(0.65);
  });
});
