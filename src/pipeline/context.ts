/**
 * What a stage receives: the resolved pipeline, the warehouse, a logger and a clock (passed in so tests run
 * silent and deterministic), the run folder, and the run's as_of. Stages return what they produced; the runner
 * records it in the manifest and publishes the tables. Nothing here is global.
 */
import type { Pipeline } from '../config/load.js';
import type { StageName } from '../config/schema.js';
import type { Database } from '../db/database.js';
import type { Logger } from './logger.js';
import type { InputRecord, StageRecord } from './manifest.js';

export interface RunOptions {
  fullRefresh: boolean;
  strict: boolean;
  /** The moment the run started; rows dated more than a day after it are quarantined as future_date. */
  now: Date;
  /** Input bytes per ingest batch (see src/stages/ingest/batches.ts); unset: a share of limits.memory. */
  ingestBatchBytes?: number;
}

export interface RunContext {
  pipeline: Pipeline;
  db: Database;
  log: Logger;
  runId: string;
  runDir: string;
  options: RunOptions;
  /** YYYY-MM-DD; fixed by the file or --as-of, else set by the runner after ingest from the data. */
  asOf: string;
  /** Per-file row accounting, filled by ingest. */
  inputs: InputRecord[];
  /** Model summaries for manifest.models (clv, segments, churn, basket). */
  models: Record<string, unknown>;
  /** Stages that ran or were skipped earlier in this run (for optional dependencies such as anomalies → segments). */
  completed: Map<StageName, 'success' | 'skipped'>;
  /** Stage records so far (the report shows them). */
  stages: StageRecord[];
}

export interface StageResult {
  /** Output tables (contract §4) this stage produced as warehouse tables named `out_<table>`. */
  tables?: string[];
  /** Rows in the stage's main output, for the manifest. */
  rowsOut?: number;
  /** A part of the stage that could not run (e.g. a model that did not converge): the manifest's `reason`. */
  note?: string;
}

export interface Stage {
  name: StageName;
  /** Stages that must run first (their own prerequisites run too). */
  needs: readonly StageName[];
  run(ctx: RunContext): Promise<StageResult | void>;
  /**
   * Temp tables or views, besides the `out_*` tables, that later stages or the report read. The runner drops every
   * other temp object the stage made once it has run (pipeline/stage-scratch.ts).
   */
  handsOn?: readonly string[];
}
