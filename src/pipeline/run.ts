/**
 * The runner: takes the lock, opens the warehouse, runs the selected stages (plus their prerequisites) in
 * contract order, records each stage in the manifest, and publishes only when every stage succeeded or was
 * skipped with a reason (with --strict a skip is a failure). A failed run keeps its folder and a manifest saying
 * which stage failed and why; `latest` is untouched.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Pipeline } from '../config/load.js';
import { STAGES, type StageName } from '../config/schema.js';
import { Database, duckdbMemoryLimit } from '../db/database.js';
import { CraError, DataError, StageSkip } from '../errors.js';
import { CRA_VERSION } from '../version.js';
import type { RunContext, Stage } from './context.js';
import { acquireLock } from './lock.js';
import type { Logger } from './logger.js';
import { writeJsonAtomic, type Manifest, type OutputRecord } from './manifest.js';
import { loadPiiKey } from './pii.js';
import { carryForward, carryReport, pruneRuns, swapLatest, writeTables } from './publish.js';
import { BiFile } from './bi-file.js';
import { writeHistory } from './history.js';
import { configHash, unchangedSinceLastSuccess } from './if-changed.js';
import { clearResumeState, dropRunScratch, restoreResumeState, saveResumeState } from './resume.js';
import { dropStageScratch, tempObjects } from './stage-scratch.js';

export interface RunRequest {
  pipeline: Pipeline;
  stages: readonly Stage[];
  log: Logger;
  clock?: () => Date;
  asOf?: string;
  fullRefresh?: boolean;
  strict?: boolean;
  /** Skip the run when no input file (and not the configuration) changed since the last success. */
  ifChanged?: boolean;
  /** Continue the last run that stopped at a failed stage. */
  resume?: boolean;
  /** Input bytes per ingest batch; by default a share of limits.memory (tests set it small to get many batches). */
  ingestBatchBytes?: number;
  /**
   * Called with the open warehouse before anything runs; the function it returns is awaited before the warehouse
   * closes. The benchmark samples DuckDB's own memory accounting this way, on a connection of its own.
   */
  observe?: (db: Database) => Promise<() => Promise<void>>;
}

export interface RunOutcome {
  manifest: Manifest;
  runDir: string;
  /** True when --if-changed found nothing new and nothing ran. */
  skipped?: boolean;
}

/** The stages to run: the file's `stages:` (or all), closed over prerequisites, in contract order. */
export function selectStages(all: readonly Stage[], requested: readonly StageName[] | undefined): Stage[] {
  const byName = new Map(all.map((s) => [s.name, s]));
  const wanted = new Set<StageName>();
  const add = (name: StageName): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const need of byName.get(name)?.needs ?? []) add(need);
  };
  for (const name of requested ?? all.map((s) => s.name)) add(name);
  return STAGES.filter((name) => wanted.has(name) && byName.has(name)).map((name) => byName.get(name)!);
}

function makeRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

export async function runPipeline(request: RunRequest): Promise<RunOutcome> {
  const { pipeline, log } = request;
  const clock = request.clock ?? (() => new Date());
  const now = clock();
  const release = acquireLock(pipeline.stateDir, log, now);
  const db = await Database.open(path.join(pipeline.stateDir, 'warehouse.duckdb'), {
    memoryLimit: duckdbMemoryLimit(pipeline.config.limits.memory),
    threads: pipeline.config.limits.threads,
    tempDirectory: path.join(pipeline.stateDir, 'spill'),
  });
  let stopObserving: (() => Promise<void>) | undefined;
  try {
    stopObserving = await request.observe?.(db);
    // Only the ingest's staging models need insertion order (they switch it on for themselves); elsewhere it only
    // makes DuckDB buffer whole results in memory (see src/stages/ingest/index.ts).
    await db.run('SET preserve_insertion_order = false');
    if (request.ifChanged) {
      const last = await unchangedSinceLastSuccess(pipeline, db, request.asOf);
      if (last) {
        log.info(`no input changed since run ${last.run_id}; nothing to do (--if-changed)`, { event: 'unchanged', run_id: last.run_id });
        return { manifest: last, runDir: path.join(pipeline.outputRoot, 'runs', last.run_id), skipped: true };
      }
    }
    return await runStages(request, db, now, clock);
  } finally {
    try {
      await stopObserving?.();
    } finally {
      db.close();
      release();
    }
  }
}

async function runStages(request: RunRequest, db: Database, now: Date, clock: () => Date): Promise<RunOutcome> {
  const { pipeline, log } = request;
  const resumed = request.resume ? await restoreResumeState(db, pipeline.config.name) : undefined;
  if (request.resume && !resumed) log.warn('nothing to resume (no run of this pipeline stopped at a failed stage); running from the start');
  const runId = resumed?.runId ?? makeRunId(now);
  const runDir = path.join(pipeline.outputRoot, 'runs', runId);
  await mkdir(runDir, { recursive: true });
  const ctx: RunContext = {
    pipeline, db, log, runId, runDir,
    options: { fullRefresh: request.fullRefresh ?? false, strict: request.strict ?? false, now, ingestBatchBytes: request.ingestBatchBytes },
    asOf: resumed?.asOf ?? request.asOf ?? pipeline.config.as_of ?? '',
    inputs: resumed?.inputs ?? [], models: resumed?.models ?? {}, stages: resumed?.stages ?? [],
    completed: new Map((resumed?.stages ?? []).map((s) => [s.name as StageName, s.status === 'skipped' ? 'skipped' : 'success'])),
  };
  const manifest: Manifest = {
    schema_version: 1, run_id: runId, pipeline: pipeline.config.name, as_of: ctx.asOf, status: 'running',
    started_at: resumed?.startedAt ?? now.toISOString(), config_sha256: configHash(pipeline, request.asOf), stages: ctx.stages, inputs: ctx.inputs, outputs: [], models: ctx.models,
    versions: { cra: CRA_VERSION, duckdb: await db.version(), node: process.version },
  };
  const manifestFile = path.join(runDir, 'manifest.json');
  // Stages append (model, metric, dimension) rows here; published when a stage reports it produced some.
  if (!resumed) await db.run(`CREATE OR REPLACE TEMP TABLE out_model_metrics (model VARCHAR, metric VARCHAR, dimension VARCHAR, dimension_value VARCHAR, value DOUBLE)`);
  const produced = new Set<string>(resumed?.produced ?? []);
  for (const stage of selectStages(request.stages, pipeline.config.stages)) {
    if (ctx.completed.has(stage.name)) {
      log.info(`stage ${stage.name}: finished before the failure; resuming after it`, { stage: stage.name, event: 'stage_resumed' });
      continue;
    }
    try {
      await runStage(stage, ctx, produced);
    } catch (error) {
      const message = error instanceof StageSkip ? `skipped under --strict: ${error.reason}` : (error as Error).message;
      ctx.stages.push({ name: stage.name, status: 'failed', reason: message });
      Object.assign(manifest, { as_of: ctx.asOf, status: 'failed', error: message, finished_at: clock().toISOString() });
      await writeJsonAtomic(manifestFile, manifest);
      await saveResumeState(db, ctx, produced, manifest.started_at).catch((e: unknown) => log.warn(`could not save the state for --resume: ${(e as Error).message}`));
      const where = path.relative(process.cwd(), manifestFile) || manifestFile;
      if (error instanceof CraError && error.exitCode === 2) throw Object.assign(error, { message: `stage ${stage.name}: ${error.message}` });
      const failure = new DataError(`stage ${stage.name} failed: ${message}\n  nothing was published; the run's manifest is ${where}; fix the cause and rerun, or continue with --resume`, 'stage_failed');
      failure.cause = error;
      throw failure;
    }
  }
  await clearResumeState(db);
  manifest.as_of = ctx.asOf;
  const bi = await BiFile.open(db, pipeline.outputRoot, pipeline.config.output.bi_storage_version);
  try {
    manifest.outputs = await publishOutputs(ctx, [...produced], bi);
    await bi.detach();
    Object.assign(manifest, { status: 'success', finished_at: clock().toISOString() });
    await writeJsonAtomic(manifestFile, manifest);
    await swapLatest(pipeline.outputRoot, runId);
    await writeHistory(pipeline.outputRoot, runDir, ctx.asOf, manifest.outputs);
    await bi.commit();
  } catch (error) {
    // A half-published run leaves no stray copy of bi.duckdb beside the real one.
    await bi.discard();
    throw error;
  }
  // The keyed activity is rebuilt by the next run; dropped now, its blocks are free for the next run to reuse.
  await dropRunScratch(db);
  const pruned = await pruneRuns(pipeline.outputRoot, pipeline.config.output.keep_runs);
  if (pruned.length) log.debug(`pruned ${pruned.length} old run folder(s)`);
  return { manifest, runDir };
}

/** Runs one stage and records it; a StageSkip (without --strict) is recorded as skipped, anything else propagates. */
async function runStage(stage: Stage, ctx: RunContext, produced: Set<string>): Promise<void> {
  const { log } = ctx;
  const scratchBefore = await tempObjects(ctx.db);
  const started = performance.now();
  const seconds = (): number => Math.round((performance.now() - started) / 10) / 100;
  log.info(`stage ${stage.name} …`, { stage: stage.name, event: 'stage_start' });
  try {
    const result = (await stage.run(ctx)) ?? {};
    for (const table of result.tables ?? []) produced.add(table);
    ctx.stages.push({
      name: stage.name, status: 'success', seconds: seconds(),
      ...(result.rowsOut !== undefined ? { rows_out: result.rowsOut } : {}), ...(result.note ? { reason: result.note } : {}),
    });
    ctx.completed.set(stage.name, 'success');
    await dropStageScratch(ctx.db, scratchBefore, stage.handsOn);
    log.info(`stage ${stage.name} done in ${seconds()} s${result.rowsOut !== undefined ? `, ${result.rowsOut} rows` : ''}`, { stage: stage.name, event: 'stage_end' });
  } catch (error) {
    if (!(error instanceof StageSkip) || ctx.options.strict) throw error;
    ctx.stages.push({ name: stage.name, status: 'skipped', seconds: seconds(), reason: error.reason });
    ctx.completed.set(stage.name, 'skipped');
    await dropStageScratch(ctx.db, scratchBefore, stage.handsOn);
    log.warn(`stage ${stage.name} skipped: ${error.reason}`, { stage: stage.name, event: 'stage_skipped' });
  }
}

async function publishOutputs(ctx: RunContext, produced: string[], bi: BiFile): Promise<OutputRecord[]> {
  const { pipeline } = ctx;
  const piiKey = loadPiiKey(pipeline.stateDir, ctx.log);
  const written = await writeTables(ctx.db, ctx.runDir, produced, { pii: pipeline.config.output.pii, piiKey }, bi);
  let previous: OutputRecord[] = [];
  try {
    const text = await readFile(path.join(pipeline.outputRoot, 'latest', 'manifest.json'), 'utf8');
    previous = (JSON.parse(text) as Manifest).outputs;
  } catch {
    previous = [];
  }
  if (!ctx.completed.has('report')) await carryReport(pipeline.outputRoot, ctx.runDir);
  const carried = await carryForward(pipeline.outputRoot, ctx.runDir, produced, previous);
  for (const record of carried) await bi.addFromParquet(record.table, path.join(ctx.runDir, record.path));
  return [...written, ...carried];
}
