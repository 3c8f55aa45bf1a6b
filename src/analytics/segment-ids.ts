/**
 * Stable segment ids across runs. k-means numbers its clusters arbitrarily (the order depends on the seeding), so
 * ids are assigned here: a first run numbers segments 1..k in the order given (the stage passes largest first);
 * a later run matches its centroids to the previous run's by the minimum-total-distance assignment
 * (matchClusters, Hungarian) and each matched cluster inherits the previous id. Both centroid sets must be in
 * one space — the stage expresses this run's centroids in the previous run's transform. Surplus clusters get
 * fresh ids above every id the model lineage has used (`maxId`), so an id never changes meaning; previous ids
 * without a successor are reported as vanished.
 */
import { matchClusters } from './cluster-match.js';

export interface PreviousSegments {
  /** Segment id of each previous centroid. */
  ids: readonly number[];
  /** ids.length × d row-major. */
  centroids: Float64Array;
  /** The largest id ever assigned in this lineage. */
  maxId: number;
}

export interface SegmentIds {
  /** Id of each cluster of this run. */
  ids: Int32Array;
  /** The previous id a cluster continues, or -1 when it is new. */
  previous: Int32Array;
  /** Centroid distance to the matched previous centroid (NaN when new). */
  distances: Float64Array;
  /** Previous ids with no successor, ascending. */
  vanished: number[];
  maxId: number;
}

/**
 * `centroids`: this run's k×d centroids (in the previous run's space when `prev` is given); `order`: the
 * clusters in the order fresh ids are handed out.
 */
export function assignSegmentIds(prev: PreviousSegments | null, centroids: Float64Array, k: number, d: number, order: ArrayLike<number>): SegmentIds {
  const ids = new Int32Array(k).fill(-1);
  const previous = new Int32Array(k).fill(-1);
  const distances = new Float64Array(k).fill(NaN);
  let vanished: number[] = [];
  if (prev && prev.ids.length > 0) {
    const prevK = prev.ids.length;
    const match = matchClusters(prev.centroids, prevK, centroids, k, d);
    for (let c = 0; c < k; c++) {
      const j = match.prevIds[c]!;
      if (j < 0) continue;
      ids[c] = previous[c] = prev.ids[j]!;
      let s = 0;
      for (let t = 0; t < d; t++) s += (centroids[c * d + t]! - prev.centroids[j * d + t]!) ** 2;
      distances[c] = Math.sqrt(s);
    }
    vanished = match.vanished.map((j) => prev.ids[j]!).sort((a, b) => a - b);
  }
  let maxId = Math.max(prev?.maxId ?? 0, ...(prev?.ids ?? []));
  for (let i = 0; i < order.length; i++) {
    const c = order[i]!;
    if (ids[c] === -1) ids[c] = ++maxId;
  }
  if (ids.some((id) => id === -1)) throw new Error('assignSegmentIds: order must list every cluster');
  return { ids, previous, distances, vanished, maxId };
}
