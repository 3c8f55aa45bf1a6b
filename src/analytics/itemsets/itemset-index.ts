/**
 * Subset lookups over sorted itemsets (see ItemsetBuffer.toSorted: by length, then lexicographic codes).
 *
 * Rule generation needs count(X) for X = Z minus one item, and redundancy pruning needs the position of
 * Z minus one item; both are a binary search inside the length block, with no hash of the whole result. By
 * downward closure every subset of a frequent itemset is frequent and, being shorter, within maxLength, so a
 * lookup only misses if the input was not produced by frequentItemsets.
 */
import type { Itemsets } from './itemset-buffer.js';

export class ItemsetIndex {
  /** blockStart[k] = first itemset of length k (itemsets of length k are blockStart[k] .. blockStart[k+1]). */
  readonly blockStart: Int32Array;
  readonly maxLength: number;
  private readonly query: Int32Array;

  constructor(private readonly sets: Itemsets) {
    const n = sets.counts.length;
    const { offsets } = sets;
    let maxLength = 0;
    for (let i = 0; i < n; i++) {
      const len = offsets[i + 1]! - offsets[i]!;
      if (len < maxLength) throw new RangeError('itemsets must be sorted by length (use frequentItemsets)');
      maxLength = len;
    }
    this.maxLength = maxLength;
    this.blockStart = new Int32Array(maxLength + 2);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const len = offsets[i + 1]! - offsets[i]!;
      while (k < len) this.blockStart[++k] = i;
    }
    while (k <= maxLength) this.blockStart[++k] = n;
    this.blockStart[0] = 0;
    this.query = new Int32Array(maxLength + 1);
  }

  /** Index of the itemset equal to itemset z without its item at position j, or -1. */
  without(z: number, j: number): number {
    const { offsets, items } = this.sets;
    const start = offsets[z]!;
    const len = offsets[z + 1]! - start - 1;
    const q = this.query;
    for (let i = 0, w = 0; i <= len; i++) if (i !== j) q[w++] = items[start + i]!;
    return this.find(q, len);
  }

  /** Index of the itemset equal to q[0..len) (ascending codes), or -1. */
  find(q: Int32Array, len: number): number {
    if (len < 1 || len > this.maxLength) return -1;
    const { offsets, items } = this.sets;
    let lo = this.blockStart[len]!;
    let hi = this.blockStart[len + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = offsets[mid]!;
      let d = 0;
      for (let i = 0; i < len && d === 0; i++) d = items[s + i]! - q[i]!;
      if (d === 0) return mid;
      if (d < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
