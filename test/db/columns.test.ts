/**
 * Column-wise transfer between DuckDB and JS (src/db/database.ts): textColumn streams one column as strings across
 * chunk boundaries, appendColumns writes column arrays back; a round trip keeps every value, NULLs included.
 * numericColumns, int32Columns and eachInt32Chunk give every value in order across chunks; an integer code that is
 * NULL or does not fit in 32 bits is an error, not a silent 0 or wrap-around. appendTypedColumns writes typed arrays
 * back a data chunk at a time: every value in its row across chunk boundaries, non-finite doubles as NULL. DOUBLE
 * and INTEGER columns are copied a chunk at a time with their NULLs read off the validity mask (copyWhole): the same
 * values as row by row, and the binding this lockfile pins must take that path.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { copyWhole, Database } from '../../src/db/database.js';

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

  it('streams numeric columns as Float64Arrays (NULL → NaN) and integer codes as Int32Arrays, across chunks', async () => {
    const db = await Database.open(':memory:');
    try {
      const sql = 'SELECT i AS a, CASE WHEN i % 5 = 0 THEN NULL ELSE i / 2 END AS b FROM range(5000) t(i) ORDER BY i';
      const floats = await db.numericColumns(sql);
      expect(floats.rows).toBe(5000);
      expect(floats.columns.a).toBeInstanceOf(Float64Array);
      expect(Array.from(floats.columns.a!.subarray(2046, 2050))).toEqual([2046, 2047, 2048, 2049]);
      expect(floats.columns.b![0]).toBeNaN();
      expect(floats.columns.b![4999]).toBe(2499.5);

      const ints = await db.int32Columns('SELECT CAST(i AS INTEGER) AS tx, CAST(4999 - i AS BIGINT) AS item FROM range(5000) t(i) ORDER BY i');
      expect(ints.rows).toBe(5000);
      expect(ints.columns.tx).toBeInstanceOf(Int32Array);
      expect(Array.from(ints.columns.tx!)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
      expect(ints.columns.item![0]).toBe(4999);
      expect(ints.columns.item![4999]).toBe(0);
      await expect(db.int32Columns('SELECT CASE WHEN i = 3000 THEN NULL ELSE i END AS code FROM range(5000) t(i)')).rejects.toThrow(/code holds a NULL/);
      await expect(db.int32Columns('SELECT CAST(2147483648 AS BIGINT) AS code')).rejects.toThrow(/code holds 2147483648, outside the int32 range/);

      // The same integers a chunk at a time: several chunks, every row once, in order, and an empty result calls nothing.
      const chunks: number[] = [];
      const seen: number[] = [];
      await db.eachInt32Chunk('SELECT CAST(i AS INTEGER) AS tx, CAST(4999 - i AS BIGINT) AS item FROM range(5000) t(i) ORDER BY i', {}, ([tx, item], rows) => {
        chunks.push(rows);
        for (let i = 0; i < rows; i++) {
          expect(tx![i]! + item![i]!).toBe(4999);
          seen.push(tx![i]!);
        }
      });
      expect(chunks.length).toBeGreaterThan(1);
      expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
      await db.eachInt32Chunk('SELECT 1 AS x WHERE false', {}, () => expect.unreachable());
      await expect(db.eachInt32Chunk('SELECT CASE WHEN i = 3000 THEN NULL ELSE i END AS code FROM range(5000) t(i)', {}, () => {})).rejects.toThrow(/code holds a NULL/);
    } finally {
      db.close();
    }
  });

  it('appends typed columns a chunk at a time: every value in its row, NaN and ±Infinity as NULL, a short tail chunk', async () => {
    const db = await Database.open(':memory:');
    try {
      // 5,000 rows: two full chunks of 2,048 and a tail of 904.
      const n = 5000;
      const ids = Int32Array.from({ length: n }, (_, i) => n - i);
      const negatives = Int32Array.from({ length: n }, (_, i) => -i * 1000);
      const values = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? Number.NaN : i === 4001 ? Number.POSITIVE_INFINITY : i === 4002 ? Number.NEGATIVE_INFINITY : i / 3));
      await db.run('CREATE TABLE typed (id INTEGER, neg INTEGER, v DOUBLE)');
      await db.appendTypedColumns('typed', [ids, negatives, values]);
      await db.appendTypedColumns('typed', [new Int32Array(0), new Int32Array(0), new Float64Array(0)]);
      const back = await db.all<{ id: number; neg: number; v: number | null }>('SELECT id, neg, v FROM typed');
      expect(back).toHaveLength(n);
      back.forEach((row, i) => {
        const expected = Number.isFinite(values[i]!) ? values[i] : null;
        if (row.id !== n - i || row.neg !== -i * 1000 || row.v !== expected) expect.fail(`row ${i}: id ${row.id}, neg ${row.neg}, v ${row.v}; expected id ${n - i}, neg ${-i * 1000}, v ${expected}`);
      });
      expect(back.filter((r) => r.v === null)).toHaveLength(Math.ceil(n / 11) + 2);
      await expect(db.appendTypedColumns('typed', [ids, negatives.subarray(1), values])).rejects.toThrow(/unequal length/);
      // Wider columns take them as the values they are (DuckDB casts the chunk): integers into BIGINT and DOUBLE.
      await db.run('CREATE TABLE wide (id BIGINT, neg DOUBLE)');
      await db.appendTypedColumns('wide', [ids, negatives]);
      expect(await db.all('SELECT sum(id)::DOUBLE AS ids, min(neg) AS low, typeof(min(id)) AS type FROM wide')).toEqual([{ ids: (n * (n + 1)) / 2, low: -(n - 1) * 1000, type: 'BIGINT' }]);
    } finally {
      db.close();
    }
  });

  it('copies DOUBLE and INTEGER chunks whole with their NULLs where row-by-row reading puts them', async () => {
    const db = await Database.open(':memory:');
    try {
      // NULL patterns that cross bytes, words and chunks: every 7th row, a run over a chunk boundary, a whole chunk
      // of NULLs (rows 6144–8191), and none at all in column c.
      const sql = `SELECT CASE WHEN i % 7 = 3 OR i BETWEEN 2040 AND 2060 OR i BETWEEN 6144 AND 8191 THEN NULL ELSE i / 4 END AS a,
                          CAST(CASE WHEN i % 13 IN (0, 8) OR i BETWEEN 6144 AND 8191 THEN NULL ELSE i - 5000 END AS INTEGER) AS b,
                          CAST(i * 3 AS INTEGER) AS c
                   FROM range(9000) t(i) ORDER BY i`;
      const rows = await db.all<{ a: number | null; b: number | null; c: number }>(sql);
      const { columns } = await db.numericColumns(sql);
      rows.forEach((row, i) => {
        const [a, b, c] = [columns.a![i]!, columns.b![i]!, columns.c![i]!];
        if (!(row.a === null ? Number.isNaN(a) : a === row.a) || !(row.b === null ? Number.isNaN(b) : b === row.b) || c !== row.c) {
          expect.fail(`row ${i}: ${a}, ${b}, ${c}; row by row ${row.a}, ${row.b}, ${row.c}`);
        }
      });
      const ints = await db.int32Columns('SELECT CAST(i * 3 - 7 AS INTEGER) AS c FROM range(9000) t(i) ORDER BY i');
      expect(Array.from(ints.columns.c!)).toEqual(Array.from({ length: 9000 }, (_, i) => i * 3 - 7));
      await expect(db.int32Columns('SELECT CAST(CASE WHEN i = 4100 THEN NULL ELSE i END AS INTEGER) AS code FROM range(5000) t(i)')).rejects.toThrow(/code holds a NULL/);
    } finally {
      db.close();
    }

    // The pinned binding's vectors take the whole-chunk path (else reading is only slower: this says so).
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const result = await connection.stream('SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE i / 2 END AS a, CAST(i AS INTEGER) AS b FROM range(100) t(i)');
    const chunk = (await result.fetchChunk())!;
    const doubles = new Float64Array(chunk.rowCount);
    expect(copyWhole(chunk.getColumnVector(0), doubles, () => Number.NaN)).toBe(true);
    expect(doubles[0]).toBeNaN();
    expect(doubles[1]).toBe(0.5);
    expect(copyWhole(chunk.getColumnVector(1), new Int32Array(chunk.rowCount), () => 0)).toBe(true);
    // A vector of another type is left to getItem.
    expect(copyWhole(chunk.getColumnVector(1), new Float64Array(chunk.rowCount), () => 0)).toBe(false);
    connection.closeSync();
  });
});
