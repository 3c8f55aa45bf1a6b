/**
 * Mean silhouette coefficient on a deterministic row sample, for several labelings at once.
 *
 * Choosing k scores every candidate labeling (k = 2..10) on the same rows, so the O(m²) pair distances of
 * the sample are computed once and each is added to every labeling's per-cluster sums (each unordered pair
 * once, credited to both rows). Conventions follow scikit-learn's silhouette_score: a row alone in its
 * cluster scores 0, 0/0 (duplicate points) scores 0, and a labeling with fewer than 2 clusters (or as many
 * clusters as rows) in the sample is undefined — reported here as NaN rather than thrown.
 */
import { createRng } from './random.js';

export interface SilhouetteOptions {
  /** Rows scored; default 10,000 (all rows when n is smaller). */
  sampleSize?: number;
  seed: number;
}

/** `size` distinct row indices in ascending order, chosen by seed (Floyd's algorithm); all rows if size ≥ n. */
export function sampleRows(n: number, size: number, seed: number): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  const chosen = new Set<number>();
  for (let j = n - size; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}

/** Labels of the sampled rows renumbered 0..c-1 in order of first appearance; returns c. */
function denseLabels(labels: Int32Array, rows: Int32Array, into: Int32Array): number {
  const ids = new Map<number, number>();
  for (let s = 0; s < rows.length; s++) {
    const raw = labels[rows[s]!]!;
    let id = ids.get(raw);
    if (id === undefined) {
      id = ids.size;
      ids.set(raw, id);
    }
    into[s] = id;
  }
  return ids.size;
}

export function silhouetteSample(
  data: Float64Array,
  n: number,
  d: number,
  labelings: readonly Int32Array[],
  opts: SilhouetteOptions,
): number[] {
  for (const l of labelings) if (l.length < n) throw new Error('silhouetteSample: a labeling is shorter than n');
  const rows = sampleRows(n, opts.sampleSize ?? 10_000, opts.seed);
  const m = rows.length;
  const x = new Float64Array(m * d);
  for (let s = 0; s < m; s++) x.set(data.subarray(rows[s]! * d, rows[s]! * d + d), s * d);
  const labs = labelings.map(() => new Int32Array(m));
  const nClusters = labelings.map((l, i) => denseLabels(l, rows, labs[i]!));
  const sums = nClusters.map((c) => new Float64Array(m * c));
  const dist = new Float64Array(m);
  for (let s = 0; s < m; s++) {
    const p = s * d;
    for (let r = s + 1; r < m; r++) {
      let e = 0;
      for (let t = 0, q = r * d; t < d; t++) {
        const z = x[p + t]! - x[q + t]!;
        e += z * z;
      }
      dist[r] = Math.sqrt(e);
    }
    for (let li = 0; li < labs.length; li++) {
      const lab = labs[li]!, acc = sums[li]!, c = nClusters[li]!;
      const ls = lab[s]!, base = s * c;
      for (let r = s + 1; r < m; r++) {
        const v = dist[r]!;
        acc[base + lab[r]!]! += v;
        acc[r * c + ls]! += v;
      }
    }
  }
  return labs.map((lab, li) => meanSilhouette(lab, sums[li]!, nClusters[li]!));
}

function meanSilhouette(lab: Int32Array, acc: Float64Array, c: number): number {
  const m = lab.length;
  if (c < 2 || c >= m) return NaN;
  const size = new Float64Array(c);
  for (let s = 0; s < m; s++) size[lab[s]!]! += 1;
  let total = 0;
  for (let s = 0; s < m; s++) {
    const own = lab[s]!;
    if (size[own]! <= 1) continue;
    const a = acc[s * c + own]! / (size[own]! - 1);
    let b = Infinity;
    for (let j = 0; j < c; j++) {
      if (j !== own) b = Math.min(b, acc[s * c + j]! / size[j]!);
    }
    const denom = Math.max(a, b);
    if (denom > 0) total += (b - a) / denom;
  }
  return total / m;
}
