/**
 * Runs the segments stage on its own, on tables a test puts in place (out_customer_features, out_customer_value,
 * out_customers — hand-made, or loaded from a pipeline run's published Parquet), so a test can fit many
 * configurations on the same data in well under a second each. `publish` points `latest` at a run's folder, as
 * the runner does after a successful run, so the next call matches its segments to that run's.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPipeline } from '../../src/config/load.js';
import { quoteLiteral, type Database } from '../../src/db/database.js';
import type { RunContext, StageResult } from '../../src/pipeline/context.js';
import { memoryLogger } from '../../src/pipeline/logger.js';
import { swapLatest } from '../../src/pipeline/publish.js';
import { segmentsStage } from '../../src/stages/segments/index.js';
import { FIXED_NOW, tempDir } from '../helpers.js';

/** A folder with a pipeline file (its one source is never read: only the stage runs). */
export function segmentsPipeline(): string {
  const dir = tempDir('cra-segments-');
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(file, `name: seg
as_of: 2024-06-30
sources:
  - { channel: web_orders, path: none.csv }
output: { dir: out, pii: keep }
state_dir: state
`);
  return file;
}

export interface StageRun {
  ctx: RunContext;
  result: StageResult;
}

let runs = 0;

/** Runs the stage with `overrides` (--set syntax) as run `runId`; out_model_metrics starts empty. */
export async function runSegments(db: Database, pipelineFile: string, overrides: string[] = [], runId = `run-${++runs}`): Promise<StageRun> {
  const pipeline = loadPipeline(pipelineFile, overrides);
  const runDir = path.join(pipeline.outputRoot, 'runs', runId);
  mkdirSync(runDir, { recursive: true });
  await db.run('CREATE OR REPLACE TEMP TABLE out_model_metrics (model VARCHAR, metric VARCHAR, dimension VARCHAR, dimension_value VARCHAR, value DOUBLE)');
  const ctx: RunContext = {
    pipeline, db, log: memoryLogger(), runId, runDir, options: { fullRefresh: false, strict: false, now: FIXED_NOW },
    asOf: '2024-06-30', inputs: [], models: {}, completed: new Map(), stages: [],
  };
  const result = (await segmentsStage.run(ctx)) ?? {};
  return { ctx, result };
}

/** What the runner does after a successful run: `latest` → runs/<runId>. */
export async function publish(run: StageRun): Promise<void> {
  await swapLatest(run.ctx.pipeline.outputRoot, run.ctx.runId);
}

/** Loads a published run's customer_features, customer_value and customers as the stage's input tables. */
export async function loadPublished(db: Database, runDir: string): Promise<void> {
  for (const table of ['customer_features', 'customer_value', 'customers']) {
    await db.run(`CREATE OR REPLACE TEMP TABLE out_${table} AS SELECT * FROM read_parquet(${quoteLiteral(path.join(runDir, `${table}.parquet`))})`);
  }
}

/** customer_key → segment_id of the stage's last output. */
export async function segmentOf(db: Database): Promise<Map<string, number>> {
  const rows = await db.all<{ customer_key: string; segment_id: number }>('SELECT customer_key, segment_id FROM out_customer_segments');
  return new Map(rows.map((r) => [r.customer_key, r.segment_id]));
}

/** Every ordering of `xs`. */
export function permutations(xs: readonly number[]): number[][] {
  return xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/**
 * How many customers in both maps keep their id, and the most any renaming of the second map's ids (a
 * permutation of them) could keep: ids are "right" when the first equals the second.
 */
export function agreementVsBest(before: Map<string, number>, after: Map<string, number>): { common: number; kept: number; best: number } {
  const ids = [...new Set(after.values())].sort((a, b) => a - b);
  const count = new Map<string, number>();
  let common = 0;
  for (const [key, b] of after) {
    const a = before.get(key);
    if (a === undefined) continue;
    common++;
    count.set(`${a}/${b}`, (count.get(`${a}/${b}`) ?? 0) + 1);
  }
  // A renaming sends after-id ids[i] to perm[i]; it keeps the customers counted under `${perm[i]}/${ids[i]}`.
  const keptUnder = (perm: readonly number[]): number => ids.reduce((s, b, i) => s + (count.get(`${perm[i]}/${b}`) ?? 0), 0);
  const best = Math.max(...permutations(ids).map(keptUnder));
  return { common, kept: keptUnder(ids), best };
}

export interface StoredModel {
  features: string[];
  transform: { params: { median: number; lo: number | null; hi: number | null; log: boolean; center: number; scale: number }[] };
  segments: { segment_id: number; centroid: number[] }[];
}

export function readModel(runDir: string): StoredModel {
  return JSON.parse(readFileSync(path.join(runDir, 'segments_model.json'), 'utf8')) as StoredModel;
}

/**
 * Oracle for the matching, in plain JS: each segment's members (`members`: segment id and raw feature values in
 * the model's feature order) transformed with a stored model's parameters and averaged — the segment's centroid in
 * that model's space.
 */
export function centroidsIn(model: StoredModel, members: readonly { segment_id: number; x: (number | null)[] }[]): Map<number, number[]> {
  const sums = new Map<number, { n: number; z: number[] }>();
  for (const m of members) {
    const acc = sums.get(m.segment_id) ?? { n: 0, z: model.features.map(() => 0) };
    model.transform.params.forEach((p, t) => {
      const x = Math.min(Math.max(m.x[t] ?? p.median, p.lo ?? -Infinity), p.hi ?? Infinity);
      acc.z[t]! += ((p.log ? Math.log1p(x) : x) - p.center) / p.scale;
    });
    sums.set(m.segment_id, { n: acc.n + 1, z: acc.z });
  }
  return new Map([...sums].map(([id, { n, z }]) => [id, z.map((v) => v / n)]));
}

/** Total distance between this run's centroids and the model's when segment id `ids[i]` is paired with `prev[i]`. */
export function pairingCost(model: StoredModel, centroids: Map<number, number[]>, ids: readonly number[], prev: readonly number[]): number {
  const before = new Map(model.segments.map((s) => [s.segment_id, s.centroid]));
  return ids.reduce((s, id, i) => s + Math.hypot(...centroids.get(id)!.map((v, t) => v - before.get(prev[i]!)![t]!)), 0);
}
