/**
 * Growable storage for mined itemsets and the final deterministic ordering.
 *
 * FP-growth discovers itemsets in an order that depends on internal item ranks, so the result is sorted once
 * at the end: by length, then lexicographically by item code (codes ascending inside each itemset). That
 * order is reproducible whatever the mining order, and it lets rule generation find an itemset's subsets by
 * binary search within one length block instead of building a hash of millions of itemsets.
 */

/** Frequent itemsets in CSR form: itemset i is items[offsets[i] .. offsets[i+1]), with support counts[i]. */
export interface Itemsets {
  offsets: Int32Array;
  items: Int32Array;
  counts: Int32Array;
  /** The number of transactions the counts are out of. */
  nTransactions: number;
}

export class ItemsetBuffer {
  private items = new Int32Array(1024);
  private itemsUsed = 0;
  private starts = new Int32Array(256);
  private counts = new Int32Array(256);
  length = 0;

  /** Appends source[0..len) (any order) with its count; stored sorted ascending. */
  push(source: Int32Array, len: number, count: number): void {
    if (this.length + 1 >= this.starts.length) {
      this.starts = grow(this.starts, this.length + 2);
      this.counts = grow(this.counts, this.length + 2);
    }
    if (this.itemsUsed + len > this.items.length) this.items = grow(this.items, this.itemsUsed + len);
    const items = this.items;
    const base = this.itemsUsed;
    for (let i = 0; i < len; i++) {
      const v = source[i]!;
      let j = base + i;
      while (j > base && items[j - 1]! > v) {
        items[j] = items[j - 1]!;
        j--;
      }
      items[j] = v;
    }
    this.starts[this.length] = base;
    this.counts[this.length] = count;
    this.itemsUsed += len;
    this.length++;
    this.starts[this.length] = this.itemsUsed;
  }

  /**
   * The stored itemsets ordered by (length, items lexicographically): rows are first scattered into one
   * contiguous block per length, then each block is LSD radix-sorted by moving whole rows, keyed by the item's
   * rank among distinct codes. Every pass reads sequentially; an index sort that gathered items through a
   * permutation was memory-latency bound (seconds for two million itemsets).
   */
  toSorted(nTransactions: number): Itemsets {
    const n = this.length;
    const { starts } = this;
    let maxLength = 0;
    for (let i = 0; i < n; i++) maxLength = Math.max(maxLength, starts[i + 1]! - starts[i]!);
    const rowStart = new Int32Array(maxLength + 2);
    for (let i = 0; i < n; i++) rowStart[starts[i + 1]! - starts[i]! + 1]!++;
    for (let k = 1; k < rowStart.length; k++) rowStart[k]! += rowStart[k - 1]!;
    const out: Itemsets = {
      offsets: new Int32Array(n + 1),
      items: new Int32Array(this.itemsUsed),
      counts: new Int32Array(n),
      nTransactions,
    };
    let at = 0;
    for (let len = 1; len <= maxLength; len++) {
      for (let r = rowStart[len]!; r < rowStart[len + 1]!; r++) out.offsets[r + 1] = at += len;
    }
    const cursor = rowStart.slice();
    for (let i = 0; i < n; i++) {
      const s = starts[i]!;
      const len = starts[i + 1]! - s;
      const row = cursor[len]!++;
      out.items.set(this.items.subarray(s, s + len), out.offsets[row]!);
      out.counts[row] = this.counts[i]!;
    }
    sortBlocks(out, rowStart, maxLength);
    return out;
  }
}

/** LSD radix sort, in place, of each fixed-length block of rows (see toSorted). */
function sortBlocks(sets: Itemsets, rowStart: Int32Array, maxLength: number): void {
  const { items, counts, offsets } = sets;
  let maxCode = -1;
  for (let i = 0; i < items.length; i++) maxCode = Math.max(maxCode, items[i]!);
  const key = new Int32Array(maxCode + 1).fill(-1);
  for (let i = 0; i < items.length; i++) key[items[i]!] = 0;
  let nKeys = 0;
  for (let c = 0; c <= maxCode; c++) if (key[c] === 0) key[c] = nKeys++;
  const bucket = new Int32Array(nKeys + 1);
  const itemScratch = new Int32Array(items.length);
  const countScratch = new Int32Array(counts.length);
  for (let len = 1; len <= maxLength; len++) {
    const lo = rowStart[len]!;
    const hi = rowStart[len + 1]!;
    const base = offsets[lo]!;
    for (let pos = len - 1; pos >= 0 && hi - lo > 1; pos--) {
      bucket.fill(0);
      for (let p = base + pos, r = lo; r < hi; r++, p += len) bucket[key[items[p]!]! + 1]!++;
      for (let k = 1; k <= nKeys; k++) bucket[k]! += bucket[k - 1]!;
      for (let p = base, r = lo; r < hi; r++, p += len) {
        const dst = bucket[key[items[p + pos]!]!]!++;
        for (let q = 0, d = base + dst * len; q < len; q++) itemScratch[d + q] = items[p + q]!;
        countScratch[lo + dst] = counts[r]!;
      }
      items.set(itemScratch.subarray(base, base + (hi - lo) * len), base);
      counts.set(countScratch.subarray(lo, hi), lo);
    }
  }
}

function grow(a: Int32Array, min: number): Int32Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
