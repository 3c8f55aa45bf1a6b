import { describe, expect, it } from 'vitest';
import { hungarian, matchClusters } from '../../src/analytics/cluster-match.js';
import { createRng } from '../../src/analytics/random.js';

/** Cheapest injective map of rows into columns (rows ≤ cols) by trying every one. */
function bruteForce(cost: Float64Array, rows: number, cols: number): number {
  let best = Infinity;
  const used = new Array<boolean>(cols).fill(false);
  const go = (r: number, acc: number) => {
    if (acc >= best) return;
    if (r === rows) {
      best = acc;
      return;
    }
    for (let c = 0; c < cols; c++) {
      if (used[c]) continue;
      used[c] = true;
      go(r + 1, acc + cost[r * cols + c]!);
      used[c] = false;
    }
  };
  go(0, 0);
  return best;
}

describe('hungarian', () => {
  it('finds the optimal assignment on random matrices (checked by exhaustive search)', () => {
    const rng = createRng(17);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + rng.int(6);
      const cols = rows + rng.int(3);
      // Small integer costs make ties common, which is where bugs hide.
      const cost = Float64Array.from({ length: rows * cols }, () => rng.int(6));
      const assign = hungarian(cost, rows, cols);
      expect(new Set(assign).size).toBe(rows);
      const total = Array.from(assign).reduce((s, c, r) => s + cost[r * cols + c]!, 0);
      expect(total).toBe(bruteForce(cost, rows, cols));
    }
  });
});

describe('matchClusters', () => {
  it('keeps the ids of centroids that drifted and reports new and vanished ones', () => {
    const prev = Float64Array.from([0, 0, 10, 0, 0, 10]); // ids 0, 1, 2
    const next = Float64Array.from([0.5, 10.2, 20, 20, 9.6, 0.3]); // ≈2, new, ≈1
    const m = matchClusters(prev, 3, next, 3, 2);
    // Optimal total distance pairs (0.5,10.2)→2 and (9.6,0.3)→1; the far one takes the remaining id 0.
    expect(Array.from(m.prevIds)).toEqual([2, 0, 1]);
    const fewer = matchClusters(prev, 3, Float64Array.from([9.6, 0.3, 0.1, 0.2]), 2, 2);
    expect(Array.from(fewer.prevIds)).toEqual([1, 0]);
    expect(fewer.vanished).toEqual([2]);
    const more = matchClusters(prev.subarray(0, 4), 2, next, 3, 2);
    // Two previous ids for three new clusters: (9.6,0.3) continues 1, (0.5,10.2) is the cheaper match for 0.
    expect(Array.from(more.prevIds)).toEqual([0, -1, 1]);
    expect(more.vanished).toEqual([]);
  });

  it('minimises the total centroid distance, as exhaustive search confirms', () => {
    const rng = createRng(23);
    const d = 3;
    for (let trial = 0; trial < 200; trial++) {
      const pk = 1 + rng.int(6), nk = 1 + rng.int(6);
      const prev = Float64Array.from({ length: pk * d }, () => rng.normal());
      const next = Float64Array.from({ length: nk * d }, () => rng.normal());
      const m = matchClusters(prev, pk, next, nk, d);
      const rows = Math.min(pk, nk), cols = Math.max(pk, nk);
      const cost = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const [p, q] = pk <= nk ? [r, c] : [c, r];
          let s = 0;
          for (let t = 0; t < d; t++) s += (prev[p * d + t]! - next[q * d + t]!) ** 2;
          cost[r * cols + c] = Math.sqrt(s);
        }
      }
      expect(m.cost).toBeCloseTo(bruteForce(cost, rows, cols), 10);
      const matched = Array.from(m.prevIds).filter((v) => v >= 0);
      expect(matched.length).toBe(rows);
      expect(new Set(matched).size).toBe(rows);
      expect(m.vanished.length).toBe(pk - rows);
      expect([...matched, ...m.vanished].sort((a, b) => a - b)).toEqual(Array.from({ length: pk }, (_, i) => i));
    }
  });
});
