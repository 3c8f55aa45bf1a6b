/**
 * The k-means fit of the segments stage on the transformed matrix: a fixed k, or k: auto — every k in k_range,
 * the best silhouette on a deterministic sample of at most SILHOUETTE_SAMPLE rows winning (ties → smaller k;
 * analytics/kmeans-choose-k.ts). A fixed k draws the same seed as auto draws for that k, and both score the same
 * silhouette sample, so `k: 5` reproduces auto's k = 5 fit exactly. Clusters that come out empty are dropped and
 * the labels renumbered, so every cluster has members.
 */
import { chooseK } from '../../analytics/kmeans-choose-k.js';
import { kmeans } from '../../analytics/kmeans.js';
import { deriveSeed } from '../../analytics/random.js';
import { silhouetteSample } from '../../analytics/silhouette.js';

export const SILHOUETTE_SAMPLE = 10_000;
/** The seed chooseK derives for its silhouette sample (kmeans-choose-k.ts), reused for a fixed k. */
const SILHOUETTE_SEED_KEY = 0x5117;

export interface FitOptions {
  k: number | 'auto';
  kRange: readonly [number, number];
  nInit: number;
  seed: number;
  threads: number;
}

export interface SegmentFit {
  k: number;
  labels: Int32Array;
  /** k×d row-major, in the transformed space. */
  centroids: Float64Array;
  inertia: number;
  nIter: number;
  /** Mean silhouette of the chosen fit on the sample (NaN when undefined). */
  silhouette: number;
  /** The k-choice curves (one entry for a fixed k). */
  curve: { k: number; inertia: number; silhouette: number }[];
  auto: boolean;
  seconds: number;
}

/**
 * Distinct rows of the matrix, counted only up to `limit` (k-means cannot fill more clusters than there are
 * distinct points). Usually stops after a handful of rows; scans everything only on degenerate data.
 */
export function distinctRowsUpTo(x: Float64Array, n: number, d: number, limit: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < n && seen.size < limit; i++) seen.add(x.subarray(i * d, i * d + d).join(','));
  return seen.size;
}

/** Drops empty clusters (renumbering labels in order) so k counts clusters with members. */
function compact(labels: Int32Array, centroids: Float64Array, k: number, d: number): { k: number; centroids: Float64Array } {
  const size = new Int32Array(k);
  for (const l of labels) size[l]!++;
  if (size.every((s) => s > 0)) return { k, centroids };
  const map = new Int32Array(k).fill(-1);
  let next = 0;
  for (let c = 0; c < k; c++) if (size[c]! > 0) map[c] = next++;
  const kept = new Float64Array(next * d);
  for (let c = 0; c < k; c++) if (map[c]! >= 0) kept.set(centroids.subarray(c * d, c * d + d), map[c]! * d);
  for (let i = 0; i < labels.length; i++) labels[i] = map[labels[i]!]!;
  return { k: next, centroids: kept };
}

/** `maxK`: at most this many clusters (the distinct rows); the caller has checked it is at least the smallest k. */
export function fitSegments(x: Float64Array, n: number, d: number, o: FitOptions, maxK: number): SegmentFit {
  const started = performance.now();
  let chosen: { k: number; labels: Int32Array; centroids: Float64Array; inertia: number; nIter: number; silhouette: number };
  let curve: SegmentFit['curve'];
  if (o.k === 'auto') {
    const r = chooseK(x, n, d, {
      kMin: o.kRange[0], kMax: Math.min(o.kRange[1], maxK), nInit: o.nInit, seed: o.seed, sampleSize: SILHOUETTE_SAMPLE, threads: o.threads,
    });
    const i = r.ks.indexOf(r.k);
    const fit = r.fits[i]!;
    chosen = { k: r.k, labels: fit.labels, centroids: fit.centroids, inertia: fit.inertia, nIter: fit.nIter, silhouette: r.silhouette[i]! };
    curve = r.ks.map((k, j) => ({ k, inertia: r.inertia[j]!, silhouette: r.silhouette[j]! }));
  } else {
    const fit = kmeans(x, n, d, { k: o.k, nInit: o.nInit, seed: deriveSeed(o.seed, o.k), threads: o.threads });
    const [silhouette] = silhouetteSample(x, n, d, [fit.labels], { sampleSize: SILHOUETTE_SAMPLE, seed: deriveSeed(o.seed, SILHOUETTE_SEED_KEY) });
    chosen = { k: o.k, labels: fit.labels, centroids: fit.centroids, inertia: fit.inertia, nIter: fit.nIter, silhouette: silhouette! };
    curve = [{ k: o.k, inertia: fit.inertia, silhouette: silhouette! }];
  }
  const { k, centroids } = compact(chosen.labels, chosen.centroids, chosen.k, d);
  return { ...chosen, k, centroids, curve, auto: o.k === 'auto', seconds: (performance.now() - started) / 1000 };
}
