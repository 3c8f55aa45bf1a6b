import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { getPool } from '../../src/analytics/kmeans-pool.js';
import { createRng } from '../../src/analytics/random.js';
import { sampleRows, silhouetteSample, silhouetteSplit } from '../../src/analytics/silhouette.js';

/** The textbook definition, one row at a time, over the given rows only. */
function bruteSilhouette(x: Float64Array, d: number, labels: Int32Array, rows: ArrayLike<number>): number {
  const dist = (i: number, j: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[i * d + t]! - x[j * d + t]!) ** 2;
    return Math.sqrt(s);
  };
  const ids = Array.from(rows);
  const clusters = [...new Set(ids.map((i) => labels[i]!))];
  if (clusters.length < 2 || clusters.length >= ids.length) return NaN;
  let total = 0;
  for (const i of ids) {
    const mean = (c: number, self: boolean) => {
      const members = ids.filter((j) => labels[j] === c && !(self && j === i));
      return members.reduce((s, j) => s + dist(i, j), 0) / members.length;
    };
    const own = labels[i]!;
    if (ids.filter((j) => labels[j] === own).length === 1) continue; // singleton scores 0
    const a = mean(own, true);
    const b = Math.min(...clusters.filter((c) => c !== own).map((c) => mean(c, false)));
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / ids.length;
}

describe('silhouetteSample', () => {
  it('matches a hand-computed case with a singleton cluster (which scores 0)', () => {
    const x = Float64Array.from([0, 1, 10, 11, 30]);
    const [s] = silhouetteSample(x, 5, 1, [Int32Array.from([0, 0, 1, 1, 2])], { seed: 1 });
    // a = 1 for rows 0-3; b = 10.5, 9.5, 9.5, 10.5 (nearest other cluster's mean distance); row 4 is
    // alone → 0. scikit-learn's silhouette_score gives 0.7197994987468672 on the same input.
    const r0 = (10.5 - 1) / 10.5, r1 = (9.5 - 1) / 9.5, r2 = (9.5 - 1) / 9.5, r3 = (10.5 - 1) / 10.5;
    expect(s).toBeCloseTo((r0 + r1 + r2 + r3 + 0) / 5, 12);
    expect(s).toBeCloseTo(0.7197994987468672, 12);
  });

  it('scores several labelings over one sample exactly like the brute-force definition', () => {
    const rng = createRng(3);
    const n = 400, d = 3;
    const x = Float64Array.from({ length: n * d }, () => rng.normal() * 2);
    const labelings = [2, 3, 5, 9].map((k) => Int32Array.from({ length: n }, () => rng.int(k) * 7 - 3));
    labelings.push(Int32Array.from({ length: n }, (_, i) => (x[i * d]! > 0 ? 1 : 0)));
    const all = silhouetteSample(x, n, d, labelings, { seed: 5 });
    const sampled = silhouetteSample(x, n, d, labelings, { seed: 5, sampleSize: 150 });
    const rows = sampleRows(n, 150, 5);
    labelings.forEach((lab, i) => {
      expect(all[i]).toBeCloseTo(bruteSilhouette(x, d, lab, Array.from({ length: n }, (_, r) => r)), 12);
      expect(sampled[i]).toBeCloseTo(bruteSilhouette(x, d, lab, rows), 12);
    });
  });

  it('agrees with the definition for wide rows too (looped distance kernel, d > 32)', () => {
    const rng = createRng(8);
    const n = 60, d = 40;
    const x = Float64Array.from({ length: n * d }, () => rng.normal());
    const lab = Int32Array.from({ length: n }, (_, i) => i % 3);
    const [s] = silhouetteSample(x, n, d, [lab], { seed: 1 });
    expect(s).toBeCloseTo(bruteSilhouette(x, d, lab, Array.from({ length: n }, (_, r) => r)), 12);
  });

  it('handles duplicate points (0/0 → 0) and undefined labelings (NaN)', () => {
    const x = Float64Array.from([1, 1, 1, 1]);
    const [dup, one] = silhouetteSample(x, 4, 1, [Int32Array.from([0, 0, 1, 1]), Int32Array.from([3, 3, 3, 3])], {
      seed: 1,
    });
    expect(dup).toBe(0);
    expect(one).toBeNaN();
  });

  it('samples distinct sorted rows, deterministically by seed', () => {
    const a = sampleRows(100_000, 1000, 7);
    expect(a.length).toBe(1000);
    expect(new Set(a).size).toBe(1000);
    expect(a.every((v, i) => i === 0 || v > a[i - 1]!)).toBe(true);
    expect(Array.from(sampleRows(100_000, 1000, 7))).toEqual(Array.from(a));
    expect(Array.from(sampleRows(100_000, 1000, 8))).not.toEqual(Array.from(a));
    expect(Array.from(sampleRows(5, 10, 1))).toEqual([0, 1, 2, 3, 4]);
  });

  it('splits the pairs into two halves, the first rows holding as many pairs as the rest', () => {
    for (const m of [2, 3, 10, 101, 10_000]) {
      const at = silhouetteSplit(m);
      let before = 0;
      for (let s = 0; s < at; s++) before += m - 1 - s;
      const total = (m * (m - 1)) / 2;
      // The first chunk takes whole rows while they keep it within half, so it stops short of half by less than the
      // next row's pairs (which would have taken it past).
      expect(before).toBeLessThanOrEqual(total / 2);
      expect(total / 2 - before).toBeLessThan(m - 1 - at);
    }
    expect(silhouetteSplit(10_000)).toBe(2928); // m (1 − 1/√2) = 2928.9
  });

  it('gives the same scores to the last bit on one thread or with a worker, and the worker takes part', () => {
    const rng = createRng(11);
    const n = 3000, d = 8;
    const x = Float64Array.from({ length: n * d }, () => rng.normal());
    const labelings = [2, 3, 4, 6, 10].map((k) => Int32Array.from({ length: n }, () => rng.int(k)));
    const one = silhouetteSample(x, n, d, labelings, { seed: 2, threads: 1 });
    const pool = getPool();
    if (availableParallelism() > 1) expect(pool?.waitUntilReady(60_000)).toBe(true);
    const before = pool?.workerChunks ?? 0;
    let two = silhouetteSample(x, n, d, labelings, { seed: 2, threads: 2 });
    // A worker that the OS schedules late finds the job done (kmeans-pool.ts): try again until it took a chunk.
    for (let tries = 0; pool && pool.workerChunks === before && tries < 5; tries++) two = silhouetteSample(x, n, d, labelings, { seed: 2, threads: 2 });
    if (availableParallelism() > 1) expect(pool!.workerChunks).toBeGreaterThan(before);
    expect(two).toEqual(one);
    labelings.forEach((lab, i) => expect(one[i]).toBeCloseTo(bruteSilhouette(x, d, lab, Array.from({ length: n }, (_, r) => r)), 12));
  });
});
