/**
 * Picks k for `segments: { k: auto }`: fits k-means for every k in a range, records inertia (the elbow
 * curve, for the report) and the sampled silhouette, and takes the best silhouette (ties → smaller k, the
 * simpler segmentation). Each k's fit draws from deriveSeed(seed, k), so adding a k to the range does not
 * change the others; the silhouette sample is shared by all k so their scores are comparable.
 *
 * The fits are returned too, so the caller does not refit the chosen k.
 */
import { createSharedMatrix, kmeans, type KMeansResult } from './kmeans.js';
import { deriveSeed } from './random.js';
import { silhouetteSample } from './silhouette.js';

export interface ChooseKOptions {
  /** Default 2. */
  kMin?: number;
  /** Default 10 (capped at n). */
  kMax?: number;
  nInit?: number;
  maxIter?: number;
  tol?: number;
  seed: number;
  /** Silhouette sample size; default 10,000. */
  sampleSize?: number;
  threads?: number;
}

export interface ChooseKResult {
  k: number;
  ks: number[];
  inertia: number[];
  /** NaN where undefined (fewer than 2 clusters in the sample). */
  silhouette: number[];
  fits: KMeansResult[];
}

/** Index of the highest score; ties keep the earlier (smaller k); NaN never wins. */
export function bestIndex(scores: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isNaN(s) && (best < 0 || s > scores[best]!)) best = i;
  }
  return Math.max(best, 0);
}

export function chooseK(data: Float64Array, n: number, d: number, opts: ChooseKOptions): ChooseKResult {
  const kMin = opts.kMin ?? 2;
  const kMax = Math.min(opts.kMax ?? 10, n);
  if (!Number.isInteger(kMin) || kMin < 1 || kMax < kMin) throw new Error(`chooseK: empty k range ${kMin}..${kMax}`);
  // One shared copy up front, instead of one per fit when worker threads are used.
  let x = data;
  if (!(data.buffer instanceof SharedArrayBuffer) && n * d * kMin >= 5e6) {
    x = createSharedMatrix(n, d);
    x.set(data.subarray(0, n * d));
  }
  const ks: number[] = [];
  const fits: KMeansResult[] = [];
  for (let k = kMin; k <= kMax; k++) {
    ks.push(k);
    fits.push(
      kmeans(x, n, d, {
        k,
        nInit: opts.nInit,
        maxIter: opts.maxIter,
        tol: opts.tol,
        seed: deriveSeed(opts.seed, k),
        threads: opts.threads,
      }),
    );
  }
  const silhouette = silhouetteSample(
    x,
    n,
    d,
    fits.map((f) => f.labels),
    { sampleSize: opts.sampleSize, seed: deriveSeed(opts.seed, 0x5117), threads: opts.threads },
  );
  const best = bestIndex(silhouette);
  return { k: ks[best]!, ks, inertia: fits.map((f) => f.inertia), silhouette, fits };
}
