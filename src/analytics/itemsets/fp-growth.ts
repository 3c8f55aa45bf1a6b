/**
 * FP-growth mining over an FpTree: for each item (least frequent first) emit prefix ∪ {item}, build the
 * item's conditional tree from its prefix paths, and recurse; a tree that is a single chain is finished by
 * enumerating the chain's combinations directly.
 *
 * Shaped for the basket stage's two needs: exact counts (every emitted count is a sum of integer node counts,
 * nothing is sampled or approximated), and a hard cap on the number of itemsets — the miner throws
 * LIMIT_REACHED the moment the cap is passed, so an explosive min_support costs at most `limit` itemsets of
 * work and memory. In counting mode (no buffer) it only counts, which is what the search for a min_support
 * that fits uses; chains are then counted by binomial sums without enumeration.
 *
 * `minCount` may be higher than the one the first tree was built with (the search re-mines one tree at
 * several thresholds), so top-level items and chain nodes below minCount are skipped here too.
 */
import { FpTree } from './fp-tree.js';
import type { ItemsetBuffer } from './itemset-buffer.js';

/** Thrown (as this exact object) when more than `limit` itemsets would be produced. */
export const LIMIT_REACHED: unique symbol = Symbol('itemset limit reached');

export class FpMiner {
  emitted = 0;
  private readonly prefix: Int32Array;
  private readonly pool: FpTree[] = [];
  private readonly condCount: Int32Array[] = [];
  private readonly newRank: Int32Array[] = [];
  private readonly touched: Int32Array[] = [];
  private readonly path: Int32Array;

  constructor(
    private readonly minCount: number,
    private readonly maxLength: number,
    private readonly limit: number,
    /** Where itemsets go; null counts only. */
    private readonly out: ItemsetBuffer | null,
    /** Items in the first tree; bounds every conditional tree. */
    private readonly nItems: number,
  ) {
    this.prefix = new Int32Array(Math.min(maxLength, nItems) + 1);
    this.path = new Int32Array(nItems + 1);
  }

  mine(tree: FpTree, depth: number): void {
    if (tree.singlePath) {
      this.mineChain(tree, depth);
      return;
    }
    for (let r = tree.nItems - 1; r >= 0; r--) {
      const support = tree.support[r]!;
      if (support < this.minCount) continue;
      this.prefix[depth] = tree.code[r]!;
      this.emit(depth + 1, support);
      if (depth + 2 <= this.maxLength) {
        const cond = this.conditional(tree, r, depth + 1);
        if (cond !== null) this.mine(cond, depth + 1);
      }
    }
  }

  private emit(len: number, count: number): void {
    if (++this.emitted > this.limit) throw LIMIT_REACHED;
    if (this.out !== null) this.out.push(this.prefix, len, count);
  }

  /** Every combination of a chain's nodes; its count is the count of its deepest node. */
  private mineChain(tree: FpTree, depth: number): void {
    let k = 0;
    while (k + 1 < tree.size && tree.count[k + 1]! >= this.minCount) k++;
    const room = this.maxLength - depth;
    let total = 0;
    let binom = 1;
    for (let s = 1; s <= Math.min(k, room) && total <= this.limit; s++) {
      binom = (binom * (k - s + 1)) / s;
      total += binom;
    }
    if (this.emitted + total > this.limit) {
      this.emitted = this.limit + 1;
      throw LIMIT_REACHED;
    }
    if (this.out === null) {
      this.emitted += total;
      return;
    }
    const extend = (upper: number, len: number, count: number): void => {
      if (len - depth >= room) return;
      for (let i = upper - 1; i >= 1; i--) {
        this.prefix[len] = tree.code[tree.item[i]!]!;
        this.emit(len + 1, count);
        extend(i, len + 1, count);
      }
    };
    for (let j = 1; j <= k; j++) {
      this.prefix[depth] = tree.code[tree.item[j]!]!;
      this.emit(depth + 1, tree.count[j]!);
      extend(j, depth + 1, tree.count[j]!);
    }
  }

  /** Builds the conditional tree of item r into the pooled tree for `depth`; null when nothing is frequent. */
  private conditional(tree: FpTree, r: number, depth: number): FpTree | null {
    if (this.pool.length <= depth) {
      for (let d = this.pool.length; d <= depth; d++) {
        this.pool.push(new FpTree());
        this.condCount.push(new Int32Array(this.nItems));
        this.newRank.push(new Int32Array(this.nItems).fill(-1));
        this.touched.push(new Int32Array(this.nItems));
      }
    }
    const cond = this.condCount[depth]!;
    const rank = this.newRank[depth]!;
    const touched = this.touched[depth]!;
    const { item, count, parent, link } = tree;
    let nTouched = 0;
    let bound = 0;
    for (let nd = tree.head[r]!; nd !== 0; nd = link[nd]!) {
      const w = count[nd]!;
      for (let p = parent[nd]!; p !== 0; p = parent[p]!) {
        const it = item[p]!;
        if (cond[it] === 0) touched[nTouched++] = it;
        cond[it]! += w;
        bound++;
      }
    }
    let nFrequent = 0;
    for (let i = 0; i < nTouched; i++) {
      const it = touched[i]!;
      if (cond[it]! >= this.minCount) {
        touched[i] = touched[nFrequent]!;
        touched[nFrequent++] = it;
      }
    }
    let result: FpTree | null = null;
    if (nFrequent > 0) {
      const frequent = touched.subarray(0, nFrequent);
      // Rank by conditional support (ties by parent rank) so shared prefixes compress well and ranks are stable.
      frequent.sort((a, b) => cond[b]! - cond[a]! || a - b);
      const child = this.pool[depth]!;
      child.reset(nFrequent, bound);
      for (let k = 0; k < nFrequent; k++) {
        rank[frequent[k]!] = k;
        child.code[k] = tree.code[frequent[k]!]!;
      }
      const path = this.path;
      for (let nd = tree.head[r]!; nd !== 0; nd = link[nd]!) {
        let len = 0;
        for (let p = parent[nd]!; p !== 0; p = parent[p]!) {
          const nr = rank[item[p]!]!;
          if (nr < 0) continue;
          let j = len++;
          while (j > 0 && path[j - 1]! > nr) {
            path[j] = path[j - 1]!;
            j--;
          }
          path[j] = nr;
        }
        if (len > 0) child.insert(path, len, count[nd]!);
      }
      result = child;
    }
    for (let i = 0; i < nTouched; i++) {
      const it = touched[i]!;
      cond[it] = 0;
      rank[it] = -1;
    }
    return result;
  }
}
