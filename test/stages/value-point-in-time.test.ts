/**
 * Point in time: events dated after as_of (but not in the future for the run clock, so they load) must not
 * change customer_features or customer_value. Runs the hand-made fixture, adds orders, a return, email sends and
 * calls between as_of and the clock — for known customers and for a person seen only after as_of — runs again
 * in the same folder (keys are stable) and compares both tables row for row.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyFixture, readParquet, runFile } from '../helpers.js';

const latest = (dir: string, file: string): string => path.join(dir, 'out', 'value', 'latest', file);

async function snapshot(dir: string) {
  return {
    features: await readParquet(latest(dir, 'customer_features.parquet'), 'SELECT * FROM t ORDER BY customer_key'),
    value: await readParquet(latest(dir, 'customer_value.parquet'), 'SELECT * FROM t ORDER BY customer_key'),
  };
}

describe('value stage: point in time', () => {
  it('ignores events after as_of in customer_features and customer_value', async () => {
    const dir = copyFixture('value');
    const file = path.join(dir, 'pipeline.yaml');
    await runFile(file);
    const before = await snapshot(dir);
    expect(before.value.length).toBe(10);

    // as_of is 2024-06-01; the test clock is 2024-07-01T03:00Z, so all of these load and count as after as_of.
    writeFileSync(path.join(dir, 'orders', 'orders_2024-06.csv'), [
      'Order,Line,Date,Customer,Email,Sku,Qty,Price,Discount,Status,Currency',
      'O106,1,2024-06-02 00:00:00,C01,c01@example.com,P1,1,10,0,completed,GBP',
      'O302,1,2024-06-20 10:00:00,C03,c03@example.com,P2,1,20,0,completed,GBP',
      'R301,1,2024-06-21 10:00:00,C03,c03@example.com,P2,-2,20,0,returned,GBP',
      'O902,1,2024-06-05 10:00:00,C09,c09@example.com,P3,1,99,0,completed,GBP',
      'O1202,1,2024-06-06 10:00:00,C12,c12@example.com,P1,1,10,0,completed,GBP',
      'O2001,1,2024-06-15 10:00:00,C20,c20@example.com,P1,1,10,0,completed,GBP',
    ].join('\n') + '\n');
    writeFileSync(path.join(dir, 'email', 'email_2024-06.csv'),
      'id,at,email,type\nE20,2024-06-05 08:00:00,c02@example.com,sent\nE21,2024-06-05 08:00:00,c20@example.com,sent\nE22,2024-06-30 08:00:00,c11@example.com,click\n');
    writeFileSync(path.join(dir, 'calls', 'calls_2024-06.csv'),
      'id,at,email,seconds,reason\nK4,2024-06-20 11:00:00,c01@example.com,1800,complaint\nK5,2024-07-01 01:00:00,c09@example.com,60,billing\n');
    const { manifest } = await runFile(file);
    const after = await snapshot(dir);

    // The new rows were loaded (not rejected) and counted as after as_of …
    const dq = await readParquet<{ table_name: string; value: number }>(latest(dir, 'data_quality.parquet'),
      "SELECT table_name, sum(value) AS value FROM t WHERE check_name = 'rows_after_as_of' GROUP BY ALL ORDER BY ALL");
    expect(dq).toEqual([{ table_name: 'calls', value: 2 }, { table_name: 'catalogue', value: 0 }, { table_name: 'email', value: 3 }, { table_name: 'shop', value: 6 }]);
    expect(manifest.inputs.reduce((n, i) => n + i.rows_rejected, 0)).toBe(0);
    // … and change neither table: same customers (C20 exists only after as_of; C12's first completed order is later), same values.
    expect(after.features).toEqual(before.features);
    expect(after.value).toEqual(before.value);
  });
});
