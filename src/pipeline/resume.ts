/**
 * `cra run --resume`: continue a failed run from its first unfinished stage. Stages hand each other temp tables
 * (one connection, one run), so when a stage fails the runner saves them into the warehouse schema `resume_state`
 * with a small record of the run (id, as_of, finished stages, inputs, models, produced tables). `--resume` restores
 * them into the same run folder and runs the remaining stages. Temp views (identity's orders and interactions, over
 * the keyed activity in the warehouse schema cra_work, which outlives the failure by itself) are saved as their
 * definitions and recreated after the tables. A run killed outright (SIGKILL) leaves no saved
 * state; `--resume` then says so and runs from the start, which incremental ingest keeps cheap.
 */
import { quoteIdent, type Database } from '../db/database.js';
import type { StageName } from '../config/schema.js';
import type { RunContext } from './context.js';
import type { InputRecord, StageRecord } from './manifest.js';

export interface ResumeState {
  runId: string;
  pipeline: string;
  asOf: string;
  startedAt: string;
  stages: StageRecord[];
  inputs: InputRecord[];
  models: Record<string, unknown>;
  produced: string[];
  /** The temp views' CREATE statements, recreated after the tables they read. */
  views?: string[];
}

export async function saveResumeState(db: Database, ctx: RunContext, produced: Iterable<string>, startedAt: string): Promise<void> {
  const temps = await db.all<{ table_name: string }>("SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY table_name");
  const views = await db.all<{ sql: string }>('SELECT sql FROM duckdb_views() WHERE temporary AND NOT internal ORDER BY view_name');
  await db.run('DROP SCHEMA IF EXISTS resume_state CASCADE; CREATE SCHEMA resume_state;');
  for (const t of temps) await db.run(`CREATE TABLE resume_state.${quoteIdent(t.table_name)} AS SELECT * FROM temp.main.${quoteIdent(t.table_name)}`);
  const state: ResumeState = {
    runId: ctx.runId, pipeline: ctx.pipeline.config.name, asOf: ctx.asOf, startedAt,
    stages: ctx.stages.filter((s) => s.status !== 'failed'), inputs: ctx.inputs, models: ctx.models, produced: [...produced],
    views: views.map((v) => v.sql),
  };
  await db.run('CREATE TABLE resume_state.__run (state VARCHAR); INSERT INTO resume_state.__run VALUES ($state);', { state: JSON.stringify(state) });
}

/** Restores the saved temp tables and returns the saved run, or undefined when there is nothing to resume. */
export async function restoreResumeState(db: Database, pipelineName: string): Promise<ResumeState | undefined> {
  const exists = Number(await db.value("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'resume_state' AND table_name = '__run'"));
  if (!exists) return undefined;
  const state = JSON.parse(String(await db.value('SELECT state FROM resume_state.__run'))) as ResumeState;
  if (state.pipeline !== pipelineName) return undefined;
  const tables = await db.all<{ table_name: string }>("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'resume_state' AND table_name <> '__run'");
  await db.runFile('staging/_macros.sql');
  for (const t of tables) await db.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(t.table_name)} AS SELECT * FROM resume_state.${quoteIdent(t.table_name)}`);
  for (const sql of state.views ?? []) await db.run(sql.replace(/^CREATE TEMP VIEW /, 'CREATE OR REPLACE TEMP VIEW '));
  return state;
}

export async function clearResumeState(db: Database): Promise<void> {
  await db.run('DROP SCHEMA IF EXISTS resume_state CASCADE');
}

/**
 * Drops what a run keeps in the warehouse only for itself: the keyed activity (schema cra_work,
 * int_activity_keyed.sql) and any saved resume state. Both hold personal data, so `cra erase` calls this too.
 */
export async function dropRunScratch(db: Database): Promise<void> {
  await db.run('DROP SCHEMA IF EXISTS cra_work CASCADE');
  await clearResumeState(db);
}

export function finishedStages(state: ResumeState): Set<StageName> {
  return new Set(state.stages.map((s) => s.name as StageName));
}
