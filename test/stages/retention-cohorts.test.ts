/**
 * cohort_retention (src/sql/marts/cohort_retention.sql) against a hand computation: cohorts by the month of the
 * first COMPLETED order (a cancelled first order does not found a cohort), several orders in one month count once,
 * cancelled and returned lines are not purchases, guests and orders after as_of are left out, and every month up to
 * as_of's is listed with zeros.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';

let db: Database;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.run('CREATE SCHEMA cra_work');
  await db.run('CREATE TABLE cra_work.int_orders_keyed (customer_key VARCHAR, ordered_at TIMESTAMP, status VARCHAR)');
  await db.run(`INSERT INTO cra_work.int_orders_keyed VALUES
    -- A: January cohort; buys again in February and April.
    ('A', '2024-01-10 09:00', 'completed'), ('A', '2024-02-05 09:00', 'completed'), ('A', '2024-04-20 09:00', 'completed'),
    -- B: January cohort; two more orders in January (month 0 only), then March.
    ('B', '2024-01-25 09:00', 'completed'), ('B', '2024-01-30 09:00', 'completed'), ('B', '2024-03-01 00:00', 'completed'),
    -- C: February cohort; a cancelled order in March and a returned line in April are not purchases.
    ('C', '2024-02-14 09:00', 'completed'), ('C', '2024-03-03 09:00', 'cancelled'), ('C', '2024-04-01 09:00', 'returned'),
    -- F: a cancelled order in January, first completed order in February, next one after as_of.
    ('F', '2024-01-05 09:00', 'cancelled'), ('F', '2024-02-20 09:00', 'completed'), ('F', '2024-05-01 00:00', 'completed'),
    -- G: first completed order after as_of: no cohort. Guests: no cohort.
    ('G', '2024-05-02 09:00', 'completed'), (NULL, '2024-01-11 09:00', 'completed'), (NULL, '2024-02-11 09:00', 'completed'),
    -- H: bought on the last evening of as_of: counts (analysis includes timestamps before as_of + 1 day).
    ('H', '2024-04-30 23:59', 'completed')`);
  await db.runFile('marts/cohort_retention.sql', { as_of: '2024-04-30' });
});

afterAll(() => db.close());

describe('cohort_retention', () => {
  it('matches the hand computation cell for cell', async () => {
    const rows = await db.all('SELECT strftime(cohort_month, \'%Y-%m\') AS cohort, months_since_first AS k, customers, retained, retention_rate AS rate FROM out_cohort_retention ORDER BY cohort, k');
    expect(rows).toEqual([
      { cohort: '2024-01', k: 0, customers: 2, retained: 2, rate: 1 },
      { cohort: '2024-01', k: 1, customers: 2, retained: 1, rate: 0.5 }, // A in February
      { cohort: '2024-01', k: 2, customers: 2, retained: 1, rate: 0.5 }, // B in March
      { cohort: '2024-01', k: 3, customers: 2, retained: 1, rate: 0.5 }, // A in April
      { cohort: '2024-02', k: 0, customers: 2, retained: 2, rate: 1 }, // C, F
      { cohort: '2024-02', k: 1, customers: 2, retained: 0, rate: 0 },
      { cohort: '2024-02', k: 2, customers: 2, retained: 0, rate: 0 },
      { cohort: '2024-04', k: 0, customers: 1, retained: 1, rate: 1 }, // H
    ]);
  });

  it('has the published column types', async () => {
    const types = await db.all<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'out_cohort_retention' ORDER BY column_index`);
    expect(types.map((t) => `${t.column_name}:${t.data_type}`)).toEqual([
      'cohort_month:DATE', 'months_since_first:INTEGER', 'customers:BIGINT', 'retained:BIGINT', 'retention_rate:DOUBLE',
    ]);
  });
});
