// limits.memory is the process's memory; DuckDB's buffer manager gets DUCKDB_MEMORY_SHARE of it (database.ts), and a
// run's warehouse connection is opened with exactly that limit.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { DUCKDB_MEMORY_SHARE, duckdbMemoryLimit, sizeBytes } from '../../src/db/database.js';
import { copyFixture, runFile } from '../helpers.js';
import { ingestStage } from '../../src/stages/ingest/index.js';

describe('memory limits', () => {
  it('reads sizes as the pipeline file writes them, decimal and binary, and as DuckDB prints them', () => {
    expect(sizeBytes('3GB')).toBe(3e9);
    expect(sizeBytes('512MB')).toBe(512e6);
    expect(sizeBytes('1.5 GB')).toBe(1.5e9);
    expect(sizeBytes('2GiB')).toBe(2 ** 31);
    expect(sizeBytes('64kib')).toBe(65_536);
    expect(sizeBytes('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(sizeBytes('0 bytes')).toBe(0);
    expect(() => sizeBytes('3 gigs')).toThrow(/not a size/);
  });

  it('gives DuckDB its share of limits.memory, in whole MiB', () => {
    expect(DUCKDB_MEMORY_SHARE).toBeGreaterThan(0.5);
    expect(DUCKDB_MEMORY_SHARE).toBeLessThan(1);
    expect(duckdbMemoryLimit('3GB')).toBe(`${Math.floor((3e9 * DUCKDB_MEMORY_SHARE) / 2 ** 20)}MiB`);
    expect(duckdbMemoryLimit('2GiB')).toBe(`${Math.floor(2048 * DUCKDB_MEMORY_SHARE)}MiB`);
  });

  it("opens a run's warehouse with that limit, its allocator returning freed memory", async () => {
    const dir = copyFixture('mini');
    let limit = 0;
    let backgroundThreads: unknown;
    await runFile(path.join(dir, 'pipeline.yaml'), {
      stages: [ingestStage],
      overrides: ['limits.memory=1GB'],
      observe: async (db) => {
        limit = await db.memoryLimitBytes();
        backgroundThreads = await db.value("SELECT current_setting('allocator_background_threads')");
        return async () => {};
      },
    });
    // Freed memory goes back to the system as the run goes (database.ts), not at the process's end.
    expect(backgroundThreads).toBe(true);
    // DuckDB prints the setting rounded (e.g. "808.0 MiB"), so compare within a MiB.
    expect(Math.abs(limit - Math.floor((1e9 * DUCKDB_MEMORY_SHARE) / 2 ** 20) * 2 ** 20)).toBeLessThan(2 ** 20);
  });
});
