/**
 * No leakage (retention stage): the training features at as_of − 2h do not move when events after that cutoff are
 * deleted, shifted or added — in every channel — while the training labels, which are about the period after it, do.
 * Checked on int_customer_features built by the features model at the cutoff and on the whole training snapshot the
 * stage builds (int_retention_windows, snapshot `train`), before and after editing the keyed activity tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { RunContext } from '../../src/pipeline/context.js';
import { buildFeatures } from '../../src/stages/features/index.js';
import { buildWindows, cutoffsFor } from '../../src/stages/retention/windows.js';
import { AS_OF, openRun, randomPeople, writeFixture } from './retention-fixture.js';

const HORIZON = 90;
const CUTOFF = cutoffsFor(AS_OF, HORIZON).train;
const ACTIVITY: [table: string, time: string, id: string][] = [
  ['cra_work.int_orders_keyed', 'ordered_at', 'order_id'],
  ['cra_work.int_email_events_keyed', 'event_at', 'event_id'],
  ['cra_work.int_sessions_keyed', 'started_at', 'session_id'],
  ['cra_work.int_calls_keyed', 'started_at', 'call_id'],
];

let ctx: RunContext;
let db: Database;

async function differences(a: string, b: string, columns = '*'): Promise<number> {
  return Number(await db.value(`SELECT count(*) FROM ((SELECT ${columns} FROM ${a} EXCEPT ALL SELECT ${columns} FROM ${b})
                                 UNION ALL (SELECT ${columns} FROM ${b} EXCEPT ALL SELECT ${columns} FROM ${a}))`));
}

async function snapshotTrain(into: string): Promise<void> {
  await buildFeatures(db, CUTOFF);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${into}_features AS SELECT * FROM int_customer_features`);
  await buildWindows(db, { asOf: AS_OF, horizonDays: HORIZON, activeDays: 365 });
  await db.run(`CREATE OR REPLACE TEMP TABLE ${into}_train AS SELECT * FROM int_retention_windows WHERE snapshot = 'train'`);
}

beforeAll(async () => {
  ctx = await openRun(writeFixture(randomPeople(7, 120)));
  db = ctx.db;
  await snapshotTrain('before');
  const after = `CAST('${CUTOFF}' AS DATE) + INTERVAL 1 DAY`;
  for (const [table, time, id] of ACTIVITY) {
    // Delete a third of the rows after the cutoff, move the rest 17 days later, and copy the earlier rows that land
    // after the cutoff when moved 200 days on (new ids): activity after it is deleted, shifted and added everywhere.
    await db.run(`DELETE FROM ${table} WHERE ${time} >= ${after} AND hash(${id}) % 3 = 0`);
    await db.run(`UPDATE ${table} SET ${time} = ${time} + INTERVAL 17 DAY WHERE ${time} >= ${after}`);
    await db.run(`INSERT INTO ${table} SELECT * REPLACE (${time} + INTERVAL 200 DAY AS ${time}, ${id} || '-copy' AS ${id}) FROM ${table}
                  WHERE ${time} < ${after} AND ${time} + INTERVAL 200 DAY >= ${after}`);
  }
  await snapshotTrain('after');
}, 60_000);

afterAll(() => ctx?.db.close());

describe('retention: no leakage from after the training cutoff', () => {
  it('the edits reached the activity after the cutoff', async () => {
    for (const [table, time] of ACTIVITY) {
      expect(Number(await db.value(`SELECT count(*) FROM ${table} WHERE ${time} >= CAST('${CUTOFF}' AS DATE) + INTERVAL 1 DAY`)), table).toBeGreaterThan(0);
    }
  });

  it('int_customer_features at as_of − 2h is identical, row for row', async () => {
    expect(Number(await db.value('SELECT count(*) FROM before_features'))).toBeGreaterThan(50);
    expect(await differences('before_features', 'after_features')).toBe(0);
  });

  it("the stage's training snapshot keeps every feature and customer; only the labels change", async () => {
    expect(Number(await db.value(`SELECT count(*) FROM before_train WHERE population = 'active_buyer'`))).toBeGreaterThan(30);
    expect(await differences('before_train', 'after_train', '* EXCLUDE (purchased)')).toBe(0);
    const changed = Number(await db.value(`SELECT count(*) FROM before_train b JOIN after_train a USING (customer_key)
                                           WHERE a.purchased IS DISTINCT FROM b.purchased`));
    expect(changed).toBeGreaterThan(0);
  });
});
