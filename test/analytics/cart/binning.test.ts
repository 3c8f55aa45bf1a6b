// Binning oracles: quantile edges equal a sort-based computation of DuckDB's quantile_disc rule and DuckDB
// itself; every code satisfies the bin definition (upperEdges[b-2] < v <= upperEdges[b-1], NaN → 0);
// exact bins are the sorted distinct values; categorical coding keeps unseen values distinct from NULL.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  binWithEdges,
  categoricalFeature,
  exactBins,
  quantileBins,
  quantileEdges,
} from '../../../src/analytics/cart/index.js';
import { createRng } from '../../../src/analytics/random.js';

function sortedEdges(values: Float64Array, maxBins: number): number[] {
  const sorted = Array.from(values).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  const edges: number[] = [];
  for (let k = 1; k < maxBins; k++) {
    const idx = Math.max(1, n - Math.floor(n - n * (k / maxBins))) - 1;
    const v = sorted[idx]!;
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  if (edges[edges.length - 1] !== Infinity) edges.push(Infinity);
  return edges;
}

/** Number of rows whose code breaks the bin definition (asserting per row would be slow). */
function badCodes(values: Float64Array, edges: Float64Array, codes: ArrayLike<number>): number {
  let bad = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const c = codes[i]!;
    if (Number.isNaN(v)) {
      if (c !== 0) bad++;
    } else if (c < 1 || (c < edges.length && !(v <= edges[c - 1]!)) || (c >= 2 && !(v > edges[c - 2]!))) {
      bad++;
    }
  }
  return bad;
}

function sample(seed: number, n: number, shape: 'uniform' | 'ties' | 'skewed'): Float64Array {
  const rng = createRng(seed);
  return new Float64Array(n).map(() => {
    if (rng.chance(0.05)) return NaN;
    if (shape === 'uniform') return rng.next() * 100 - 50;
    if (shape === 'ties') return rng.int(30);
    return rng.chance(0.001) ? 1e9 * rng.next() : Math.exp(2 * rng.normal());
  });
}

describe('quantileBins', () => {
  for (const shape of ['uniform', 'ties', 'skewed'] as const) {
    for (const [n, maxBins] of [[1, 255], [7, 4], [1000, 255], [50_000, 255], [20_000, 1000]] as const) {
      it(`${shape}, n=${n}, maxBins=${maxBins}: edges and codes`, () => {
        const values = sample(n + maxBins, n, shape);
        const { upperEdges, codes } = quantileBins(values, maxBins);
        expect(Array.from(upperEdges)).toEqual(sortedEdges(values, maxBins));
        expect(upperEdges.length).toBeLessThanOrEqual(maxBins);
        expect(codes instanceof Uint8Array).toBe(upperEdges.length <= 255);
        expect(badCodes(values, upperEdges, codes)).toBe(0);
      });
    }
  }

  it('handles all-missing and constant columns', () => {
    expect(Array.from(quantileEdges(new Float64Array([NaN, NaN])))).toEqual([Infinity]);
    const constant = quantileBins(new Float64Array([3, 3, NaN, 3]));
    expect(Array.from(constant.upperEdges)).toEqual([3, Infinity]);
    expect(Array.from(constant.codes)).toEqual([1, 1, 0, 1]);
  });

  it('matches DuckDB quantile_disc, the edges the pipeline computes', async () => {
    const values = sample(5, 30_000, 'skewed');
    const maxBins = 255;
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    try {
      await con.run('CREATE TABLE t (x DOUBLE)');
      const app = await con.createAppender('t');
      for (const v of values) {
        if (Number.isNaN(v)) app.appendNull();
        else app.appendDouble(v);
        app.endRow();
      }
      app.closeSync();
      const qs = Array.from({ length: maxBins - 1 }, (_, k) => `${k + 1}::DOUBLE / ${maxBins}`).join(', ');
      const r = await con.runAndReadAll(`SELECT list_sort(list_distinct(quantile_disc(x, [${qs}]))) AS e FROM t`);
      const duck = (r.getRowObjects()[0]!.e as { items: number[] }).items;
      expect(Array.from(quantileEdges(values, maxBins))).toEqual([...duck, Infinity]);
    } finally {
      con.closeSync();
      inst.closeSync();
    }
  });
});

describe('exactBins and binWithEdges', () => {
  it('gives every distinct value its own bin', () => {
    const values = new Float64Array([5, -1, NaN, 5, 2.5, -1, 7]);
    const { upperEdges, codes } = exactBins(values);
    expect(Array.from(upperEdges)).toEqual([-1, 2.5, 5, 7]);
    expect(Array.from(codes)).toEqual([3, 1, 0, 3, 2, 1, 4]);
  });

  it('codes new values with training edges, clamping above the last edge', () => {
    const edges = new Float64Array([0, 1, 2]);
    const codes = binWithEdges(new Float64Array([-5, 0, 0.5, 1, 2, 3, NaN]), edges);
    expect(Array.from(codes)).toEqual([1, 1, 2, 2, 3, 3, 0]);
  });

  it('codes many random values exactly like a binary search', () => {
    const rng = createRng(9);
    const edges = Float64Array.from(
      [...new Set(Array.from({ length: 400 }, () => Math.round(rng.normal() * 1000) / 100))].sort((a, b) => a - b),
    );
    const values = new Float64Array(20_000).map(() => rng.normal() * 12);
    const codes = binWithEdges(values, edges);
    expect(codes instanceof Uint16Array).toBe(true);
    const expected = Array.from(values, (v) => {
      let lo = 0;
      let hi = edges.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (edges[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      return Math.min(edges.length, lo + 1);
    });
    expect(Array.from(codes)).toEqual(expected);
  });
});

describe('categoricalFeature', () => {
  it('codes strings, NULL as 0, unseen test values appended after the training list', () => {
    const train = categoricalFeature('channel', ['web', 'phone', null, 'web', 'shop']);
    expect(train.categories).toEqual(['phone', 'shop', 'web']);
    expect(Array.from(train.codes)).toEqual([3, 1, 0, 3, 2]);
    const test = categoricalFeature('channel', ['fax', 'web', undefined], train.categories);
    expect(test.categories).toEqual(['phone', 'shop', 'web', 'fax']);
    expect(Array.from(test.codes)).toEqual([4, 3, 0]);
  });
});
