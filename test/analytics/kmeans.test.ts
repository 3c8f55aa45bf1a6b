import { describe, expect, it } from 'vitest';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { availableParallelism } from 'node:os';
import { assignToCentroids, createSharedMatrix, kmeans } from '../../src/analytics/kmeans.js';
import { getPool } from '../../src/analytics/kmeans-pool.js';
import { adjustedRandIndex } from '../../src/analytics/rand-index.js';
import { blobs, inertiaOf, meanVariance, naiveLloyd } from './kmeans-fixtures.js';

/** k rows of x (spread through the data) as starting centroids. */
function rowsAsInit(x: Float64Array, n: number, d: number, k: number): Float64Array {
  const init = new Float64Array(k * d);
  for (let j = 0; j < k; j++) init.set(x.subarray(Math.floor((j * n) / k) * d, Math.floor((j * n) / k) * d + d), j * d);
  return init;
}

describe('kmeans against a naive Lloyd from the same start', () => {
  const { x, n, d } = blobs(3000, 3, 5, 1.5, 11);
  const k = 5;
  const init = rowsAsInit(x, n, d, k);
  for (const [tol, maxIter] of [[1e-4, 300], [0, 300], [1e-2, 300], [0, 3]] as const) {
    it(`matches labels, centroids, iterations and inertia (tol ${tol}, maxIter ${maxIter})`, () => {
      const ours = kmeans(x, n, d, { k, seed: 1, init, tol, maxIter });
      const ref = naiveLloyd(x, n, d, init, k, maxIter, tol * meanVariance(x, n, d));
      expect(ours.nIter).toBe(ref.nIter);
      expect(Array.from(ours.labels)).toEqual(Array.from(ref.labels));
      for (let q = 0; q < k * d; q++) expect(ours.centroids[q]).toBeCloseTo(ref.centroids[q]!, 10);
      expect(Math.abs(ours.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-12);
    });
  }

  // Past the unrolling limits the generated kernels fall back to loops; those paths must agree too.
  for (const [rows, dim, kk, tl] of [[600, 40, 3, 1e-4], [2000, 4, 90, 0]] as const) {
    it(`matches the naive Lloyd with looped kernels (d ${dim}, k ${kk})`, () => {
      const b = blobs(rows, dim, Math.min(kk, 8), 2, 31);
      const start = rowsAsInit(b.x, rows, dim, kk);
      const ours = kmeans(b.x, rows, dim, { k: kk, seed: 1, init: start, tol: tl });
      const ref = naiveLloyd(b.x, rows, dim, start, kk, 300, tl * meanVariance(b.x, rows, dim));
      expect(ours.nIter).toBe(ref.nIter);
      expect(Array.from(ours.labels)).toEqual(Array.from(ref.labels));
      expect(Math.abs(ours.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-12);
    });
  }

  it('with k = 1 returns the mean and the total sum of squares', () => {
    const ours = kmeans(x, n, d, { k: 1, seed: 1 });
    const mean = [0, 1, 2].map((t) => x.filter((_, q) => q % d === t).reduce((a, v) => a + v, 0) / n);
    mean.forEach((m, t) => expect(ours.centroids[t]).toBeCloseTo(m, 12));
    expect(ours.inertia).toBeCloseTo(meanVariance(x, n, d) * n * d, 6);
    expect(ours.labels.every((l) => l === 0)).toBe(true);
  });

  it('re-seeds an emptied cluster at the farthest row, as the oracle does', () => {
    const far = Float64Array.from([...init.subarray(0, (k - 1) * d), 1e3, 1e3, 1e3]);
    const ours = kmeans(x, n, d, { k, seed: 1, init: far, tol: 0 });
    const ref = naiveLloyd(x, n, d, far, k, 300, 0);
    expect(Array.from(ours.labels)).toEqual(Array.from(ref.labels));
    expect(ours.nIter).toBe(ref.nIter);
    expect(new Set(ours.labels).size).toBe(k);
  });
});

describe('kmeans results', () => {
  it('returns labels and inertia exactly consistent with the returned centroids', () => {
    const { x, n, d } = blobs(4000, 4, 6, 1.2, 3);
    const r = kmeans(x, n, d, { k: 6, seed: 5 });
    const a = assignToCentroids(x, n, d, r.centroids, 6);
    expect(Array.from(r.labels)).toEqual(Array.from(a.labels));
    const fromDistances = a.distances.reduce((s, v) => s + v * v, 0);
    expect(Math.abs(r.inertia - fromDistances) / r.inertia).toBeLessThan(1e-12);
    expect(Math.abs(r.inertia - inertiaOf(x, n, d, r.centroids, r.labels)) / r.inertia).toBeLessThan(1e-12);
  });

  it('reaches an inertia no worse than ml-kmeans at its best of several seeds', () => {
    for (const seed of [1, 2, 3]) {
      const { x, n, d } = blobs(2000, 3, 6, 1.3, 100 + seed);
      const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, i * d + d)));
      let best = Infinity;
      for (let s = 1; s <= 6; s++) {
        const m = mlKmeans(rows, 6, { seed: s, initialization: 'kmeans++', maxIterations: 300, tolerance: 1e-8 });
        const labels = Int32Array.from(m.clusters);
        best = Math.min(best, inertiaOf(x, n, d, Float64Array.from(m.centroids.flat()), labels));
      }
      // Run to convergence like ml-kmeans; with the default tol the early stop costs a hair of inertia.
      const ours = kmeans(x, n, d, { k: 6, seed, nInit: 4, tol: 0 });
      expect(ours.inertia).toBeLessThanOrEqual(best * (1 + 1e-9));
      expect(kmeans(x, n, d, { k: 6, seed, nInit: 4 }).inertia).toBeLessThanOrEqual(best * (1 + 1e-3));
    }
  });

  it('recovers planted blobs (ARI ≥ 0.99)', () => {
    const { x, n, d, truth } = blobs(6000, 5, 5, 4, 8);
    const r = kmeans(x, n, d, { k: 5, seed: 42 });
    expect(adjustedRandIndex(r.labels, truth)).toBeGreaterThanOrEqual(0.99);
  });

  it('is deterministic for a seed, and restarts can only lower the inertia', () => {
    const { x, n, d } = blobs(3000, 4, 7, 1, 21);
    const a = kmeans(x, n, d, { k: 7, seed: 9 });
    const b = kmeans(x, n, d, { k: 7, seed: 9 });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.centroids)).toEqual(Array.from(a.centroids));
    expect(b.inertia).toBe(a.inertia);
    const single = kmeans(x, n, d, { k: 7, seed: 9, nInit: 1 });
    expect(a.inertia).toBeLessThanOrEqual(single.inertia);
  });

  it('gives bit-identical results on worker threads and on one thread', () => {
    const { x, n, d } = blobs(120_000, 8, 6, 1, 5); // n*k*d above the threading threshold
    const one = kmeans(x, n, d, { k: 6, seed: 3, nInit: 1, threads: 1 });
    // With a second core the worker must take part, else this test would prove nothing. A worker the OS
    // schedules late skips a pass by design, so allow a few fits for it to join one.
    const pool = getPool();
    if (availableParallelism() > 1) expect(pool?.waitUntilReady(60_000)).toBe(true);
    const before = pool?.workerChunks ?? 0;
    let two = kmeans(x, n, d, { k: 6, seed: 3, nInit: 1, threads: 2 });
    for (let tries = 0; pool && pool.workerChunks === before && tries < 5; tries++) {
      two = kmeans(x, n, d, { k: 6, seed: 3, nInit: 1, threads: 2 });
    }
    if (availableParallelism() > 1) expect(pool!.workerChunks).toBeGreaterThan(before);
    const shared = createSharedMatrix(n, d);
    shared.set(x);
    const sh = kmeans(shared, n, d, { k: 6, seed: 3, nInit: 1, threads: 2 });
    for (const r of [two, sh]) {
      expect(r.inertia).toBe(one.inertia);
      expect(r.nIter).toBe(one.nIter);
      expect(Array.from(r.centroids)).toEqual(Array.from(one.centroids));
      expect(Buffer.compare(Buffer.from(r.labels.buffer), Buffer.from(one.labels.buffer))).toBe(0);
    }
  });

  it('rejects bad input', () => {
    const x = new Float64Array([0, 1, 2, NaN]);
    expect(() => kmeans(x, 4, 1, { k: 2, seed: 1 })).toThrow(/NaN/);
    expect(() => kmeans(x, 4, 1, { k: 5, seed: 1 })).toThrow(/k must be/);
  });
});

describe('assignToCentroids', () => {
  it('matches a brute-force nearest centroid with Euclidean distances (ties → lower index)', () => {
    const x = Float64Array.from([0, 0, 1, 0, 2, 0, 3, 4, 1, 1]);
    const c = Float64Array.from([0, 0, 2, 0]);
    const r = assignToCentroids(x, 5, 2, c, 2);
    expect(Array.from(r.labels)).toEqual([0, 0, 1, 1, 0]);
    expect(Array.from(r.distances)).toEqual([0, 1, 0, Math.sqrt(1 + 16), Math.SQRT2]);
  });
});
