/**
 * Row keys (cra_row_key in src/sql/staging/_macros.sql) are md5 digests held as 128-bit numbers (md5_number); before,
 * warehouses held md5's 32 hex characters. Oracles: Node's md5 of the same text, read little-endian, for the number;
 * and for the upgrade, a warehouse put back into the hex form (each key's digest written out in JS, checked against
 * the md5 of the order line's natural key as the old macro hashed it), which ingest must convert so that a reloaded
 * file's rows still match the rows already loaded.
 */
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/analytics/random.js';
import { Database } from '../../src/db/database.js';
import { CHANNELS } from '../../src/config/channels.js';
import { copyFixture, runFile } from '../helpers.js';

/** The md5 digest a number holds (md5_number reads the 16 bytes little-endian), as md5's hex text. */
function digestHex(key: bigint): string {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64LE(key & 0xffff_ffff_ffff_ffffn, 0);
  bytes.writeBigUInt64LE(key >> 64n, 8);
  return bytes.toString('hex');
}

const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

function sampleTexts(): string[] {
  const out = ['', ' ', '["1001","1"]', '["1001",""]', 'é', '😀', '\u0000', '{"a":null}'];
  const rng = createRng(7);
  const chars = Array.from('abcXYZ019 ,"[]{}:é€😀\\');
  for (let i = 0; i < 3000; i++) out.push(Array.from({ length: rng.int(40) }, () => rng.pick(chars)).join(''));
  return out;
}

async function rowKeys(db: Database, table: string): Promise<string[]> {
  return (await db.all<{ k: string }>(`SELECT source_file || ':' || line || ':' || CAST(row_key AS VARCHAR) AS k FROM ${table} ORDER BY k`)).map((r) => r.k);
}

describe('ingest: row keys', () => {
  it('are md5 read little-endian, and cra_row_key_from_hex turns md5 hex text into the same number', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.runFile('staging/_macros.sql');
      await db.run('CREATE TABLE t (s VARCHAR)');
      const texts = sampleTexts();
      await db.appendColumns('t', [texts]);
      const rows = await db.all<{ s: string; number: string; fromHex: string; type: string }>(
        'SELECT s, CAST(md5_number(s) AS VARCHAR) AS number, CAST(cra_row_key_from_hex(md5(s)) AS VARCHAR) AS fromHex, typeof(cra_row_key(true, [s], NULL)) AS type FROM t');
      expect(rows).toHaveLength(texts.length);
      for (const row of rows) {
        expect(digestHex(BigInt(row.number))).toBe(md5Hex(row.s));
        expect(row.fromHex).toBe(row.number);
        expect(row.type).toBe('UHUGEINT');
      }
    } finally {
      db.close();
    }
  });

  it('a warehouse that holds them as md5 hex is converted once, and its rows still count as duplicates', async () => {
    const stages = ['stages=[ingest]'];
    const upgraded = copyFixture('mini');
    const fresh = copyFixture('mini');
    await runFile(path.join(upgraded, 'pipeline.yaml'), { overrides: stages });
    await runFile(path.join(fresh, 'pipeline.yaml'), { overrides: stages });

    // Put the first warehouse back into the hex form.
    const db = await Database.open(path.join(upgraded, 'state', 'warehouse.duckdb'));
    try {
      for (const channel of CHANNELS) {
        const table = `stg_${channel}`;
        const keyed = await db.all<{ rid: number; key: string }>(`SELECT rowid AS rid, CAST(row_key AS VARCHAR) AS key FROM ${table}`);
        await db.run('CREATE OR REPLACE TEMP TABLE hex_keys (rid BIGINT, hex VARCHAR)');
        await db.appendColumns('hex_keys', [keyed.map((r) => Number(r.rid)), keyed.map((r) => digestHex(BigInt(r.key)))]);
        await db.run(`ALTER TABLE ${table} ALTER COLUMN row_key SET DATA TYPE VARCHAR USING NULL`);
        await db.run(`UPDATE ${table} SET row_key = h.hex FROM hex_keys h WHERE ${table}.rowid = h.rid`);
      }
      // The old macro hashed an order line's natural key, its raw order and line ids as a JSON list.
      const lines = await db.all<{ order_id: string; line_id: string; row_key: string }>('SELECT order_id, line_id, row_key FROM stg_web_orders');
      expect(lines).toHaveLength(6);
      for (const line of lines) expect(line.row_key).toBe(md5Hex(JSON.stringify([line.order_id, line.line_id])));
    } finally {
      db.close();
    }

    // Order 1004 comes again in February: a duplicate of January's row, found through the converted keys.
    const line = '1008,1,10/02/2024 12:00,S2,bob@example.org,A,1,10.00,Complete\n';
    appendFileSync(path.join(upgraded, 'orders', 'orders_2024-02.csv'), line);
    appendFileSync(path.join(fresh, 'orders', 'orders_2024-02.csv'), line);
    const rerun = await runFile(path.join(upgraded, 'pipeline.yaml'), { overrides: stages });
    await runFile(path.join(fresh, 'pipeline.yaml'), { overrides: stages });
    const feb = rerun.manifest.inputs.find((i) => i.path.endsWith('orders_2024-02.csv'))!;
    expect(feb).toMatchObject({ rows_read: 5, rows_loaded: 3, rows_rejected: 1, rows_duplicate: 1 });

    const after = await Database.open(path.join(upgraded, 'state', 'warehouse.duckdb'));
    const reference = await Database.open(path.join(fresh, 'state', 'warehouse.duckdb'));
    try {
      for (const channel of CHANNELS) {
        const table = `stg_${channel}`;
        expect(await after.value(`SELECT data_type FROM duckdb_columns() WHERE table_name = '${table}' AND column_name = 'row_key'`)).toBe('UHUGEINT');
        expect(await rowKeys(after, table)).toEqual(await rowKeys(reference, table));
      }
      expect(await after.value('SELECT count(*) FROM stg_web_orders')).toBe(7);
    } finally {
      after.close();
      reference.close();
    }
  });
});
