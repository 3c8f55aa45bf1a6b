/**
 * Statement timings (Database.recordTimings, the benchmark's profile): off until asked for; then every statement of
 * this connection and of later forks is recorded with its origin, and each statement of a multi-statement text gets
 * its number.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';

describe('db: statement timings', () => {
  it('records each statement with its origin, on forks too, once switched on', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.run('CREATE TABLE t AS SELECT range AS i FROM range(1000)');
      const timings = db.recordTimings();
      expect(timings).toEqual([]);
      await db.run('CREATE TABLE u AS SELECT i * 2 AS j FROM t; CREATE TABLE w AS SELECT j + 1 AS k FROM u;', {}, 'models/two.sql');
      await db.value('SELECT count(*) FROM w');
      const fork = await db.fork();
      await fork.value('SELECT 42', {}, 'on the fork');
      fork.close();
      expect(timings.map((t) => t.origin)).toEqual(['models/two.sql #1', 'models/two.sql #2', 'SELECT count(*) FROM w', 'on the fork']);
      for (const t of timings) expect(t.seconds).toBeGreaterThanOrEqual(0);
      expect(db.recordTimings()).toBe(timings);
    } finally {
      db.close();
    }
  });
});
