/**
 * customers.is_contactable: the latest explicit signal wins (an unsubscribe or complaint event, the CRM's
 * email_opt_out or marketing_consent as of as_of), and at one instant an opt-out wins; no signal → contactable. The
 * mart orders signals by one BIGINT, not a struct (a struct key did not spill at 4M customers). Oracle: the struct
 * order it replaced, on planted signals with same-instant conflicts, events after as_of and customers with none.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';

const AS_OF = '2024-06-30';

async function plant(db: Database): Promise<void> {
  const customers = 'SELECT i, printf(\'K%05d\', i) AS customer_key FROM range(2000) t(i)';
  await db.run('CREATE SCHEMA cra_work');
  await db.run(`CREATE TABLE cra_work.int_email_events_keyed AS
    SELECT customer_key, ['sent', 'open', 'unsubscribe', 'complaint'][CAST(1 + (i * 7 + j) % 4 AS INTEGER)] AS event_type,
           -- Some events fall on as_of's own instant (midnight), a few after the cutoff.
           CASE WHEN (i + j) % 9 = 0 THEN TIMESTAMP '${AS_OF}' ELSE TIMESTAMP '2024-01-01' + INTERVAL ((i * 13 + j * 29) % 200) DAY END AS event_at
    FROM (${customers}) c, range(CAST(i % 4 AS BIGINT)) r(j)`);
  await db.run(`CREATE TABLE cra_work.int_crm_keyed AS
    SELECT customer_key, i % 5 = 0 AS email_opt_out, CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS marketing_consent,
           false AS profiling_opt_out, TIMESTAMP '2023-01-01' AS created_at
    FROM (${customers}) c WHERE i % 7 <> 0`);
  for (const t of ['cra_work.int_orders_keyed (customer_key VARCHAR, ordered_at TIMESTAMP, status VARCHAR)', 'cra_work.int_sessions_keyed (customer_key VARCHAR, started_at TIMESTAMP)', 'cra_work.int_calls_keyed (customer_key VARCHAR, started_at TIMESTAMP)', 'phone_map (raw VARCHAR, e164 VARCHAR)']) {
    await db.run(`CREATE ${t.startsWith('cra_work.') ? '' : 'TEMP '}TABLE ${t}`);
  }
  await db.run(`CREATE TEMP TABLE int_customer_golden AS
    SELECT customer_key, NULL::VARCHAR AS email_raw, NULL::VARCHAR AS email_source, NULL::VARCHAR AS phone_raw, NULL::VARCHAR AS phone_source,
           NULL::VARCHAR AS first_name, NULL::VARCHAR AS last_name, NULL::VARCHAR AS name_source, NULL::VARCHAR AS city,
           NULL::VARCHAR AS city_source, NULL::VARCHAR AS country, 1::BIGINT AS source_records
    FROM (${customers}) c`);
}

const ORACLE = `
  WITH signals AS (
    SELECT customer_key, event_at AS occurred_at, false AS contactable FROM cra_work.int_email_events_keyed
    WHERE event_type IN ('unsubscribe', 'complaint') AND event_at < TIMESTAMP '${AS_OF}' + INTERVAL 1 DAY
    UNION ALL SELECT customer_key, TIMESTAMP '${AS_OF}', false FROM cra_work.int_crm_keyed WHERE email_opt_out
    UNION ALL SELECT customer_key, TIMESTAMP '${AS_OF}', marketing_consent FROM cra_work.int_crm_keyed WHERE marketing_consent IS NOT NULL),
  latest AS (SELECT customer_key, arg_max(contactable, (occurred_at, NOT contactable)) AS c FROM signals GROUP BY customer_key)
  SELECT g.customer_key, coalesce(l.c, true) AS is_contactable FROM int_customer_golden g LEFT JOIN latest l USING (customer_key)
  ORDER BY customer_key`;

describe('customers consent', () => {
  it('takes the latest signal, an opt-out at the same instant, and contactable without one', async () => {
    const db = await Database.open(':memory:', { threads: 2 });
    try {
      await plant(db);
      await db.runFile('marts/customers.sql', { as_of: AS_OF });
      const got = await db.all('SELECT customer_key, is_contactable FROM out_customers ORDER BY customer_key');
      const expected = await db.all(ORACLE);
      expect(got).toEqual(expected);
      // The planted cases are all there: opted out, consenting, and never asked.
      const counts = (v: boolean) => got.filter((r) => r.is_contactable === v).length;
      expect(counts(false)).toBeGreaterThan(300);
      expect(counts(true)).toBeGreaterThan(300);
      // A same-instant conflict decided by the tie rule: CRM consent at as_of and an unsubscribe at midnight of as_of.
      const tie = await db.value<number>(`SELECT count(*) FROM cra_work.int_crm_keyed c JOIN cra_work.int_email_events_keyed e USING (customer_key)
        WHERE c.marketing_consent AND NOT c.email_opt_out AND e.event_type IN ('unsubscribe', 'complaint') AND e.event_at = TIMESTAMP '${AS_OF}'`);
      expect(Number(tie)).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
