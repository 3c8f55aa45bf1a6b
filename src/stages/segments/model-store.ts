/**
 * The fitted segmentation as data: feature list, transform parameters (medians, winsor bounds, log flags,
 * centres, scales), centroids in the transformed space and the stable ids. It is kept twice:
 * - in the warehouse table `segments_model` (private state, one row per run, the last KEEP_MODELS kept), which a
 *   later run reads to match its segments to the previous ones;
 * - as `segments_model.json` in the run folder, so users can score new customers the same way (apply the
 *   transform, take the nearest centroid) and the runner carries it with customer_segments on restricted runs.
 *
 * "The previous run" is the last successful one: the run whose model `latest/segments_model.json` names (a failed
 * run never becomes latest, and a restricted run carries the file forward). Its warehouse row is preferred; the
 * file itself serves when the warehouse no longer has it. No latest (a first run, or a deleted output folder)
 * means fresh ids.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunContext } from '../../pipeline/context.js';
import type { FeatureTransform, TransformMode } from './transform.js';

export const MODEL_FORMAT = 'cra-segments/1';
export const KEEP_MODELS = 20;

export interface SegmentModel {
  format: typeof MODEL_FORMAT;
  pipeline: string;
  run_id: string;
  as_of: string;
  features: string[];
  transform: { mode: TransformMode; winsor: [number, number]; skew_threshold: number; params: FeatureTransform[] };
  k: number;
  k_choice: 'auto' | 'fixed';
  seed: number;
  segments: { segment_id: number; segment_name: string; customers: number; centroid: number[]; rule: string | null }[];
  /** Largest id ever used in this lineage (new segments get ids above it). */
  max_segment_id: number;
  previous_run_id: string | null;
}

async function ensureTable(ctx: RunContext): Promise<void> {
  await ctx.db.run('CREATE TABLE IF NOT EXISTS segments_model (pipeline VARCHAR, run_id VARCHAR, seq BIGINT, as_of DATE, model VARCHAR)');
}

function parse(text: string, pipeline: string): SegmentModel | null {
  try {
    const model = JSON.parse(text) as SegmentModel;
    return model.format === MODEL_FORMAT && model.pipeline === pipeline && Array.isArray(model.segments) ? model : null;
  } catch {
    return null;
  }
}

/** The model of the last successful run that built segments, or null. */
export async function loadPreviousModel(ctx: RunContext): Promise<SegmentModel | null> {
  await ensureTable(ctx);
  const pipeline = ctx.pipeline.config.name;
  let fromFile: SegmentModel | null;
  try {
    fromFile = parse(await readFile(path.join(ctx.pipeline.outputRoot, 'latest', 'segments_model.json'), 'utf8'), pipeline);
  } catch {
    return null;
  }
  if (!fromFile) return null;
  const stored = await ctx.db.value<string>('SELECT model FROM segments_model WHERE pipeline = $pipeline AND run_id = $run_id', {
    pipeline, run_id: fromFile.run_id,
  });
  return (stored ? parse(stored, pipeline) : null) ?? fromFile;
}

/** Stores this run's model in the warehouse (pruning old rows) and writes segments_model.json into the run folder. */
export async function saveModel(ctx: RunContext, model: SegmentModel): Promise<void> {
  await ensureTable(ctx);
  const text = JSON.stringify(model, null, 2);
  const params = { pipeline: model.pipeline, run_id: model.run_id, as_of: model.as_of, model: text, keep: KEEP_MODELS };
  await ctx.db.transaction(async () => {
    await ctx.db.run('DELETE FROM segments_model WHERE pipeline = $pipeline AND run_id = $run_id', params);
    await ctx.db.run(`INSERT INTO segments_model
                      SELECT $pipeline, $run_id, coalesce(max(seq), 0) + 1, CAST($as_of AS DATE), $model FROM segments_model`, params);
    await ctx.db.run(`DELETE FROM segments_model WHERE pipeline = $pipeline AND seq NOT IN (
                        SELECT seq FROM segments_model WHERE pipeline = $pipeline ORDER BY seq DESC LIMIT $keep)`, params);
  });
  await writeFile(path.join(ctx.runDir, 'segments_model.json'), `${text}\n`);
}
