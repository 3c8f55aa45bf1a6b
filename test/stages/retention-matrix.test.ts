/**
 * The retention stage's DuckDB ↔ engine plumbing on a hand-built snapshot table: the bin edges (the engine's
 * quantileEdges) equal DuckDB's quantile_disc (the definition SQL scoring relies on), labels and categorical codes read as
 * typed arrays mean what they should, retention.features are checked with messages that name the key, and an
 * exported model with the derived preferred_channel (inlined as SQL over customer_features) scores every row of a
 * customer_features table exactly as the engine does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitCart, predictProba, sqlDouble } from '../../src/analytics/cart/index.js';
import { Database } from '../../src/db/database.js';
import { UsageError } from '../../src/errors.js';
import { modelSql } from '../../src/stages/retention/export.js';
import { featureSpecs, matrixEdges, MAX_BINS, readMatrix, scoringInputs, trainingColumns } from '../../src/stages/retention/matrix.js';
import { PREFERRED_CHANNEL_SQL } from '../../src/stages/retention/populations.js';

let db: Database;

beforeAll(async () => {
  db = await Database.open(':memory:');
  // 3000 active buyers in `train`: skewed money with NULLs, small integer counts, a channel mix, a boolean, a date.
  await db.run(`CREATE TEMP TABLE int_retention_windows AS
    SELECT 'train' AS snapshot, 'active_buyer' AS population, printf('K%05d', i) AS customer_key,
           CASE WHEN hash(i, 1) % 10 = 0 THEN NULL ELSE round(exp((hash(i, 2) % 1000) / 150.0), 2) END AS monetary,
           CAST(hash(i, 3) % 9 AS INTEGER) AS frequency, CAST(hash(i, 4) % 300 AS INTEGER) AS recency_days,
           CAST(hash(i, 5) % 4 AS INTEGER) AS sessions, CAST(hash(i, 6) % 3 AS INTEGER) AS calls,
           CAST(hash(i, 7) % 6 AS INTEGER) AS email_sends, (hash(i, 8) % 3) / 6.0 AS email_open_rate, CAST(NULL AS DOUBLE) AS email_click_rate,
           hash(i, 9) % 2 = 0 AS unsubscribed, DATE '2024-01-01' AS as_of, DATE '2024-01-01' AS some_date,
           CASE WHEN hash(i, 10) % 3 = 0 THEN NULL ELSE hash(i, 11) % 2 = 0 END AS purchased
    FROM range(3000) r(i)`);
  await db.run(`ALTER TABLE int_retention_windows ADD COLUMN preferred_channel VARCHAR`);
  await db.run(`UPDATE int_retention_windows SET preferred_channel = ${PREFERRED_CHANNEL_SQL}`);
});

afterAll(() => db.close());

describe('retention matrix', () => {
  it('bins on the same edges as DuckDB\'s quantile_disc, the definition SQL scoring relies on', async () => {
    const specs = await featureSpecs(db, ['monetary', 'frequency', 'recency_days', 'email_click_rate']);
    const m = await readMatrix(db, specs, 'train', 'active_buyer', false);
    const edges = matrixEdges(specs, m);
    expect(m.rows).toBe(3000);
    // The oracle: DuckDB's own quantiles at k / MAX_BINS, distinct and sorted, with +Infinity closing the last bin.
    const qs = Array.from({ length: MAX_BINS - 1 }, (_, k) => sqlDouble((k + 1) / MAX_BINS)).join(', ');
    for (const s of specs) {
      const duck = await db.value<number[] | null>(
        `SELECT list_sort(list_distinct(quantile_disc(CAST(${s.name} AS DOUBLE), [${qs}]))) FROM int_retention_windows
         WHERE snapshot = 'train' AND population = 'active_buyer'`);
      const expected = [...(duck ?? []).map(Number).filter((v) => v !== Infinity), Infinity];
      expect(Array.from(edges.get(s.name)!), s.name).toEqual(expected);
    }
    expect(Array.from(edges.get('email_click_rate')!)).toEqual([Infinity]);
    expect(edges.get('monetary')!.length).toBeGreaterThan(200);
  });

  it('reads labels and categorical codes', async () => {
    const specs = await featureSpecs(db, ['preferred_channel', 'unsubscribed']);
    expect(specs.map((s) => [s.kind, s.categories])).toEqual([['categorical', ['email', 'none', 'phone', 'web']], ['categorical', ['false', 'true']]]);
    const churn = await readMatrix(db, specs, 'train', 'active_buyer', false);
    const lead = await readMatrix(db, specs, 'train', 'active_buyer', true);
    const rows = await db.all<{ purchased: boolean | null; preferred_channel: string; unsubscribed: boolean }>(
      'SELECT purchased, preferred_channel, unsubscribed FROM int_retention_windows ORDER BY customer_key');
    rows.forEach((r, i) => {
      expect(churn.y[i]).toBe(r.purchased === false ? 1 : 0);
      expect(lead.y[i]).toBe(r.purchased === true ? 1 : 0);
      expect(specs[0]!.categories[churn.values.get('preferred_channel')![i]! - 1]).toBe(r.preferred_channel);
      expect(specs[1]!.categories[churn.values.get('unsubscribed')![i]! - 1]).toBe(String(r.unsubscribed));
    });
  });

  it('names retention.features in its errors', async () => {
    await expect(featureSpecs(db, ['nope'])).rejects.toThrow(UsageError);
    await expect(featureSpecs(db, ['nope'])).rejects.toThrow(/retention\.features: "nope" is not a customer_features column; use any of .*monetary/);
    await expect(featureSpecs(db, ['some_date'])).rejects.toThrow(/"some_date" has type DATE, which a tree cannot split/);
    await expect(featureSpecs(db, ['purchased'])).rejects.toThrow(/"purchased" is not a customer_features column/);
    await expect(featureSpecs(db, ['frequency', 'frequency'])).rejects.toThrow(/listed twice/);
  });

  it('exports a query that scores customer_features exactly as the engine, derived feature inlined', async () => {
    const specs = await featureSpecs(db, ['monetary', 'recency_days', 'preferred_channel']);
    const m = await readMatrix(db, specs, 'train', 'active_buyer', false);
    // A label the channel decides, so the tree splits on preferred_channel.
    const channel = m.values.get('preferred_channel')!;
    const y = Uint8Array.from(channel, (c, i) => (c === 4 || (c === 1 && i % 3 === 0) ? 1 : 0));
    const tree = fitCart(trainingColumns(specs, m, matrixEdges(specs, m)), y, { maxDepth: 4, minLeaf: 20 });
    expect(tree.nodes[0]!.split?.feature).toBe('preferred_channel');
    const expected = predictProba(tree, scoringInputs(specs, m));
    await db.run(`CREATE OR REPLACE TABLE customer_features AS SELECT * EXCLUDE (preferred_channel, snapshot, population, purchased) FROM int_retention_windows`);
    const sql = modelSql({ name: 'churn', scoreColumn: 'churn_probability', population: 'active_buyer', asOf: '2024-01-01', activeDays: 250, optedOut: ['K00007', "it's"], tree, rules: [], meta: {} });
    expect(sql).not.toContain('"preferred_channel"');
    const got = await db.all<{ customer_key: string; churn_probability: number }>(`SELECT * FROM (${sql}) ORDER BY customer_key`);
    const keys = (await db.all<{ k: string }>('SELECT customer_key AS k FROM int_retention_windows ORDER BY k')).map((r) => r.k);
    const inPopulation = (await db.all<{ k: string }>(`SELECT customer_key AS k FROM customer_features WHERE frequency > 0 AND recency_days < 250 AND customer_key <> 'K00007' ORDER BY k`)).map((r) => r.k);
    expect(got.map((r) => r.customer_key)).toEqual(inPopulation);
    const index = new Map(keys.map((k, i) => [k, i]));
    for (const r of got) expect(r.churn_probability).toBe(expected[index.get(r.customer_key)!]);
  });
});
