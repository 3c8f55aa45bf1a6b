/**
 * The segments stage on `cra generate` data (2000 persons, seed 42, two years) through the real runner, twice:
 * as of 2024-04-30, then as of 2024-06-30 (more buyers, two more months of history). Planted truth: with k fixed
 * at the five buyer archetypes of truth.json, the segments recover them (adjusted Rand index ≥ 0.9 over buyers
 * that map to exactly one person through customer_crosswalk ⋈ truth_identities); the second run matches its
 * segments to the first run's (found through latest/segments_model.json): checked against a JS oracle, keeping
 * the ids is the closest of all pairings of the two runs' centroids in the first run's transform.
 * The published tables agree with each other and with customer_features, and the report shows the section.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/analytics/rand-index.js';
import { Database, quoteLiteral } from '../../src/db/database.js';
import { generate } from '../../src/generate/index.js';
import type { Manifest } from '../../src/pipeline/manifest.js';
import { runFile, tempDir } from '../helpers.js';
import { centroidsIn, pairingCost, permutations, readModel } from './segments-harness.js';

let dir = '';
let first: Manifest;
let second: Manifest;
let db: Database;
let archetypes: string[] = [];
const runDir = (m: Manifest): string => path.join(dir, 'reports', 'generated', 'runs', m.run_id);

beforeAll(async () => {
  dir = tempDir('cra-segments-gen-');
  await generate({ outDir: dir, customers: 2000, seed: 42, days: 730 });
  archetypes = (JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as { archetypes: { name: string }[] }).archetypes.map((a) => a.name);
  const file = path.join(dir, 'pipeline.yaml');
  const overrides = ['output.pii=keep', 'stages=[segments, report]', `segments.k=${archetypes.length}`];
  first = (await runFile(file, { overrides, asOf: '2024-04-30' })).manifest;
  second = (await runFile(file, { overrides })).manifest;
  db = await Database.open(':memory:');
  for (const [m, suffix] of [[first, '1'], [second, '2']] as const) {
    for (const t of ['customer_segments', 'segment_profiles', 'segment_centroids', 'customer_features', 'customer_value', 'customers', 'customer_crosswalk', 'model_metrics']) {
      await db.run(`CREATE VIEW ${t}_${suffix} AS SELECT * FROM read_parquet(${quoteLiteral(path.join(runDir(m), `${t}.parquet`))})`);
    }
  }
  await db.run(`CREATE VIEW truth_identities AS SELECT * FROM read_csv(${quoteLiteral(path.join(dir, 'truth_identities.csv'))}, all_varchar = true)`);
  await db.run(`CREATE VIEW truth_persons AS SELECT * FROM read_csv(${quoteLiteral(path.join(dir, 'truth_persons.csv'))}, all_varchar = true)`);
}, 180_000);
afterAll(() => db?.close());

describe('segments on generated data', () => {
  it('recovers the planted archetypes with k fixed at their number (ARI >= 0.9)', async () => {
    const rows = await db.all<{ segment_id: number; archetype: string }>(`
      WITH persons AS (
          SELECT c.customer_key, count(DISTINCT t.person_id) AS n, any_value(t.person_id) AS person_id
          FROM customer_crosswalk_2 c JOIN truth_identities t USING (source, id_type, source_record_id) GROUP BY c.customer_key)
      SELECT s.segment_id, p.archetype FROM customer_segments_2 s JOIN persons USING (customer_key)
      JOIN truth_persons p USING (person_id) WHERE persons.n = 1 ORDER BY s.customer_key`);
    const segmented = Number(await db.value('SELECT count(*) FROM customer_segments_2'));
    expect(rows.length).toBeGreaterThan(0.95 * segmented);
    const ari = adjustedRandIndex(Int32Array.from(rows, (r) => r.segment_id), Int32Array.from(rows, (r) => archetypes.indexOf(r.archetype)));
    console.info(`segments: ARI ${ari.toFixed(4)} over ${rows.length} buyers; ${JSON.stringify(second.models.segments)}`);
    expect(ari).toBeGreaterThanOrEqual(0.9);
  });

  it('segments exactly the buyers without profiling opt-out, and the tables agree', async () => {
    const expected = await db.all('SELECT customer_key FROM customers_2 WHERE is_buyer AND NOT profiling_opt_out ORDER BY 1');
    expect(await db.all('SELECT customer_key FROM customer_segments_2 ORDER BY 1')).toEqual(expected);
    const [p] = await db.all<{ n: number; customers: number; share: number; revenue: number; names: number; k: number }>(
      `SELECT count(*) AS n, sum(customers) AS customers, sum(revenue_share) AS share, sum(revenue) AS revenue,
              count(DISTINCT segment_name) AS names FROM segment_profiles_2`);
    expect(p).toMatchObject({ n: archetypes.length, customers: expected.length, names: archetypes.length });
    expect(p!.share).toBeCloseTo(1, 9);
    const revenue = Number(await db.value('SELECT sum(v.revenue) FROM customer_segments_2 JOIN customer_value_2 v USING (customer_key)'));
    expect(p!.revenue).toBeCloseTo(revenue, 4);
    // Centres in original units are the members' means of customer_features.
    const off = await db.value<number>(`
      WITH recomputed AS (
          SELECT s.segment_id, avg(f.monetary) AS monetary, avg(f.recency_days) AS recency_days
          FROM customer_segments_2 s JOIN customer_features_2 f USING (customer_key) GROUP BY ALL)
      SELECT max(greatest(abs(c.mean - r.monetary) / r.monetary, abs(p.recency_days - r.recency_days) / r.recency_days))
      FROM recomputed r JOIN segment_centroids_2 c USING (segment_id) JOIN segment_profiles_2 p USING (segment_id)
      WHERE c.feature = 'monetary'`);
    expect(off).toBeLessThan(1e-9);
    const model = JSON.parse(readFileSync(path.join(runDir(second), 'segments_model.json'), 'utf8')) as { run_id: string; k: number; features: string[] };
    expect(model).toMatchObject({ run_id: second.run_id, k: archetypes.length, features: ['recency_days', 'frequency', 'monetary'] });
    expect(second.models.segments).toMatchObject({ k: archetypes.length, fit_seconds: expect.any(Number) });
  });

  it('keeps segment ids from the earlier run by centroid: no other pairing is closer', async () => {
    expect(second.models.segments).toMatchObject({ previous_run_id: first.run_id, new_segments: [], vanished_segments: [] });
    const statuses = await db.all<{ id_status: string; match_distance: number }>('SELECT id_status, match_distance FROM segment_profiles_2');
    for (const s of statuses) expect(s).toMatchObject({ id_status: 'kept', match_distance: expect.any(Number) });
    // Oracle in JS: this run's members transformed with the earlier run's stored parameters (segments_model.json)
    // and averaged per segment; of all 120 pairings with the earlier centroids, keeping the ids is the closest.
    // Ids handed out arbitrarily (or by size) would almost never be.
    const model = readModel(runDir(first));
    const members = await db.all<{ segment_id: number; x: (number | null)[] }>(`
      SELECT s.segment_id, [f.recency_days, f.frequency, f.monetary] AS x FROM customer_segments_2 s JOIN customer_features_2 f USING (customer_key)`);
    const centroids = centroidsIn(model, members);
    const ids = [...centroids.keys()].sort((a, b) => a - b);
    const best = Math.min(...permutations(ids).map((perm) => pairingCost(model, centroids, ids, perm)));
    expect(pairingCost(model, centroids, ids, ids)).toBeCloseTo(best, 9);
    // match_distance is that distance per segment.
    const reported = await db.all<{ segment_id: number; d: number }>('SELECT segment_id, match_distance AS d FROM segment_profiles_2');
    for (const r of reported) expect(r.d).toBeCloseTo(pairingCost(model, centroids, [r.segment_id], [r.segment_id]), 6);
  });

  it('publishes the k curve rows and renders the report section', async () => {
    const rows = await db.all('SELECT metric, dimension_value FROM model_metrics_2 WHERE model = \'segments\' AND dimension = \'k\' ORDER BY metric');
    expect(rows).toEqual([{ metric: 'inertia', dimension_value: String(archetypes.length) }, { metric: 'silhouette', dimension_value: String(archetypes.length) }]);
    const html = readFileSync(path.join(runDir(second), 'report.html'), 'utf8');
    const names = await db.all<{ segment_name: string }>('SELECT segment_name FROM segment_profiles_2');
    expect(html).toContain('id="segments"');
    for (const n of names) expect(html).toContain(n.segment_name);
  });
});
