/**
 * What report sections read: the warehouse (only the published `out_*` tables), the run's facts, and which tables
 * this run produced, so a section with nothing to show says so instead of drawing an empty chart.
 */
import type { Database } from '../db/database.js';
import type { InputRecord, StageRecord } from '../pipeline/manifest.js';
import type { Html } from './html.js';

export interface ReportContext {
  db: Database;
  pipeline: string;
  asOf: string;
  runId: string;
  stages: StageRecord[];
  inputs: InputRecord[];
  models: Record<string, unknown>;
  /** True when the warehouse has `out_<table>` from this run. */
  has(table: string): Promise<boolean>;
}

export interface ReportSection {
  id: string;
  title: string;
  render(ctx: ReportContext): Promise<Html[] | string>;
}
