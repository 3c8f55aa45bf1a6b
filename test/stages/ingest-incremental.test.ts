/**
 * Incremental loading: a rerun with the same inputs changes nothing; a changed file's rows are replaced, not
 * duplicated; a vanished file keeps its rows by default; --full-refresh reloads everything.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, renameSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { copyFixture, runFile, tempDir } from '../helpers.js';

async function counts(dir: string): Promise<{ rows: number; files: number; rejects: number }> {
  const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
  try {
    const [row] = await db.all<{ rows: number; files: number; rejects: number }>(
      `SELECT (SELECT count(*) FROM stg_web_orders) AS rows, (SELECT count(*) FROM ingest_files) AS files, (SELECT count(*) FROM ingest_rejects) AS rejects`);
    return row!;
  } finally {
    db.close();
  }
}

describe('ingest: incremental', () => {
  it('reruns without change, replaces a changed file, keeps a vanished one, reloads on --full-refresh', async () => {
    const dir = copyFixture('mini');
    const file = path.join(dir, 'pipeline.yaml');
    const stages = ['stages=[ingest]'];
    const first = await runFile(file, { overrides: stages });
    const before = await counts(dir);
    expect(before).toEqual({ rows: 6, files: 3, rejects: 2 });

    const second = await runFile(file, { overrides: stages });
    expect(await counts(dir)).toEqual(before);
    expect(second.manifest.inputs).toEqual(first.manifest.inputs);
    expect(second.log.lines.some((l) => /unchanged since the last load/.test(l.message))).toBe(true);

    // A touched but identical file is not reloaded either.
    utimesSync(path.join(dir, 'orders', 'orders_2024-01.csv'), new Date(), new Date());
    await runFile(file, { overrides: stages });
    expect(await counts(dir)).toEqual(before);

    appendFileSync(path.join(dir, 'orders', 'orders_2024-02.csv'), '1008,1,10/02/2024 12:00,S2,bob@example.org,A,1,10.00,Complete\n');
    const third = await runFile(file, { overrides: stages });
    expect(await counts(dir)).toEqual({ rows: 7, files: 3, rejects: 2 });
    const feb = third.manifest.inputs.find((i) => i.path.endsWith('orders_2024-02.csv'))!;
    expect(feb).toMatchObject({ rows_read: 5, rows_loaded: 3, rows_rejected: 1, rows_duplicate: 1 });

    rmSync(path.join(dir, 'orders', 'orders_2024-01.csv'));
    const fourth = await runFile(file, { overrides: stages });
    expect((await counts(dir)).rows).toBe(7);
    expect(fourth.manifest.inputs.map((i) => i.path).sort()).toEqual(['customers.csv', 'orders/orders_2024-02.csv']);

    await runFile(file, { overrides: stages, fullRefresh: true });
    // Without January, order 1004 in February is no longer a duplicate.
    expect(await counts(dir)).toEqual({ rows: 4, files: 2, rejects: 1 });
  });

  it('does not reload a project folder that moved: files are known by their path relative to the pipeline file', async () => {
    const dir = copyFixture('mini');
    const stages = ['stages=[ingest]'];
    const first = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: stages });
    const before = await counts(dir);
    const moved = path.join(tempDir(), 'moved');
    renameSync(dir, moved);
    const second = await runFile(path.join(moved, 'pipeline.yaml'), { overrides: stages });
    expect(second.log.lines.filter((l) => /unchanged since the last load/.test(l.message))).toHaveLength(2);
    expect(await counts(moved)).toEqual(before);
    expect(second.manifest.inputs).toEqual(first.manifest.inputs);
    // The manifest now names the files where they are: a changed file after the move is replaced, not added.
    appendFileSync(path.join(moved, 'orders', 'orders_2024-02.csv'), '1008,1,10/02/2024 12:00,S2,bob@example.org,A,1,10.00,Complete\n');
    await runFile(path.join(moved, 'pipeline.yaml'), { overrides: stages });
    expect(await counts(moved)).toEqual({ ...before, rows: before.rows + 1 });
  });

  it('a glob that matches nothing fails the run with exit 1 naming the key', async () => {
    const dir = copyFixture('mini');
    const error = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['sources[1].path=nothing_*.csv'] }).catch((e: unknown) => e);
    expect((error as { exitCode: number }).exitCode).toBe(1);
    expect((error as Error).message).toMatch(/sources\[1\]\.path: "nothing_\*\.csv" matches no file/);
  });
});
