/**
 * The k-means fit of the segments stage on the transformed matrix: a fixed k, or k: auto — every k in k_range,
 * the best silhouette on a deterministic sample of at most SILHOUETTE_SAMPLE rows winning (ties → smaller k;
 * analytics/kmeans-choose-k.ts). Above K_CHOICE_SAMPLE buyers the k are compared on a deterministic sample of that
 * many rows, and only the chosen k is fitted on every row: at 1M customers (866,959 buyers, k 2–10) fitting every k
 * on every row took 10.0 s of the stage's 13.7. The final fit is the fixed-k fit: it draws the same seed as a fixed
 * k and scores the same silhouette sample, so `k: 5` reproduces auto's k = 5 fit exactly. Clusters that come out
 * empty are dropped and the labels renumbered, so every cluster has members.
 */
import { chooseK } from '../../analytics/kmeans-choose-k.js';
import { kmeans } from '../../analytics/kmeans.js';
import { deriveSeed } from '../../analytics/random.js';
import { sampleRows, silhouetteSample } from '../../analytics/silhouette.js';

export const SILHOUETTE_SAMPLE = 10_000;
/** k: auto compares the k on at most this many rows (a deterministic sample), then fits the chosen k on all. */
export const K_CHOICE_SAMPLE = 100_000;
const K_CHOICE_SEED_KEY = 0x6b5;
/** The seed chooseK derives for its silhouette sample (kmeans-choose-k.ts), reused for a fixed k. */
const SILHOUETTE_SEED_KEY = 0x5117;

export interface FitOptions {
  k: number | 'auto';
  kRange: readonly [number, number];
  nInit: number;
  seed: number;
  threads: number;
  /** Rows k: auto compares the k on; default K_CHOICE_SAMPLE (tests lower it). */
  kChoiceSample?: number;
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
  /** The k-choice curves (one entry for a fixed k), measured on `curveRows` rows. */
  curve: { k: number; inertia: number; silhouette: number }[];
  /** Rows the curves were measured on: n, or K_CHOICE_SAMPLE when k: auto compared the k on a sample. */
  curveRows: number;
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

/** The rows of `sample` (ascending row indices), copied into a matrix of their own. */
function takeRows(x: Float64Array, d: number, sample: Int32Array): Float64Array {
  const out = new Float64Array(sample.length * d);
  for (let s = 0; s < sample.length; s++) out.set(x.subarray(sample[s]! * d, sample[s]! * d + d), s * d);
  return out;
}

/** The fixed-k fit, and auto's final one: seed deriveSeed(seed, k), silhouette on the shared sample. */
function fitK(x: Float64Array, n: number, d: number, k: number, o: FitOptions) {
  const fit = kmeans(x, n, d, { k, nInit: o.nInit, seed: deriveSeed(o.seed, k), threads: o.threads });
  const [silhouette] = silhouetteSample(x, n, d, [fit.labels], { sampleSize: SILHOUETTE_SAMPLE, seed: deriveSeed(o.seed, SILHOUETTE_SEED_KEY), threads: o.threads });
  return { k, labels: fit.labels, centroids: fit.centroids, inertia: fit.inertia, nIter: fit.nIter, silhouette: silhouette! };
}

/** `maxK`: at most this many clusters (the distinct rows); the caller has checked it is at least the smallest k. */
export function fitSegments(x: Float64Array, n: number, d: number, o: FitOptions, maxK: number): SegmentFit {
  const started = performance.now();
  let chosen: ReturnType<typeof fitK>;
  let curve: SegmentFit['curve'];
  let curveRows = n;
  if (o.k === 'auto') {
    const size = o.kChoiceSample ?? K_CHOICE_SAMPLE;
    const sample = n > size ? sampleRows(n, size, deriveSeed(o.seed, K_CHOICE_SEED_KEY)) : undefined;
    const xs = sample ? takeRows(x, d, sample) : x;
    curveRows = sample ? sample.length : n;
    const r = chooseK(xs, curveRows, d, {
      kMin: o.kRange[0], kMax: Math.min(o.kRange[1], maxK), nInit: o.nInit, seed: o.seed, sampleSize: SILHOUETTE_SAMPLE, threads: o.threads,
    });
    const i = r.ks.indexOf(r.k);
    const fit = r.fits[i]!;
    chosen = sample ? fitK(x, n, d, r.k, o) : { k: r.k, labels: fit.labels, centroids: fit.centroids, inertia: fit.inertia, nIter: fit.nIter, silhouette: r.silhouette[i]! };
    curve = r.ks.map((k, j) => ({ k, inertia: r.inertia[j]!, silhouette: r.silhouette[j]! }));
  } else {
    chosen = fitK(x, n, d, o.k, o);
    curve = [{ k: o.k, inertia: chosen.inertia, silhouette: chosen.silhouette }];
  }
  const { k, centroids } = compact(chosen.labels, chosen.centroids, chosen.k, d);
  return { ...chosen, k, centroids, curve, curveRows, auto: o.k === 'auto', seconds: (performance.now() - started) / 1000 };
}
