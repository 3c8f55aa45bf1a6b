/**
 * Column-wise transfer between DuckDB and JS (src/db/database.ts): textColumn streams one column as strings across
 * chunk boundaries, appendColumns writes column arrays back; a round trip keeps every value, NULLs included.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';

describe('db: column transfer', () => {
  it('streams a text column over several chunks and appends columns back unchanged, NULLs included', async () => {
    const db = await Database.open(':memory:');
    try {
      // 5,000 rows: DuckDB hands them over in chunks of 2,048, so the stream crosses chunk boundaries.
      const sql = "SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END AS v FROM range(5000) t(i) ORDER BY i";
      const values = await db.textColumn(sql);
      expect(values).toHaveLength(5000);
      expect(values.slice(0, 3)).toEqual([null, 'v1', 'v2']);
      expect(values.filter((v) => v === null)).toHaveLength(715);

      await db.run('CREATE TABLE back (v VARCHAR, n DOUBLE)');
      await db.appendColumns('back', [values, values.map((_, i) => (i % 2 === 0 ? i : null))]);
      const rows = await db.all<{ v: string | null; n: number | null }>('SELECT v, n FROM back');
      expect(rows.map((r) => r.v)).toEqual(values);
      expect(rows[4]).toEqual({ v: 'v4', n: 4 });
      expect(rows[5]).toEqual({ v: 'v5', n: null });
    } finally {
      db.close();
    }
  });
});
