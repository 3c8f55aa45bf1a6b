/**
 * The segments stage run on its own (segments-harness.ts) on the published customer tables of one generated
 * pipeline run (2000 persons, seed 42, two years): k: auto stays in k_range and takes the best silhouette, with
 * both curves in model_metrics; the same seed gives identical customer_segments; and ids follow centroids, not
 * sizes or k-means' arbitrary cluster order. For the last, a first run sees only 30 % of the largest segment's
 * buyers, so the size order changes when they return; a second run with another seed (k-means numbers its
 * clusters differently) must pair its segments with the first run's centroids optimally (a JS oracle tries all
 * 120 pairings), which numbering the same clusters by size does not. A sixth segment gets a fresh id, dropped
 * ones are reported vanished, and a changed feature list starts new ids.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { generate } from '../../src/generate/index.js';
import { runFile, tempDir } from '../helpers.js';
import {
  agreementVsBest, centroidsIn, loadPublished, pairingCost, permutations, publish, readModel, runSegments, segmentOf, segmentsPipeline,
} from './segments-harness.js';

let db: Database;

beforeAll(async () => {
  const dir = tempDir('cra-segments-stab-');
  await generate({ outDir: dir, customers: 2000, seed: 42, days: 730 });
  const { runDir } = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['output.pii=keep', 'stages=[value]'] });
  db = await Database.open(':memory:');
  await loadPublished(db, runDir);
  await db.run('CREATE TEMP TABLE all_features AS SELECT * FROM out_customer_features');
}, 180_000);
afterAll(() => db?.close());

const restore = (): Promise<void> => db.run('CREATE OR REPLACE TEMP TABLE out_customer_features AS SELECT * FROM all_features');

describe('segments stage on generated customer tables', () => {
  it('k: auto picks the best silhouette within k_range and publishes both curves', async () => {
    const { ctx } = await runSegments(db, segmentsPipeline(), ['segments.k=auto', 'segments.k_range=[2, 8]']);
    const curve = await db.all<{ metric: string; k: number; value: number }>(
      `SELECT metric, CAST(dimension_value AS INTEGER) AS k, value FROM out_model_metrics WHERE model = 'segments' AND dimension = 'k' ORDER BY metric, k`);
    const silhouette = curve.filter((r) => r.metric === 'silhouette');
    expect(silhouette.map((r) => r.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(curve.filter((r) => r.metric === 'inertia').map((r) => r.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const best = silhouette.reduce((b, r) => (r.value > b.value ? r : b));
    const summary = ctx.models.segments as { k: number; k_choice: string; silhouette: number };
    console.info(`segments k: auto chose ${summary.k}; silhouette ${silhouette.map((r) => `${r.k}:${r.value.toFixed(3)}`).join(' ')}`);
    expect(summary).toMatchObject({ k: best.k, k_choice: 'auto' });
    expect(summary.k).toBeGreaterThanOrEqual(2);
    expect(summary.k).toBeLessThanOrEqual(8);
  });

  it('gives identical customer_segments for the same seed', async () => {
    const query = 'SELECT * FROM out_customer_segments ORDER BY customer_key';
    await runSegments(db, segmentsPipeline(), ['segments.k=5']);
    const a = await db.all(query);
    await runSegments(db, segmentsPipeline(), ['segments.k=5']);
    expect(await db.all(query)).toEqual(a);
  });

  it('keeps ids with the centroids when sizes reorder and k-means numbers clusters differently', async () => {
    await restore();
    const file = segmentsPipeline();
    const reference = await runSegments(db, segmentsPipeline(), ['segments.k=5']);
    const largest = (reference.ctx.models.segments as { segments: { id: number; customers: number }[] }).segments
      .reduce((a, b) => (b.customers > a.customers ? b : a)).id;
    // First run: 70 % of the largest segment's buyers are not there yet.
    await db.run(`DELETE FROM out_customer_features WHERE customer_key IN (
                    SELECT customer_key FROM out_customer_segments WHERE segment_id = $largest AND hash(customer_key) % 10 < 7)`, { largest });
    const a = await runSegments(db, file, ['segments.k=5']);
    const before = await segmentOf(db);
    await publish(a);
    await restore();
    const b = await runSegments(db, file, ['segments.k=5', 'segments.seed=7']);
    const after = await segmentOf(db);
    const members = await db.all<{ segment_id: number; x: number[] }>(`
      SELECT s.segment_id, [f.recency_days, f.frequency, f.monetary] AS x FROM out_customer_segments s JOIN out_customer_features f USING (customer_key)`);
    const fresh = await runSegments(db, segmentsPipeline(), ['segments.k=5', 'segments.seed=7']);
    const bySize = await segmentOf(db);
    expect(b.ctx.models.segments).toMatchObject({ previous_run_id: a.ctx.runId, new_segments: [], vanished_segments: [] });
    expect(fresh.ctx.models.segments).toMatchObject({ previous_run_id: null });
    // Oracle: this run's centroids in the first run's stored transform; keeping the ids is the closest pairing.
    const model = readModel(a.ctx.runDir);
    const centroids = centroidsIn(model, members);
    const ids = [...centroids.keys()].sort((x, y) => x - y);
    const best = Math.min(...permutations(ids).map((perm) => pairingCost(model, centroids, ids, perm)));
    expect(pairingCost(model, centroids, ids, ids)).toBeCloseTo(best, 9);
    // The same clusters numbered afresh (by size) pair worse: the set-up bites, arbitrary ids would fail.
    const sizeId = new Map([...after].map(([key, id]) => [id, bySize.get(key)!]));
    expect(pairingCost(model, centroids, ids, ids.map((id) => sizeId.get(id)!))).toBeGreaterThan(best + 1e-6);
    const kept = agreementVsBest(before, after);
    console.info(`segments stable ids: ${kept.kept} of ${kept.common} returning buyers keep their id (best renaming: ${kept.best})`);
  });

  it('gives a new segment a fresh id, records vanished ids, and restarts ids for other features', async () => {
    await restore();
    const file = segmentsPipeline();
    await publish(await runSegments(db, file, ['segments.k=5']));
    const six = await runSegments(db, file, ['segments.k=6']);
    expect(six.ctx.models.segments).toMatchObject({ new_segments: [6], vanished_segments: [] });
    expect(await db.all(`SELECT dimension_value FROM out_model_metrics WHERE metric = 'new_segment'`)).toEqual([{ dimension_value: '6' }]);
    await publish(six);
    const four = await runSegments(db, file, ['segments.k=4']);
    const summary = four.ctx.models.segments as { vanished_segments: number[]; segments: { id: number; status: string }[] };
    expect(summary.vanished_segments).toHaveLength(2);
    expect(summary.segments.every((s) => s.status === 'kept' && s.id >= 1 && s.id <= 6)).toBe(true);
    expect(Number(await db.value(`SELECT count(*) FROM out_model_metrics WHERE metric = 'vanished_segment'`))).toBe(2);
    await publish(four);
    const other = await runSegments(db, file, ['segments.k=4', 'segments.features=[recency_days, frequency]']);
    expect(other.ctx.models.segments).toMatchObject({ new_segments: [7, 8, 9, 10], vanished_segments: summary.segments.map((s) => s.id).sort() });
    expect(await db.all('SELECT DISTINCT id_status FROM out_segment_profiles')).toEqual([{ id_status: 'new' }]);
  });
});
