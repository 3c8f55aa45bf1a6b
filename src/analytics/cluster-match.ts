/**
 * Keeps segment ids stable across runs: matches this run's centroids to the previous run's by the
 * assignment that minimises the total Euclidean centroid distance (Hungarian algorithm, O(k³)), so a segment
 * that merely drifted keeps its id. With unequal k the surplus new clusters are new (-1) and the surplus
 * previous ids are reported as vanished.
 */

export interface ClusterMatch {
  /** For each new cluster, the previous id it continues, or -1 when it is new. */
  prevIds: Int32Array;
  /** Previous ids with no successor, ascending. */
  vanished: number[];
  /** Total Euclidean distance over the matched pairs. */
  cost: number;
}

/**
 * Minimum-cost assignment of each of `rows` rows to a distinct column (rows ≤ cols), cost row-major
 * rows×cols. Shortest augmenting paths with potentials (Kuhn–Munkres, Jonker–Volgenant style).
 */
export function hungarian(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (rows > cols) throw new Error('hungarian: needs rows <= cols');
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const p = new Int32Array(cols + 1); // p[j]: row (1-based) matched to column j, 0 = free
  const way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * cols + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assign = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (p[j]! > 0) assign[p[j]! - 1] = j - 1;
  return assign;
}

function distance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const z = a[i * d + t]! - b[j * d + t]!;
    s += z * z;
  }
  return Math.sqrt(s);
}

export function matchClusters(
  prevCentroids: Float64Array,
  prevK: number,
  nextCentroids: Float64Array,
  nextK: number,
  d: number,
): ClusterMatch {
  if (prevCentroids.length < prevK * d || nextCentroids.length < nextK * d) {
    throw new Error('matchClusters: centroid arrays must hold k*d values');
  }
  const prevIds = new Int32Array(nextK).fill(-1);
  // The smaller side is the row side of the assignment.
  const prevRows = prevK <= nextK;
  const rows = prevRows ? prevK : nextK;
  const cols = prevRows ? nextK : prevK;
  const cost = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      cost[r * cols + c] = prevRows
        ? distance(prevCentroids, r, nextCentroids, c, d)
        : distance(prevCentroids, c, nextCentroids, r, d);
    }
  }
  const assign = hungarian(cost, rows, cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const c = assign[r]!;
    total += cost[r * cols + c]!;
    if (prevRows) prevIds[c] = r;
    else prevIds[r] = c;
  }
  const kept = new Set(prevIds);
  const vanished: number[] = [];
  for (let j = 0; j < prevK; j++) if (!kept.has(j)) vanished.push(j);
  return { prevIds, vanished, cost: total };
}
