/**
 * Exact order statistics and value→bin coding in O(n), the two costs of quantile binning. Sorting every
 * 1M-row column would dominate the whole tree fit, so both functions first spread values over linear
 * buckets between min and max: `floor((v - min) · scale)` is monotone in v, so bucket order is value order
 * and only the few buckets that hold a wanted rank (or a bin edge) need a closer look. Results are exact,
 * never approximations; skewed data merely makes the buckets less useful (worst case: one sort).
 */

export interface ValueRange {
  /** Non-NaN count, minimum and maximum (NaN = missing). */
  readonly count: number;
  readonly min: number;
  readonly max: number;
}

export function valueRange(values: Float64Array): ValueRange {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count, min, max };
}

/** Scale of the linear bucket map; 0 (everything in bucket 0) when the range is empty or not finite. */
function bucketScale(min: number, max: number, buckets: number): number {
  const width = max - min;
  return Number.isFinite(width) && width > 0 ? buckets / width : 0;
}

function bucketOf(v: number, min: number, scale: number, last: number): number {
  if (scale === 0) return 0;
  const k = Math.floor((v - min) * scale);
  return k < 0 ? 0 : k > last ? last : k;
}

/**
 * Values at the given 0-based ranks (ascending, within 0..count-1) of the ascending order of the non-NaN
 * values.
 */
export function selectRanks(values: Float64Array, ranks: ArrayLike<number>, range: ValueRange): Float64Array {
  for (let j = 0; j < ranks.length; j++) {
    const r = ranks[j]!;
    if (!(r >= 0 && r < range.count)) throw new RangeError(`rank ${r} outside 0..${range.count - 1}`);
    if (j > 0 && r < ranks[j - 1]!) throw new RangeError('ranks must be ascending');
  }
  return selectFrom(values, ranks, range.count, range.min, range.max, 0);
}

/**
 * Buckets the values, gathers only the buckets holding a wanted rank and recurses into each with its own
 * min and max; a bucket of equal values (ties, e.g. count data) is answered without sorting at all.
 */
function selectFrom(values: Float64Array, ranks: ArrayLike<number>, count: number, min: number, max: number, depth: number): Float64Array {
  const out = new Float64Array(ranks.length);
  if (min === max) return out.fill(min);
  const buckets = Math.min(4096, count >> 4);
  const scale = bucketScale(min, max, buckets);
  if (count <= 2048 || depth >= 6 || scale === 0) {
    // Below the top level buffers hold no NaN and are private, so they are sorted in place.
    const sorted = depth > 0 ? values.sort() : Float64Array.from(values.filter((v) => v === v)).sort();
    for (let j = 0; j < ranks.length; j++) out[j] = sorted[ranks[j]!]!;
    return out;
  }
  const last = buckets - 1;
  // Bucket id per value (NaN → the extra id `buckets`, whose slot stays -1), counted into start[k + 1].
  const ids = new Uint16Array(values.length);
  const start = new Int32Array(buckets + 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let k = buckets;
    if (v === v) {
      k = ((v - min) * scale) | 0;
      if (k > last) k = last;
    }
    ids[i] = k;
    start[k + 1]!++;
  }
  for (let k = 0; k < buckets; k++) start[k + 1]! += start[k]!;
  // Which bucket holds each rank; every wanted bucket gets a slot (its own buffer and value range).
  const slot = new Int32Array(buckets + 1).fill(-1);
  const slotBucket: number[] = [];
  const rankSlot = new Int32Array(ranks.length);
  for (let j = 0, k = 0; j < ranks.length; j++) {
    while (start[k + 1]! <= ranks[j]!) k++;
    if (slot[k]! < 0) {
      slot[k] = slotBucket.length;
      slotBucket.push(k);
    }
    rankSlot[j] = slot[k]!;
  }
  const buffers = slotBucket.map((k) => new Float64Array(start[k + 1]! - start[k]!));
  const fill = new Int32Array(slotBucket.length);
  const lo = new Float64Array(slotBucket.length).fill(Infinity);
  const hi = new Float64Array(slotBucket.length).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const s = slot[ids[i]!]!;
    if (s < 0) continue;
    const v = values[i]!;
    buffers[s]![fill[s]!++] = v;
    if (v < lo[s]!) lo[s] = v;
    if (v > hi[s]!) hi[s] = v;
  }
  for (let s = 0; s < slotBucket.length; s++) {
    const k = slotBucket[s]!;
    const local: number[] = [];
    for (let j = 0; j < ranks.length; j++) if (rankSlot[j] === s) local.push(ranks[j]! - start[k]!);
    const picked = selectFrom(buffers[s]!, local, buffers[s]!.length, lo[s]!, hi[s]!, depth + 1);
    for (let j = 0, t = 0; j < ranks.length; j++) if (rankSlot[j] === s) out[j] = picked[t++]!;
  }
  return out;
}

/**
 * Bin code of every value against sorted, distinct upper edges: 1 + (number of edges < v), capped at
 * edges.length so values above the last edge land in the last bin; NaN → 0.
 */
export function codesForEdges(values: Float64Array, edges: Float64Array): Uint8Array | Uint16Array {
  const nEdges = edges.length;
  if (nEdges > 65535) throw new RangeError(`${nEdges} bins do not fit 16-bit codes`);
  for (let e = 1; e < nEdges; e++) {
    if (!(edges[e - 1]! < edges[e]!)) throw new RangeError('upperEdges must be strictly increasing');
  }
  const codes = nEdges <= 255 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  const range = valueRange(values);
  if (range.count === 0) return codes;
  if (nEdges === 0) throw new RangeError('no bin edges for non-missing values');
  const buckets = Math.max(256, Math.min(65536, nEdges * 16));
  const scale = bucketScale(range.min, range.max, buckets);
  const last = buckets - 1;
  // first[k]..first[k+1] are the edges falling in bucket k; edges in lower buckets are all < any value in k.
  const first = new Int32Array(buckets + 1);
  for (let e = 0; e < nEdges; e++) first[bucketOf(edges[e]!, range.min, scale, last) + 1]!++;
  for (let k = 0; k < buckets; k++) first[k + 1]! += first[k]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const k = bucketOf(v, range.min, scale, last);
    let lo = first[k]!;
    let hi = first[k + 1]!;
    while (hi - lo > 8) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    while (lo < hi && edges[lo]! < v) lo++;
    codes[i] = lo < nEdges ? lo + 1 : nEdges;
  }
  return codes;
}
