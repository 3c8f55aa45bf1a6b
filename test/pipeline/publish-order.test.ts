// Publishing writes each table sorted into bi.duckdb and the Parquet file from there. On a table of many row groups
// read on two threads, both must hold the rows in the registry's order: a scan that let row groups interleave (as
// preserve_insertion_order = false allows) would break it, and small fixtures fit in one row group, so cannot show it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { BiFile } from '../../src/pipeline/bi-file.js';
import { writeTables } from '../../src/pipeline/publish.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cra-publish-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 600_000; // about five row groups of 122,880

describe('writeTables', () => {
  it('writes a large table in the registry order to bi.duckdb and to Parquet, on two threads', async () => {
    const db = await Database.open(path.join(dir, 'w.duckdb'), { threads: 2 });
    try {
      await db.run('SET preserve_insertion_order = false');
      // Rows in hash order, far from the registry's (run_id, customer_key, replaced_key).
      await db.run(`CREATE TEMP TABLE out_customer_key_history AS
        SELECT printf('C%07d', (hash(i) % 1000003)::BIGINT) AS customer_key, printf('R%07d', i) AS replaced_key,
               'merge' AS change, printf('run%d', i % 3) AS run_id
        FROM range(${ROWS}) t(i) ORDER BY hash(i * 7)`);
      const bi = await BiFile.open(db, dir, 'v1.3.0');
      const records = await writeTables(db, dir, ['customer_key_history'], { pii: 'keep', piiKey: { ipadHex: '', opadHex: '' } }, bi);
      expect(records).toEqual([{ table: 'customer_key_history', path: 'customer_key_history.parquet', rows: ROWS, carried: false }]);
      const file = path.join(dir, 'customer_key_history.parquet');
      // Count the places where a row sorts before the one written before it: none.
      const disorder = (from: string): Promise<unknown> => db.value(`
        SELECT count(*) FROM (
          SELECT run_id, customer_key, replaced_key,
                 lag(run_id) OVER w AS p_run, lag(customer_key) OVER w AS p_key, lag(replaced_key) OVER w AS p_replaced
          FROM (SELECT *, row_number() OVER () AS pos FROM ${from}) WINDOW w AS (ORDER BY pos))
        WHERE p_run IS NOT NULL AND (run_id, customer_key, replaced_key) < (p_run, p_key, p_replaced)`);
      await db.run('SET preserve_insertion_order = true');
      expect(Number(await disorder(`read_parquet('${file}')`))).toBe(0);
      expect(Number(await disorder('cra_bi.customer_key_history'))).toBe(0);
      expect(Number(await db.value(`SELECT count(*) FROM read_parquet('${file}')`))).toBe(ROWS);
      expect(Number(await db.value(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${file}')`))).toBeGreaterThan(2);
      await bi.detach();
      await bi.commit();
      const published = await Database.open(path.join(dir, 'bi.duckdb'));
      expect(Number(await published.value('SELECT count(*) FROM customer_key_history'))).toBe(ROWS);
      published.close();
    } finally {
      db.close();
    }
  }, 60_000);
});
