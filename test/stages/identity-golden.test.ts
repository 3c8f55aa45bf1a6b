/**
 * The golden records' survivorship winners are built in parts by a hash of customer_key (their arg_max states do not
 * spill; one pass ran out of memory at 4M customers). Any number of parts must give the same winners as one pass, and
 * the winners must follow identity.survivorship: listed source priority, then CRM records, then the most recent.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { buildGoldenRecords } from '../../src/stages/identity/golden.js';

/**
 * About 3,000 customers of 1–9 identities from four sources; every identity seen at its own time (no ties). The
 * fields depend on the identity number through co-prime moduli and the customer through a hash of it, so they vary
 * independently (two-argument hashes modulo related numbers do not: they put every identity of a customer in one source).
 */
async function plantNodes(db: Database): Promise<void> {
  await db.run(`CREATE TEMP TABLE int_identity_nodes AS
    SELECT i AS node_id,
           ['crm', 'shop', 'calls', 'email'][CAST(1 + i % 4 AS INTEGER)] AS source,
           i % 4 = 0 AS is_crm,
           CASE WHEN i % 3 = 0 THEN NULL ELSE 'p' || i || '@example.com' END AS first_email,
           CASE WHEN i % 5 = 0 THEN NULL ELSE '+4420' || (7000000 + i) END AS first_phone,
           CASE WHEN i % 7 = 0 THEN NULL ELSE 'First' || i END AS first_name,
           CASE WHEN i % 11 = 0 THEN NULL ELSE 'Last' || i END AS last_name,
           CASE WHEN i % 13 < 5 THEN NULL ELSE 'City' || (i % 50) END AS city,
           CASE WHEN i % 13 < 5 THEN NULL ELSE 'GB' END AS country,
           TIMESTAMP '2023-01-01' + INTERVAL (i * 61) SECOND AS last_seen_at
    FROM range(1, 12001) t(i)`);
  await db.run(`CREATE TEMP TABLE int_node_keys AS
    SELECT node_id, 'K' || lpad(CAST(1 + hash(node_id) % 2999 AS VARCHAR), 6, '0') AS customer_key FROM int_identity_nodes`);
}

describe('golden records', () => {
  it('are the same built in one part or in seven, and follow the survivorship order', async () => {
    const db = await Database.open(':memory:', { threads: 2 });
    try {
      await plantNodes(db);
      const winners = async (parts: number, sourcePriority: string[]) => {
        expect(await buildGoldenRecords(db, { source_priority: sourcePriority, rule: 'recent' }, parts)).toBe(parts);
        return db.all('SELECT * FROM int_customer_golden ORDER BY customer_key');
      };
      const one = await winners(1, []);
      expect(one.length).toBeGreaterThan(2900);
      // CRM records win where there is no listed priority: about half the customers have one with a city (by chance a
      // quarter of the cities would come from CRM).
      expect(one.filter((r) => r.city_source === 'crm').length).toBeGreaterThan(one.length / 3);
      expect(await winners(7, [])).toEqual(one);
      // Oracle, per field: the customer's records ranked by (priority, CRM, last seen); the first with a value wins.
      const oracle = async (sourcePriority: string[]) => db.all(`
        WITH ranked AS (
          SELECT k.customer_key, n.*, row_number() OVER (PARTITION BY k.customer_key
                   ORDER BY -coalesce(nullif(list_position(${JSON.stringify(sourcePriority).replaceAll('"', "'")}::VARCHAR[], n.source), 0), 1000) DESC,
                            n.source = 'crm' DESC, n.last_seen_at DESC) AS rank
          FROM int_node_keys k JOIN int_identity_nodes n USING (node_id))
        SELECT customer_key,
               arg_min(first_email, rank) FILTER (WHERE first_email IS NOT NULL) AS email_raw,
               arg_min(first_name, rank) FILTER (WHERE first_name IS NOT NULL) AS first_name,
               arg_min(city, rank) FILTER (WHERE city IS NOT NULL) AS city,
               arg_min(source, rank) FILTER (WHERE city IS NOT NULL) AS city_source,
               count(*) AS source_records
        FROM ranked GROUP BY customer_key ORDER BY customer_key`);
      const pick = (rows: Record<string, unknown>[]) => rows.map(({ customer_key, email_raw, first_name, city, city_source, source_records }) => ({ customer_key, email_raw, first_name, city, city_source, source_records }));
      expect(pick(one)).toEqual(await oracle([]));
      const calls = await winners(3, ['calls', 'email']);
      expect(pick(calls)).toEqual(await oracle(['calls', 'email']));
      expect(pick(calls)).not.toEqual(pick(one));
    } finally {
      db.close();
    }
  });

  it('order records by time across the whole timestamp range: before 1970, unknown (read as 1970) and far ahead', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.run(`CREATE TEMP TABLE int_identity_nodes AS
        SELECT * FROM (VALUES
          (1, 'shop', false, 'a-1960@x.io', TIMESTAMP '1960-01-01'), (2, 'shop', false, 'b-2200@x.io', TIMESTAMP '2200-01-01'),
          (3, 'shop', false, 'c-null@x.io', NULL),
          (4, 'shop', false, 'd-1960@x.io', TIMESTAMP '1960-01-01'), (5, 'shop', false, 'e-null@x.io', NULL),
          (6, 'shop', false, 'f-2024@x.io', TIMESTAMP '2024-01-01'), (7, 'crm', true, 'g-1950@x.io', TIMESTAMP '1950-06-30 12:00:00.000001'),
          (8, 'shop', false, 'h-1969@x.io', TIMESTAMP '1969-12-31 23:59:59.999999'), (9, 'shop', false, 'i-1900@x.io', TIMESTAMP '1900-01-01'))
        t(node_id, source, is_crm, first_email, last_seen_at)`);
      await db.run(`CREATE TEMP TABLE int_node_keys AS
        SELECT node_id, CASE WHEN node_id <= 3 THEN 'K1' WHEN node_id <= 5 THEN 'K2' WHEN node_id <= 7 THEN 'K3' ELSE 'K4' END AS customer_key
        FROM int_identity_nodes`);
      // Columns the golden records read and these nodes leave empty.
      for (const column of ['first_phone', 'first_name', 'last_name', 'city', 'country']) await db.run(`ALTER TABLE int_identity_nodes ADD COLUMN ${column} VARCHAR`);
      await buildGoldenRecords(db, { source_priority: [], rule: 'recent' }, 1);
      const winners = await db.all<{ customer_key: string; email_raw: string }>('SELECT customer_key, email_raw FROM int_customer_golden ORDER BY customer_key');
      // K1: the latest, far ahead; K2: unknown counts as 1970, after 1960; K3: a CRM record however old; K4: 1969 after 1900.
      expect(winners).toEqual([
        { customer_key: 'K1', email_raw: 'b-2200@x.io' }, { customer_key: 'K2', email_raw: 'e-null@x.io' },
        { customer_key: 'K3', email_raw: 'g-1950@x.io' }, { customer_key: 'K4', email_raw: 'h-1969@x.io' },
      ]);
    } finally {
      db.close();
    }
  });
});
