/**
 * Test helpers: fixtures copied into a temp folder (tests never write into the repo), pipelines run in-process
 * with a silent logger and a fixed clock, Parquet read back through a separate in-memory DuckDB, and a fresh
 * in-memory warehouse per test for the SQL models run on their own.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import { loadPipeline } from '../src/config/load.js';
import { Database } from '../src/db/database.js';
import { memoryLogger } from '../src/pipeline/logger.js';
import { runPipeline, type RunOutcome, type RunRequest } from '../src/pipeline/run.js';
import type { Stage } from '../src/pipeline/context.js';
import { ALL_STAGES } from '../src/stages/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixture = (...parts: string[]): string => path.join(repoRoot, 'test', 'fixtures', ...parts);
export const FIXED_NOW = new Date('2024-07-01T03:00:00Z');

const created: string[] = [];

/**
 * Removes the temp folders made so far (set CRA_KEEP_TEST_DIRS=1 to keep them for debugging). test/setup.ts runs it
 * after each test file: vitest ends its fork workers without an 'exit' event, and relying on one left about two
 * thousand folders (8 GB) in the temp directory over a day of test runs.
 */
export function removeTempDirs(): void {
  if (process.env.CRA_KEEP_TEST_DIRS) return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', removeTempDirs);

export function tempDir(prefix = 'cra-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Copies a fixture folder into a fresh temp folder and returns the copy's path. */
export function copyFixture(name: string): string {
  const dir = tempDir();
  const source = fixture(name);
  // Skip output or state a manual run may have left in the fixture folder.
  const leftovers = new Set(['out', 'state', '.cra', 'reports'].map((d) => path.join(source, d)));
  cpSync(source, dir, { recursive: true, filter: (from) => !leftovers.has(from) });
  return dir;
}

export function writePipeline(dir: string, yaml: string, name = 'pipeline.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

export interface RunOptions {
  overrides?: string[];
  stages?: readonly Stage[];
  asOf?: string;
  fullRefresh?: boolean;
  strict?: boolean;
  ifChanged?: boolean;
  resume?: boolean;
  now?: Date;
  ingestBatchBytes?: number;
  observe?: RunRequest['observe'];
}

export async function runFile(file: string, options: RunOptions = {}): Promise<RunOutcome & { log: ReturnType<typeof memoryLogger> }> {
  const log = memoryLogger();
  const pipeline = loadPipeline(file, options.overrides ?? []);
  const outcome = await runPipeline({
    pipeline, log, stages: options.stages ?? ALL_STAGES, clock: () => options.now ?? FIXED_NOW,
    asOf: options.asOf, fullRefresh: options.fullRefresh, strict: options.strict, ifChanged: options.ifChanged, resume: options.resume, ingestBatchBytes: options.ingestBatchBytes,
    observe: options.observe,
  });
  return { ...outcome, log };
}

/** Reads a Parquet file (or a query over `t`, the file) with a fresh in-memory DuckDB. */
export async function readParquet<T extends Record<string, unknown> = Record<string, unknown>>(file: string, query = 'SELECT * FROM t'): Promise<T[]> {
  const db = await Database.open(':memory:');
  try {
    await db.run(`CREATE VIEW t AS SELECT * FROM read_parquet($file)`.replace('$file', `'${file.replaceAll("'", "''")}'`));
    return await db.all<T>(query);
  } finally {
    db.close();
  }
}

/**
 * A fresh in-memory Database (two threads) for each test of the calling file, closed after it: call at the top of a
 * file or describe block and read the current one through the returned function.
 */
export function memoryDatabasePerTest(): () => Database {
  let db: Database | undefined;
  beforeEach(async () => {
    db = await Database.open(':memory:', { threads: 2 });
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  return () => {
    if (!db) throw new Error('memoryDatabasePerTest: no database outside a test');
    return db;
  };
}
