/**
 * The identity nodes are built in parts sized to DuckDB's memory limit (list aggregates do not spill, and the values'
 * aggregates ran out of memory at 4M customers). Any number of parts must give the same nodes as one pass; and the memory limit is read correctly from DuckDB's setting.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { buildIdentityNodes } from '../../src/stages/identity/nodes.js';
import { copyFixture, runFile } from '../helpers.js';

describe('identity nodes', () => {
  it('are the same built in one part or in seven', async () => {
    const dir = copyFixture('identity');
    await runFile(path.join(dir, 'pipeline.yaml'));
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      const snapshot = async (parts: number) => {
        const built = await buildIdentityNodes(db, { people: ['crm'] }, parts);
        expect(built.parts).toBe(parts);
        expect(built.valueParts).toBe(parts);
        return db.all('SELECT * FROM int_identity_nodes ORDER BY node_id');
      };
      const one = await snapshot(1);
      const seven = await snapshot(7);
      expect(one.length).toBeGreaterThan(10);
      expect(seven).toEqual(one);
      // The lists are really there: the shop's own number is given by seven callers.
      const shared = one.find((n) => n.source_record_id === '020 7946 0000')!;
      expect([...(shared.full_names as string[])].sort()).toEqual(['Ann Lee', 'Bo Chan', 'Cy Dunn', 'Di Eames', 'Ed Fox', 'Flo Gill', 'Gus Hale']);
      expect(one.filter((n) => n.id_space === 'people').length).toBeGreaterThan(0);
      // The values' parts are sized from the catalogue's row counts, which must be the tables' real counts.
      for (const table of ['stg_customers', 'stg_web_orders', 'stg_web_sessions', 'stg_email_events', 'stg_phone_calls']) {
        const catalogue = await db.value(`SELECT estimated_size FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '${table}'`);
        expect(Number(catalogue), table).toBe(Number(await db.value(`SELECT count(*) FROM ${table}`)));
      }
    } finally {
      db.close();
    }
  });

  it('reads the memory limit from DuckDB in bytes', async () => {
    for (const [limit, bytes] of [['250MB', 250e6], ['2GB', 2e9], ['3GiB', 3 * 2 ** 30]] as const) {
      const db = await Database.open(':memory:', { memoryLimit: limit });
      try {
        // DuckDB reports the limit truncated to a tenth of its unit (e.g. "238.4 MiB").
        expect(Math.abs((await db.memoryLimitBytes()) - bytes) / bytes).toBeLessThan(0.05);
      } finally {
        db.close();
      }
    }
  });
});
