// The generated DuckDB query scores every row exactly as predictProba does — NULLs (seen and unseen at
// training), quotes in category, column and table names, unseen categories, full-precision thresholds —
// and the JSON form reloads to the same predictions.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  binWithEdges,
  categoricalFeature,
  fitCart,
  numericFeature,
  predictProba,
  sqlDouble,
  treeFromJson,
  treeToJson,
  treeToSql,
  type FeatureInput,
} from '../../../src/analytics/cart/index.js';
import { createRng } from '../../../src/analytics/random.js';

const CATS = ["O'Brien", 'say "hi"', 'a,b', '', 'plain'];

function data(seed: number, n: number, scoring: boolean) {
  const rng = createRng(seed);
  const x = new Float64Array(n).map(() => (rng.chance(0.15) ? NaN : rng.normal() * 3));
  // Never missing in training: scoring NULLs must follow the larger-child default.
  const w = new Float64Array(n).map(() => (scoring && rng.chance(0.1) ? NaN : rng.next() / 3));
  const c = Array.from({ length: n }, () => (rng.chance(0.1) ? null : scoring && rng.chance(0.05) ? 'unseen' : rng.pick(CATS)));
  const y = new Uint8Array(n).map((_, i) => {
    const logit = (Number.isNaN(x[i]!) ? 0.8 : x[i]! / 2) + 4 * (w[i]! - 0.15) + (c[i] === "O'Brien" || c[i] === '' ? 1 : c[i] === null ? 0.5 : -0.7);
    return rng.chance(1 / (1 + Math.exp(-logit))) ? 1 : 0;
  });
  return { x, w, c, y };
}

describe('treeToSql', () => {
  it('reproduces predictProba on every row in DuckDB', async () => {
    const train = data(1, 4000, false);
    const xCol = numericFeature('x', train.x, { maxBins: 40 });
    const wCol = numericFeature('we"ird col', train.w);
    const cCol = categoricalFeature("chan'nel", train.c);
    const tree = fitCart([xCol, wCol, cCol], train.y, { criterion: 'gini', maxDepth: 6, minLeaf: 15 });
    const kinds = new Set(tree.nodes.filter((n) => n.split).map((n) => n.split!.feature));
    expect(kinds).toEqual(new Set(['x', 'we"ird col', "chan'nel"]));

    const score = data(2, 3000, true);
    const features: FeatureInput[] = [
      { name: 'x', kind: 'raw', values: score.x },
      { name: 'we"ird col', kind: 'raw', values: score.w },
      categoricalFeature("chan'nel", score.c, cCol.categories),
    ];
    const expected = predictProba(tree, features);
    // Codes binned with the training edges give the same scores as raw values.
    const coded: FeatureInput[] = [
      { ...xCol, codes: binWithEdges(score.x, xCol.upperEdges) },
      { ...wCol, codes: binWithEdges(score.w, wCol.upperEdges) },
      features[2]!,
    ];
    expect(Array.from(predictProba(tree, coded))).toEqual(Array.from(expected));

    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    try {
      await con.run(`CREATE TABLE "scor""ing" (id INTEGER, "x" DOUBLE, "we""ird col" DOUBLE, "chan'nel" VARCHAR)`);
      const app = await con.createAppender('scor"ing');
      for (let i = 0; i < score.y.length; i++) {
        app.appendInteger(i);
        for (const v of [score.x[i]!, score.w[i]!]) {
          if (Number.isNaN(v)) app.appendNull();
          else app.appendDouble(v);
        }
        const c = score.c[i];
        if (c === null || c === undefined) app.appendNull();
        else app.appendVarchar(c);
        app.endRow();
      }
      app.closeSync();
      const sql = treeToSql(tree, { table: 'scor"ing', keyColumn: 'id', scoreColumn: 'p "score"', where: 'id >= 0' });
      expect(sql.startsWith('SELECT')).toBe(true);
      expect(sql).toContain('IS NULL OR');
      expect(sql).toContain('IS NOT NULL AND');
      expect(sql).toContain("'O''Brien'");
      const rows = (await con.runAndReadAll(sql)).getRowObjects();
      expect(rows).toHaveLength(score.y.length);
      let worst = 0;
      for (const row of rows) worst = Math.max(worst, Math.abs((row['p "score"'] as number) - expected[row.id as number]!));
      expect(worst).toBeLessThanOrEqual(1e-9);
      expect(worst).toBe(0);

      const filtered = await con.runAndReadAll(treeToSql(tree, { table: 'scor"ing', keyColumn: 'id', scoreColumn: 's', where: 'id < 10' }));
      expect(filtered.getRowObjects()).toHaveLength(10);
    } finally {
      con.closeSync();
      inst.closeSync();
    }

    const reloaded = treeFromJson(JSON.parse(JSON.stringify(treeToJson(tree))));
    expect(Array.from(predictProba(reloaded, features))).toEqual(Array.from(expected));
  });

  it('writes DOUBLE literals that round-trip and a constant for a single-leaf tree', () => {
    expect(sqlDouble(0.1)).toBe('0.1e0');
    expect(sqlDouble(1e-7)).toBe('1e-7');
    expect(sqlDouble(0.30000000000000004)).toBe('0.30000000000000004e0');
    const y = new Uint8Array([0, 1, 1, 1]);
    const tree = fitCart([{ name: 'x', kind: 'raw', values: new Float64Array(4) }], y, { maxDepth: 3, minLeaf: 1 });
    expect(treeToSql(tree, { table: ['main', 'cust'], keyColumn: 'id', scoreColumn: 'p' })).toBe(
      'SELECT\n  "id",\n  0.75e0 AS "p"\nFROM "main"."cust"',
    );
  });
});
