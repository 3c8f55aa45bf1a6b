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
  const { count, min, max } = range;
  const buckets = Math.max(1, Math.min(65536, count >> 4));
  const scale = bucketScale(min, max, buckets);
  const last = buckets - 1;
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) start[bucketOf(v, min, scale, last) + 1]!++;
  }
  for (let k = 0; k < buckets; k++) start[k + 1]! += start[k]!;
  // Which bucket holds each rank; wanted buckets get a slot in one gather buffer.
  const rankBucket = new Int32Array(ranks.length);
  const slot = new Int32Array(buckets).fill(-1);
  const slotStart: number[] = [];
  let gathered = 0;
  let k = 0;
  for (let j = 0; j < ranks.length; j++) {
    const r = ranks[j]!;
    if (r < 0 || r >= count) throw new RangeError(`rank ${r} outside 0..${count - 1}`);
    if (j > 0 && r < ranks[j - 1]!) throw new RangeError('ranks must be ascending');
    while (start[k + 1]! <= r) k++;
    rankBucket[j] = k;
    if (slot[k]! < 0) {
      slot[k] = slotStart.length;
      slotStart.push(gathered);
      gathered += start[k + 1]! - start[k]!;
    }
  }
  const buffer = new Float64Array(gathered);
  const fill = Int32Array.from(slotStart);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const s = slot[bucketOf(v, min, scale, last)]!;
    if (s >= 0) buffer[fill[s]!++] = v;
  }
  for (let s = 0; s < slotStart.length; s++) {
    const from = slotStart[s]!;
    const to = s + 1 < slotStart.length ? slotStart[s + 1]! : gathered;
    buffer.subarray(from, to).sort();
  }
  const out = new Float64Array(ranks.length);
  for (let j = 0; j < ranks.length; j++) {
    const b = rankBucket[j]!;
    out[j] = buffer[slotStart[slot[b]!]! + ranks[j]! - start[b]!]!;
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
