/**
 * Exact frequent itemsets for the basket stage: the entry point over FP-growth.
 *
 * Transactions arrive in CSR form with integer item codes (the stage recodes item names in DuckDB). Items are
 * de-duplicated per transaction defensively, infrequent items are dropped, and the rest are ranked by
 * descending support (ties by code) before building the first FP-tree, which is then mined depth-first.
 *
 * The explosion guard: mining stops as soon as more than `maxItemsets` itemsets exist and throws an
 * ItemsetLimitError naming a min_support that would fit. That suggestion is found by re-mining the same tree
 * in counting mode at higher count thresholds (gallop upward, then bisect; the itemset count only falls as the
 * threshold rises), each trial aborting at the cap, and is then rounded up to two significant digits.
 */
import { DataError } from '../../errors.js';
import { ceilCleanSupport } from '../support-threshold.js';
import { FpMiner, LIMIT_REACHED } from './fp-growth.js';
import { FpTree } from './fp-tree.js';
import { ItemsetBuffer, type Itemsets } from './itemset-buffer.js';

export type { Itemsets } from './itemset-buffer.js';

/** Transactions in CSR form: transaction t holds items[offsets[t] .. offsets[t+1]). */
export interface Transactions {
  offsets: Int32Array;
  items: Int32Array;
}

export interface ItemsetOptions {
  /** Minimum support as a count (see minSupportCount); values below 1 are treated as 1. */
  minCount: number;
  /** Largest itemset size (arules maxlen). Default 10. */
  maxLength?: number;
  /** Cap on the number of itemsets before ItemsetLimitError. Default 5,000,000. */
  maxItemsets?: number;
}

export class ItemsetLimitError extends DataError {
  constructor(
    /** The cap that was exceeded. */
    readonly limit: number,
    /** A decimal min_support (<= 2 significant digits) whose itemset count is within the cap. */
    readonly suggestedMinSupport: number,
    /** The smallest count threshold whose itemset count is within the cap. */
    readonly suggestedMinCount: number,
    minCount: number,
    nTransactions: number,
  ) {
    super(
      `more than ${limit} frequent itemsets at a minimum support count of ${minCount} of ${nTransactions} ` +
        `transactions; use min_support ${suggestedMinSupport} or higher (or lower max_length)`,
      'itemset_limit',
    );
    this.name = 'ItemsetLimitError';
  }
}

export function frequentItemsets(transactions: Transactions, options: ItemsetOptions): Itemsets {
  const { offsets, items } = transactions;
  const n = offsets.length - 1;
  if (n < 0) throw new RangeError('offsets must have at least one entry');
  const minCount = Math.max(1, Math.ceil(options.minCount));
  const maxLength = options.maxLength ?? 10;
  const limit = options.maxItemsets ?? 5_000_000;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`maxLength must be >= 1, got ${maxLength}`);
  if (!(limit >= 0)) throw new RangeError(`maxItemsets must be >= 0, got ${limit}`);

  const tree = buildTree(offsets, items, minCount);
  const buffer = new ItemsetBuffer();
  try {
    new FpMiner(minCount, maxLength, limit, buffer, tree.nItems).mine(tree, 0);
  } catch (error) {
    if (error !== LIMIT_REACHED) throw error;
    const fits = (count: number): boolean => {
      try {
        new FpMiner(count, maxLength, limit, null, tree.nItems).mine(tree, 0);
        return true;
      } catch (e) {
        if (e !== LIMIT_REACHED) throw e;
        return false;
      }
    };
    let low = minCount;
    let high = minCount + 1;
    for (let step = 1; high <= n && !fits(high); step *= 2) {
      low = high;
      high = Math.min(n + 1, high + step);
    }
    while (high - low > 1) {
      const mid = low + Math.floor((high - low) / 2);
      if (fits(mid)) high = mid;
      else low = mid;
    }
    throw new ItemsetLimitError(limit, ceilCleanSupport(high, Math.max(n, 1)), high, minCount, n);
  }
  return buffer.toSorted(n);
}

/** Counts items (once per transaction), keeps those with support >= minCount, and builds the first tree. */
function buildTree(offsets: Int32Array, items: Int32Array, minCount: number): FpTree {
  const n = offsets.length - 1;
  let nCodes = 0;
  for (let i = offsets[0]!; i < offsets[n]!; i++) {
    const code = items[i]!;
    if (code < 0) throw new RangeError(`item codes must be >= 0, got ${code}`);
    if (code >= nCodes) nCodes = code + 1;
  }
  const support = new Int32Array(nCodes);
  const lastSeen = new Int32Array(nCodes).fill(-1);
  for (let t = 0; t < n; t++) {
    for (let i = offsets[t]!; i < offsets[t + 1]!; i++) {
      const code = items[i]!;
      if (lastSeen[code] === t) continue;
      lastSeen[code] = t;
      support[code]!++;
    }
  }
  const frequent: number[] = [];
  for (let code = 0; code < nCodes; code++) if (support[code]! >= minCount) frequent.push(code);
  frequent.sort((a, b) => support[b]! - support[a]! || a - b);
  const rankOf = new Int32Array(nCodes).fill(-1);
  frequent.forEach((code, rank) => (rankOf[code] = rank));

  const tree = new FpTree();
  tree.reset(frequent.length, Math.min(offsets[n]! - offsets[0]!, 1 << 16));
  frequent.forEach((code, rank) => (tree.code[rank] = code));
  const path = new Int32Array(frequent.length + 1);
  for (let t = 0; t < n; t++) {
    let len = 0;
    for (let i = offsets[t]!; i < offsets[t + 1]!; i++) {
      const r = rankOf[items[i]!]!;
      if (r < 0) continue;
      let j = len;
      while (j > 0 && path[j - 1]! > r) j--;
      if (j > 0 && path[j - 1] === r) continue; // duplicate item in this transaction
      path.copyWithin(j + 1, j, len);
      path[j] = r;
      len++;
    }
    if (len > 0) tree.insert(path, len, 1);
  }
  return tree;
}
