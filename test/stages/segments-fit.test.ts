/**
 * fitSegments' choice of k on a sample (k: auto with more rows than kChoiceSample): on planted, well-separated
 * blobs the sample finds the planted k; the final fit is exactly the fixed-k fit on every row (same labels,
 * centroids, inertia, silhouette), so `k: <that k>` reproduces auto; the curves say how many rows they were measured
 * on; and below the sample size nothing is sampled (the curves are the full fits').
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/analytics/random.js';
import { fitSegments } from '../../src/stages/segments/fit.js';

/** n rows in d dimensions around `centres` well-separated centres (spread 0.3 around centres 4 apart). */
function blobs(n: number, d: number, centres: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centres);
    for (let j = 0; j < d; j++) x[i * d + j] = (j === c % d ? 4 * (1 + Math.floor(c / d)) : 0) + 0.3 * (rng.next() * 2 - 1);
  }
  return x;
}

describe('segments fit: k chosen on a sample', () => {
  const n = 20_000;
  const d = 4;
  const x = blobs(n, d, 5, 3);
  const options = { k: 'auto' as const, kRange: [2, 8] as const, nInit: 2, seed: 11, threads: 1, kChoiceSample: 4_000 };

  it('finds the planted k and fits it on every row exactly as a fixed k does', () => {
    const auto = fitSegments(x, n, d, options, n);
    expect(auto.k).toBe(5);
    expect(auto.curveRows).toBe(4_000);
    expect(auto.curve.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(auto.labels.length).toBe(n);
    const fixed = fitSegments(x, n, d, { ...options, k: 5 }, n);
    expect(fixed.curveRows).toBe(n);
    expect(Array.from(auto.labels)).toEqual(Array.from(fixed.labels));
    expect(Array.from(auto.centroids)).toEqual(Array.from(fixed.centroids));
    expect([auto.inertia, auto.silhouette]).toEqual([fixed.inertia, fixed.silhouette]);
    // The sample's inertia at the chosen k is about its share of the full fit's.
    const sampled = auto.curve.find((p) => p.k === 5)!.inertia;
    expect(sampled / auto.inertia).toBeGreaterThan(0.15);
    expect(sampled / auto.inertia).toBeLessThan(0.25);
  });

  it('does not sample when the rows fit in the sample size', () => {
    const small = fitSegments(x.subarray(0, 3_000 * d), 3_000, d, options, 3_000);
    expect(small.curveRows).toBe(3_000);
    const chosen = small.curve.find((p) => p.k === small.k)!;
    expect([chosen.inertia, chosen.silhouette]).toEqual([small.inertia, small.silhouette]);
  });
});
