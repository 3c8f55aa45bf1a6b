/**
 * The identity nodes' values are built in parts sized to DuckDB's memory limit (their aggregates ran out of memory at
 * 4M customers). Any number of parts must give the same nodes and values as one pass; each node's smallest email and
 * phone and its CRM flag must match an oracle; and the memory limit is read correctly from DuckDB's setting.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { buildIdentityNodes } from '../../src/stages/identity/nodes.js';
import { copyFixture, memoryDatabasePerTest, runFile } from '../helpers.js';

describe('identity nodes', () => {
  it('are the same built in one part or in seven', async () => {
    const dir = copyFixture('identity');
    await runFile(path.join(dir, 'pipeline.yaml'));
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      const snapshot = async (parts: number) => {
        expect(await buildIdentityNodes(db, { people: ['crm'] }, parts)).toBe(parts);
        return db.all('SELECT * FROM int_identity_nodes ORDER BY node_id');
      };
      const values = () => db.all('SELECT * FROM int_node_values ORDER BY ALL');
      const one = await snapshot(1);
      const oneValues = await values();
      expect(one.length).toBeGreaterThan(10);
      // Node ids are 1..n in (source, id_type, source_record_id) order: the order that decides which customer a new
      // key goes to first. Oracle: JS's sort of the triples.
      const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
      const triples = one.map((n) => [n.source, n.id_type, n.source_record_id] as string[]);
      const sorted = [...triples].sort((a, b) => byText(a[0]!, b[0]!) || byText(a[1]!, b[1]!) || byText(a[2]!, b[2]!));
      expect(triples).toEqual(sorted);
      expect(one.map((n) => Number(n.node_id))).toEqual(one.map((_, i) => i + 1));
      expect(new Set(one.map((n) => `${n.source}/${n.id_type}`)).size).toBeGreaterThan(3);
      for (const parts of [2, 7]) {
        expect(await snapshot(parts)).toEqual(one);
        expect(await values()).toEqual(oneValues);
      }
      // The values are really there: the shop's own number is given by seven callers.
      const shared = one.find((n) => n.source_record_id === '020 7946 0000')!;
      const names = await db.all<{ full_name: string }>('SELECT DISTINCT full_name FROM int_node_values WHERE node_id = $id AND full_name IS NOT NULL ORDER BY 1', { id: Number(shared.node_id) });
      expect(names.map((n) => n.full_name)).toEqual(['Ann Lee', 'Bo Chan', 'Cy Dunn', 'Di Eames', 'Ed Fox', 'Flo Gill', 'Gus Hale']);
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

  describe('values', () => {
    const database = memoryDatabasePerTest();
    it('keep each identity\'s distinct value rows, and give its smallest email and phone and whether a CRM record names it (against an oracle)', async () => {
      const db = database();
      // Distinct tuples (as int_identity_values holds them) that repeat values column by column, in no order.
      await db.run(`CREATE TEMP TABLE int_identity_values (source VARCHAR, id_type VARCHAR, source_record_id VARCHAR, channel VARCHAR,
                      email VARCHAR, phone VARCHAR, visitor_id VARCHAR, full_name VARCHAR)`);
      const pick = <T>(xs: T[], i: number): T => xs[i % xs.length] as T;
      const tuples: (string | null)[][] = [];
      for (let i = 0; i < 400; i++) {
        const id = `id${i % 23}`;
        tuples.push(['crm', 'customer_id', id, pick(['web_orders', 'customers', 'email_events', 'web_sessions'], i * 7 + (i % 3)), pick(['b@x.io', null, 'a@x.io', 'é@x.io'], i * 3 + (i % 23)),
          pick([null, '+44 20', '+44 10'], i), pick(['v9', 'v1', null, 'v10'], i * 5), pick([null, 'Zoë', 'Ann'], i * 11 + (i % 5))]);
      }
      // An identity whose rows carry nothing but their channel.
      tuples.push(['crm', 'customer_id', 'solo', 'web_orders', null, null, null, null]);
      const distinct = [...new Map(tuples.map((t) => [JSON.stringify(t), t])).values()];
      await db.appendRows('int_identity_values', distinct);
      await db.run(`CREATE TEMP TABLE int_identity_latest AS
                    SELECT DISTINCT source, id_type, source_record_id, CAST(NULL AS VARCHAR) AS first_name, CAST(NULL AS VARCHAR) AS last_name,
                           CAST(NULL AS VARCHAR) AS postcode, CAST(NULL AS VARCHAR) AS city, CAST(NULL AS VARCHAR) AS country,
                           CAST(NULL AS TIMESTAMP) AS first_seen_at, CAST(NULL AS TIMESTAMP) AS last_seen_at
                    FROM int_identity_values`);
      await db.runFile('intermediate/int_identity_nodes.sql', { id_spaces: '[]' });
      const got = await db.all('SELECT source_record_id, first_email, first_phone, is_crm FROM int_identity_nodes ORDER BY node_id');
      // Oracle: node ids in the identities' text order; the smallest value by bytes (as DuckDB compares strings).
      const bytewise = (x: string, y: string): number => Buffer.compare(Buffer.from(x), Buffer.from(y));
      const ids = [...new Set(distinct.map((t) => t[2] as string))].sort(bytewise);
      const smallest = (rows: (string | null)[][], column: number): string | null => rows.map((t) => t[column]).filter((v): v is string => v !== null).sort(bytewise)[0] ?? null;
      expect(got).toEqual(ids.map((id) => {
        const rows = distinct.filter((t) => t[2] === id);
        return { source_record_id: id, first_email: smallest(rows, 4), first_phone: smallest(rows, 5), is_crm: rows.some((t) => t[3] === 'customers') };
      }));
      expect(got.find((r) => r.source_record_id === 'solo')).toEqual({ source_record_id: 'solo', first_email: null, first_phone: null, is_crm: false });
      // 'é@x.io' sorts after the ASCII emails, so the smallest is a@x.io wherever an identity has it.
      expect(got.some((r) => r.first_email === 'a@x.io') && got.some((r) => r.is_crm === false) && got.some((r) => r.is_crm === true)).toBe(true);
      // The value rows are the distinct tuples, each under its identity's node id.
      const rows = await db.all<Record<string, string | null>>(`SELECT n.source, n.source_record_id, v.channel, v.email, v.phone, v.visitor_id, v.full_name
                                  FROM int_node_values v JOIN int_identity_nodes n USING (node_id) ORDER BY ALL`);
      expect(rows.map((r) => JSON.stringify([r.source, 'customer_id', r.source_record_id, r.channel, r.email, r.phone, r.visitor_id, r.full_name])).sort())
        .toEqual(distinct.map((t) => JSON.stringify(t)).sort());
      // The inputs are dropped: the nodes are their only reader.
      expect(await db.tableExists('int_identity_values')).toBe(false);
      expect(await db.tableExists('int_identity_latest')).toBe(false);
    });
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
