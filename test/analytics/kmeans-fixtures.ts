/**
 * Shared test fixtures for the k-means tests: seeded gaussian blobs with planted labels, and a naive
 * Lloyd written straight from scikit-learn's definition (full distance scan every iteration, sums from
 * scratch) that the Hamerly engine must reproduce when started from the same centroids.
 */
import { createRng } from '../../src/analytics/random.js';

export interface Blobs {
  x: Float64Array;
  truth: Int32Array;
  n: number;
  d: number;
}

/** n rows around `k` random centres spread `sep` apart per axis (N(0, sep²)), unit spread. */
export function blobs(n: number, d: number, k: number, sep: number, seed: number): Blobs {
  const rng = createRng(seed);
  const centres = Array.from({ length: k * d }, () => sep * rng.normal());
  const x = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = i % k;
    truth[i] = b;
    for (let t = 0; t < d; t++) x[i * d + t] = centres[b * d + t]! + rng.normal();
  }
  return { x, truth, n, d };
}

export function sqDist(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += (x[i * d + t]! - c[j * d + t]!) ** 2;
  return s;
}

function nearest(x: Float64Array, n: number, d: number, c: Float64Array, k: number): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      const s = sqDist(x, i, c, j, d);
      if (s < best) {
        best = s;
        labels[i] = j;
      }
    }
  }
  return labels;
}

export function inertiaOf(x: Float64Array, n: number, d: number, c: Float64Array, labels: Int32Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += sqDist(x, i, c, labels[i]!, d);
  return s;
}

/** scikit-learn's Lloyd loop; an empty cluster takes the row farthest from its centre (of a cluster of ≥ 2). */
export function naiveLloyd(x: Float64Array, n: number, d: number, init: Float64Array, k: number, maxIter: number, tolAbs: number) {
  let c = init.slice();
  let labels: Int32Array = new Int32Array(n).fill(-1);
  let nIter = 0;
  let strict = false;
  for (let it = 0; it < maxIter; it++) {
    const next = nearest(x, n, d, c, k);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) counts[next[i]!]! += 1;
    for (let j = 0; j < k; j++) {
      if (counts[j] !== 0) continue;
      let far = -1, farD = -1;
      for (let i = 0; i < n; i++) {
        const s = sqDist(x, i, c, next[i]!, d);
        if (counts[next[i]!]! > 1 && s > farD) {
          far = i;
          farD = s;
        }
      }
      counts[next[far]!]! -= 1;
      counts[j] = 1;
      next[far] = j;
    }
    const sums = new Float64Array(k * d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) sums[next[i]! * d + t]! += x[i * d + t]!;
    const nc = c.slice();
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) nc[j * d + t] = sums[j * d + t]! / counts[j]!;
    nIter = it + 1;
    if (it > 0 && next.every((v, i) => v === labels[i])) {
      strict = true;
      break;
    }
    let shift = 0;
    for (let q = 0; q < k * d; q++) shift += (nc[q]! - c[q]!) ** 2;
    labels = next;
    c = nc;
    if (shift <= tolAbs) break;
  }
  if (!strict) labels = nearest(x, n, d, c, k);
  return { centroids: c, labels, nIter, inertia: inertiaOf(x, n, d, c, labels) };
}

/** scikit-learn's tolerance scale: mean of the per-feature population variances. */
export function meanVariance(x: Float64Array, n: number, d: number): number {
  let v = 0;
  for (let t = 0; t < d; t++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + t]!;
    m /= n;
    for (let i = 0; i < n; i++) v += (x[i * d + t]! - m) ** 2;
  }
  return v / (n * d);
}
