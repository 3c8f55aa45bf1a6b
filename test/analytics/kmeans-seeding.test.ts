import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/analytics/kmeans-engine.js';
import { localTrials } from '../../src/analytics/kmeans-kernels.js';
import { seedPlusPlus } from '../../src/analytics/kmeans-seeding.js';
import { createRng } from '../../src/analytics/random.js';

/** k tight blobs 20 apart on the first axis, of unequal sizes. */
function separated(k: number, d: number) {
  const rng = createRng(4);
  const sizes = Array.from({ length: k }, (_, j) => 100 + 50 * j);
  const n = sizes.reduce((a, b) => a + b, 0);
  const x = new Float64Array(n * d);
  const truth = new Int32Array(n);
  let i = 0;
  sizes.forEach((size, j) => {
    for (let r = 0; r < size; r++, i++) {
      truth[i] = j;
      for (let t = 0; t < d; t++) x[i * d + t] = (t === 0 ? 20 * j : 0) + rng.normal();
    }
  });
  return { x, n, truth };
}

describe('greedy k-means++ seeding', () => {
  it('uses 2 + floor(ln k) local trials, as scikit-learn does', () => {
    expect([1, 2, 3, 6, 8, 10, 20].map(localTrials)).toEqual([2, 2, 3, 3, 4, 4, 4]);
  });

  it('puts the k seeds in k distinct well-separated blobs, seed after seed', () => {
    const k = 5, d = 3;
    const { x, n, truth } = separated(k, d);
    const engine = createEngine(x, n, d, k, 1);
    let distinct = 0;
    for (let s = 0; s < 200; s++) {
      seedPlusPlus(engine, createRng(s));
      const blobsHit = new Set<number>();
      for (let j = 0; j < k; j++) {
        const c = engine.ctx.centres.subarray(j * d, j * d + d);
        // Every seed is one of the data rows, and that row tells its blob.
        let row = -1;
        for (let i = 0; i < n && row < 0; i++) if (c.every((v, t) => v === x[i * d + t])) row = i;
        expect(row).toBeGreaterThanOrEqual(0);
        blobsHit.add(truth[row]!);
      }
      if (blobsHit.size === k) distinct++;
    }
    expect(distinct).toBeGreaterThanOrEqual(198);
  });

  it('draws the first seed uniformly and later ones by squared distance', () => {
    // Two groups: 90% of rows at 0, 10% at 10. First seed lands in the big group ~90% of the time;
    // the second almost surely in the other group (all its D² mass is there).
    const n = 1000, d = 1;
    const x = Float64Array.from({ length: n }, (_, i) => (i < 900 ? 0 : 10) + (i % 7) * 1e-3);
    const engine = createEngine(x, n, d, 2, 1);
    let firstBig = 0, split = 0;
    for (let s = 0; s < 400; s++) {
      seedPlusPlus(engine, createRng(1000 + s));
      const [a, b] = [engine.ctx.centres[0]!, engine.ctx.centres[1]!];
      if (a < 5) firstBig++;
      if (a < 5 !== b < 5) split++;
    }
    expect(firstBig / 400).toBeGreaterThan(0.85);
    expect(firstBig / 400).toBeLessThan(0.95);
    expect(split).toBe(400);
  });
});
