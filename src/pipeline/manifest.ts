/**
 * The run manifest (contract §4): what ran, how long, what went in and came out. Written into the run folder
 * whether the run succeeds or fails, so a failed run explains itself; published with `latest` only on success.
 */
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';

export interface StageRecord {
  name: string;
  status: 'success' | 'skipped' | 'failed';
  seconds?: number;
  rows_out?: number;
  reason?: string;
}

export interface InputRecord {
  source: string;
  path: string;
  sha256: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_duplicate: number;
}

export interface OutputRecord {
  table: string;
  path: string;
  rows: number;
  carried: boolean;
}

export interface Manifest {
  schema_version: 1;
  run_id: string;
  pipeline: string;
  as_of: string;
  status: 'running' | 'success' | 'failed';
  started_at: string;
  finished_at?: string;
  error?: string;
  /** sha256 of the resolved pipeline configuration (for --if-changed). */
  config_sha256?: string;
  stages: StageRecord[];
  inputs: InputRecord[];
  outputs: OutputRecord[];
  models: Record<string, unknown>;
  versions: { cra: string; duckdb: string; node: string };
}

/** Writes JSON via a temp file and rename, so a reader never sees a half-written manifest. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temp, file);
}
