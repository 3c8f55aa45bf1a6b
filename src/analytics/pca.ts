/**
 * First two principal components, for the segment scatter plot in the report.
 *
 * Feature counts are small (d ≤ ~20), so the d×d sample covariance is built in one pass and diagonalised
 * with cyclic Jacobi rotations: exact to rounding, no random start, no convergence tuning. Each component's
 * sign is fixed (largest-magnitude loading positive) so plots do not flip between runs. Coordinates are
 * returned only for the requested rows (or a seeded sample), since a scatter of a million points helps no one.
 */
import { sampleRows } from './silhouette.js';

export interface Pca2Options {
  /** Rows to project; default a seeded sample of `sampleSize` rows. */
  rows?: Int32Array;
  /** Default 5,000. */
  sampleSize?: number;
  /** Default 0. */
  seed?: number;
}

export interface Pca2Result {
  mean: Float64Array;
  /** 2×d row-major unit vectors; the second is zero when d = 1. */
  components: Float64Array;
  /** Sample variance (n − 1) along each component. */
  explainedVariance: [number, number];
  explainedVarianceRatio: [number, number];
  rows: Int32Array;
  /** rows.length × 2: (x − mean) · component. */
  coords: Float64Array;
}

/** Eigen-decomposition of a symmetric d×d matrix (overwritten); returns eigenvalues and column eigenvectors. */
export function jacobiEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const vec = new Float64Array(d * d);
  for (let i = 0; i < d; i++) vec[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, norm = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        norm += a[i * d + j]! ** 2;
        if (i !== j) off += a[i * d + j]! ** 2;
      }
    }
    if (off <= 1e-30 * norm || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!, akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!, aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = vec[k * d + p]!, vkq = vec[k * d + q]!;
          vec[k * d + p] = c * vkp - s * vkq;
          vec[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i]!;
  return { values, vectors: vec };
}

export function pca2(data: Float64Array, n: number, d: number, opts: Pca2Options = {}): Pca2Result {
  if (n < 2 || d < 1) throw new Error('pca2: needs at least 2 rows and 1 column');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += data[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t]! /= n;
  const cov = new Float64Array(d * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) z[t] = data[i * d + t]! - mean[t]!;
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b]! += z[a]! * z[b]!;
  }
  let total = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b]! /= n - 1;
    total += cov[a * d + a]!;
  }
  const { values, vectors } = jacobiEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => values[y]! - values[x]! || x - y);
  const components = new Float64Array(2 * d);
  const variance: [number, number] = [0, 0];
  for (let c = 0; c < Math.min(2, d); c++) {
    const col = order[c]!;
    let big = 0;
    for (let t = 0; t < d; t++) if (Math.abs(vectors[t * d + col]!) > Math.abs(big)) big = vectors[t * d + col]!;
    for (let t = 0; t < d; t++) components[c * d + t] = Math.sign(big) * vectors[t * d + col]!;
    variance[c] = Math.max(0, values[col]!);
  }
  const rows = opts.rows ?? sampleRows(n, opts.sampleSize ?? 5000, opts.seed ?? 0);
  const coords = new Float64Array(rows.length * 2);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    if (!(i >= 0 && i < n)) throw new Error(`pca2: row ${i} out of range`);
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t]! - mean[t]!) * components[c * d + t]!;
      coords[r * 2 + c] = s;
    }
  }
  const ratio = (v: number): number => (total > 0 ? v / total : 0);
  return {
    mean,
    components,
    explainedVariance: variance,
    explainedVarianceRatio: [ratio(variance[0]), ratio(variance[1])],
    rows,
    coords,
  };
}
