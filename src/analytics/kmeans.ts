/**
 * k-means for the `segments` stage: greedy k-means++ seeding, Lloyd iterations with Hamerly bounds, the
 * best of `nInit` restarts, and worker threads on large inputs. Semantics follow scikit-learn's
 * KMeans(algorithm="lloyd") so analysts get the answers they would get there: tol is relative (tol × mean
 * per-feature variance, compared with the total squared centre shift), restart r draws from
 * deriveSeed(seed, r), and the returned labels/inertia come from a last assignment to the returned centroids.
 *
 * Data is a row-major n×d Float64Array. Passing one allocated with createSharedMatrix() saves a copy when
 * worker threads are used. Same inputs + seed → bit-identical output, whatever the thread count.
 */
import { createEngine, type Engine } from './kmeans-engine.js';
import { OP_COLUMN_SUMS, OP_SQUARED_DEVIATIONS } from './kmeans-kernels.js';
import { runLloyd } from './kmeans-lloyd.js';
import { seedPlusPlus } from './kmeans-seeding.js';
import { createRng, deriveSeed } from './random.js';

export { createSharedMatrix } from './kmeans-engine.js';

export interface KMeansOptions {
  k: number;
  /** Restarts; the lowest inertia wins (ties: the earlier restart). Default 4. Ignored with `init`. */
  nInit?: number;
  /** Default 300. */
  maxIter?: number;
  /** Relative tolerance, as in scikit-learn. Default 1e-4. */
  tol?: number;
  seed: number;
  /** Starting centroids (k*d row-major) instead of k-means++, e.g. the previous run's. */
  init?: Float64Array;
  /** Most threads to use (default: all cores); small inputs always run on the calling thread. */
  threads?: number;
}

export interface KMeansResult {
  /** k*d row-major. */
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/**
 * Mean of the per-feature (population) variances, two-pass like numpy's var, run as chunk passes so the
 * worker threads share it; also rejects non-finite input.
 */
function meanVariance(engine: Engine, n: number, d: number): number {
  const { ctx } = engine;
  engine.run(OP_COLUMN_SUMS);
  for (let t = 0; t < d; t++) ctx.centres[t] = engine.sumOut(t) / n;
  engine.run(OP_SQUARED_DEVIATIONS);
  let ss = 0;
  for (let t = 0; t < d; t++) ss += engine.sumOut(t);
  if (!Number.isFinite(ss)) throw new Error('kmeans: data contains NaN or infinite values');
  return ss / (n * d);
}

export function kmeans(data: Float64Array, n: number, d: number, opts: KMeansOptions): KMeansResult {
  const { k, seed, init } = opts;
  const nInit = init ? 1 : (opts.nInit ?? 4);
  const maxIter = opts.maxIter ?? 300;
  const tol = opts.tol ?? 1e-4;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`kmeans: k must be an integer in 1..n (k=${k}, n=${n})`);
  if (!Number.isInteger(d) || d < 1 || data.length < n * d) throw new Error('kmeans: data must hold n*d values');
  if (init && init.length !== k * d) throw new Error('kmeans: init must hold k*d values');
  if (!(nInit >= 1) || !(maxIter >= 1)) throw new Error('kmeans: nInit and maxIter must be at least 1');
  const engine = createEngine(data, n, d, k, opts.threads);
  let best: KMeansResult | null = null;
  try {
    const tolAbs = tol * meanVariance(engine, n, d);
    for (let r = 0; r < nInit; r++) {
      if (init) engine.ctx.centres.set(init);
      else seedPlusPlus(engine, createRng(deriveSeed(seed, r)));
      const { nIter, inertia } = runLloyd(engine, maxIter, tolAbs);
      if (best === null || inertia < best.inertia) {
        best = { centroids: engine.ctx.centres.slice(), labels: engine.ctx.labels.slice(), inertia, nIter };
      }
    }
  } finally {
    engine.release();
  }
  return best!;
}

/** Nearest centroid of every row (ties → lower index) and the Euclidean distance to it. */
export function assignToCentroids(
  data: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  k: number,
): { labels: Int32Array; distances: Float64Array } {
  if (k < 1 || centroids.length < k * d) throw new Error('assignToCentroids: centroids must hold k*d values');
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0, p = 0; i < n; i++, p += d) {
    let best = Infinity, bj = 0;
    for (let j = 0, q = 0; j < k; j++, q += d) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const z = data[p + t]! - centroids[q + t]!;
        s += z * z;
      }
      if (s < best) {
        best = s;
        bj = j;
      }
    }
    labels[i] = bj;
    distances[i] = Math.sqrt(best);
  }
  return { labels, distances };
}
