/**
 * Which emails become identity keys (int_identity_keys.sql): a value, trimmed and lower-cased, of one '@' between a
 * non-empty local part and a domain with a dot inside it, no white space anywhere. The model (and the unusable-email
 * count of identity_quality.sql, with the same pattern) tests it with an anchored regexp_matches; this holds the keys
 * to DuckDB's regexp_full_match of the same pattern and to expectations written out by hand, on the edge cases
 * (trailing newline, dots at the ends of the domain, a second '@', tabs).
 */
import { describe, expect, it } from 'vitest';
import { memoryDatabasePerTest } from '../helpers.js';

const CASES: [string, boolean][] = [
  ['a@b.c', true], ['  A.Person@Example.COM ', true], ['a@b.c.', true], ['a@b..c', true], ['x+tag@mail.example.org', true],
  ['a@b', false], ['@b.c', false], ['a@.c', false], ['a@b.', false], ['a b@c.d', false], ['a@b@c.d', false],
  ['a@b.c\n', false], ['a@b.c\tx', false], ['a\n@b.c', false], ['', false], ['plain', false],
];

const database = memoryDatabasePerTest();

describe('email keys', () => {
  it('are the emails of one @ and a dotted domain, as regexp_full_match reads the pattern', async () => {
    const db = database();
    await db.run(`CREATE TEMP TABLE int_identity_nodes AS
                  SELECT CAST(i AS BIGINT) AS node_id, 'shop' AS source, 'email' AS id_type, 'n' || i AS source_record_id, 'shop' AS id_space
                  FROM (SELECT generate_subscripts($emails, 1) AS i);
                  CREATE TEMP TABLE int_node_values AS
                  SELECT CAST(i AS BIGINT) AS node_id, 'shop' AS source, 'web_orders' AS channel, e AS email,
                         CAST(NULL AS VARCHAR) AS phone, CAST(NULL AS VARCHAR) AS visitor_id, CAST(NULL AS VARCHAR) AS full_name
                  FROM (SELECT unnest($emails) AS e, generate_subscripts($emails, 1) AS i);
                  CREATE TEMP TABLE phone_map (raw VARCHAR, e164 VARCHAR);`, { emails: CASES.map(([e]) => e) });
    await db.runFile('intermediate/int_identity_keys.sql', { email_folding: 'none', blocklist: [], max_fanout: 20 });
    const keyed = new Set((await db.all<{ node_id: number }>("SELECT node_id FROM int_identity_keys WHERE key_type = 'email'")).map((r) => Number(r.node_id)));
    const full = await db.all<{ ok: boolean }>(
      String.raw`SELECT regexp_full_match(lower(trim(e)), '[^@\s]+@[^@\s]+\.[^@\s]+') AS ok FROM (SELECT unnest($emails) AS e, generate_subscripts($emails, 1) AS i) ORDER BY i`,
      { emails: CASES.map(([e]) => e) });
    CASES.forEach(([email, usable], i) => {
      expect(keyed.has(i + 1), JSON.stringify(email)).toBe(usable);
      expect(full[i]!.ok, JSON.stringify(email)).toBe(usable);
    });
    // The rest are counted for the data quality checks.
    expect(Number(await db.value('SELECT emails FROM int_identity_unusable_emails'))).toBe(CASES.filter(([, usable]) => !usable).length);
  });
});
