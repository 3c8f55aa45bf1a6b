/**
 * The identity nodes are built in parts sized to DuckDB's memory limit (list aggregates do not spill, and the values'
 * aggregates ran out of memory at 4M customers). Any number of parts must give the same nodes as one pass, list parts
 * being a multiple of the values parts; and the memory limit is read correctly from DuckDB's setting.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { buildIdentityNodes, listParts } from '../../src/stages/identity/nodes.js';
import { copyFixture, memoryDatabasePerTest, runFile } from '../helpers.js';

describe('identity nodes', () => {
  it('are the same built in one part or in seven', async () => {
    const dir = copyFixture('identity');
    await runFile(path.join(dir, 'pipeline.yaml'));
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      const snapshot = async (values: number, lists: number) => {
        const built = await buildIdentityNodes(db, { people: ['crm'] }, values === lists ? values : { values, lists });
        expect(built).toEqual({ parts: lists, valueParts: values });
        return db.all('SELECT * FROM int_identity_nodes ORDER BY node_id');
      };
      const one = await snapshot(1, 1);
      expect(one.length).toBeGreaterThan(10);
      // Node ids are 1..n in (source, id_type, source_record_id) order: the order that decides which customer a new
      // key goes to first. Oracle: JS's sort of the triples.
      const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
      const triples = one.map((n) => [n.source, n.id_type, n.source_record_id] as string[]);
      const sorted = [...triples].sort((a, b) => byText(a[0]!, b[0]!) || byText(a[1]!, b[1]!) || byText(a[2]!, b[2]!));
      expect(triples).toEqual(sorted);
      expect(one.map((n) => Number(n.node_id))).toEqual(one.map((_, i) => i + 1));
      expect(new Set(one.map((n) => `${n.source}/${n.id_type}`)).size).toBeGreaterThan(3);
      expect(await snapshot(7, 7)).toEqual(one);
      // List parts that are a multiple of the values' parts: each reads one values part (by value_part) and the
      // stored hash; a list part that looked in the wrong values part would lose its identities.
      expect(await snapshot(2, 6)).toEqual(one);
      expect(await snapshot(3, 12)).toEqual(one);
      await expect(buildIdentityNodes(db, {}, { values: 2, lists: 5 })).rejects.toThrow('5 list parts are not a multiple of 2 values parts');
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

  describe('lists', () => {
    const database = memoryDatabasePerTest();
    it('hold each identity\'s distinct values, sorted, without NULLs, and NULL when there are none (against an oracle)', async () => {
      const db = database();
      await db.run(`CREATE TEMP TABLE value_tuples (source VARCHAR, id_type VARCHAR, source_record_id VARCHAR, channel VARCHAR,
                      email VARCHAR, phone VARCHAR, visitor_id VARCHAR, full_name VARCHAR);
                    CREATE TEMP TABLE int_identity_lists (source VARCHAR, id_type VARCHAR, source_record_id VARCHAR,
                      channels VARCHAR[], emails VARCHAR[], phones VARCHAR[], visitor_ids VARCHAR[], full_names VARCHAR[])`);
      // Distinct tuples (as int_identity_values holds them) that repeat values column by column, in no order.
      const pick = <T>(xs: T[], i: number): T => xs[i % xs.length] as T;
      const tuples: (string | null)[][] = [];
      for (let i = 0; i < 400; i++) {
        const id = `id${i % 23}`;
        tuples.push(['crm', 'customer_id', id, pick(['web_orders', 'customers', 'email_events'], i * 7), pick(['b@x.io', null, 'a@x.io', 'é@x.io'], i * 3 + (i % 23)),
          pick([null, '+44 20', '+44 10'], i), pick(['v9', 'v1', null, 'v10'], i * 5), pick([null, 'Zoë', 'Ann'], i * 11 + (i % 5))]);
      }
      // An identity whose rows carry nothing but their channel.
      tuples.push(['crm', 'customer_id', 'solo', 'customers', null, null, null, null]);
      const distinct = [...new Map(tuples.map((t) => [JSON.stringify(t), t])).values()];
      await db.appendRows('value_tuples', distinct);
      // As int_identity_values.sql stores them: in two values parts, each row with its part and its identity's hash.
      await db.run(`CREATE TEMP TABLE int_identity_values AS
                    SELECT CAST(hash(source, id_type, source_record_id) % 2 AS UINTEGER) AS value_part,
                           hash(source, id_type, source_record_id) AS identity_hash, *
                    FROM value_tuples ORDER BY value_part`);
      const lists = async (parts: number) => {
        await db.run('DELETE FROM int_identity_lists');
        for (let part = 0; part < parts; part++) await db.runFile('intermediate/int_identity_lists.sql', { part, parts, value_parts: 2 });
        return db.all('SELECT source_record_id, channels, emails, phones, visitor_ids, full_names FROM int_identity_lists ORDER BY source_record_id');
      };
      const got = await lists(2);
      expect(await lists(6)).toEqual(got);
      const oracle = [...new Set(distinct.map((t) => t[2] as string))].sort().map((id) => {
        const rows = distinct.filter((t) => t[2] === id);
        const list = (column: number): string[] | null => {
          const values = [...new Set(rows.map((t) => t[column]).filter((v): v is string => v !== null))].sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : 1));
          return values.length === 0 ? null : values;
        };
        return { source_record_id: id, channels: list(3), emails: list(4), phones: list(5), visitor_ids: list(6), full_names: list(7) };
      });
      expect(got).toEqual(oracle);
      expect(got.find((r) => r.source_record_id === 'solo')).toEqual({ source_record_id: 'solo', channels: ['customers'], emails: null, phones: null, visitor_ids: null, full_names: null });
      expect(got.some((r) => (r.emails as string[] | null)?.length === 3)).toBe(true);
    });
  });

  it('take the fewest list parts that the memory needs and that are a multiple of the values parts', () => {
    expect(listParts(7, 1)).toBe(7);
    expect(listParts(40, 6)).toBe(42);
    expect(listParts(12, 6)).toBe(12);
    expect(listParts(13, 6)).toBe(18);
    expect(listParts(1, 6)).toBe(6);
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
