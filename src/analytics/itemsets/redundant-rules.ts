/**
 * Redundant-rule detection in the sense of arules' is.redundant(): rule X => y is redundant when the rule set
 * holds a more general rule X' => y (X' a non-empty proper subset of X) whose confidence is >= its own.
 *
 * A rule is addressed by a "slot": itemset Z = X ∪ {y} and the position of y in Z, i.e. offsets[z] + j. Rather
 * than test all 2^|X| subsets per rule, a dynamic programme over itemsets in ascending length keeps, per slot,
 * the best confidence among kept rules X' => y with X' ⊆ X; each slot then only looks at the |X| slots one
 * item smaller. Confidences are compared exactly as integer ratios, so ties (equal confidence counts as
 * redundant) are never decided by rounding.
 */
import type { Itemsets } from './itemset-buffer.js';
import type { ItemsetIndex } from './itemset-index.js';

/** a/b >= c/d for non-negative integers with b, d > 0, exactly. */
export function ratioAtLeast(a: number, b: number, c: number, d: number): boolean {
  const left = a * d;
  const right = c * b;
  if (left <= Number.MAX_SAFE_INTEGER && right <= Number.MAX_SAFE_INTEGER) return left >= right;
  return BigInt(a) * BigInt(d) >= BigInt(c) * BigInt(b);
}

/**
 * @param kept per slot, 1 when the rule is in the rule set (passed every filter)
 * @param antecedentCount per kept slot, count(X)
 * @returns per slot, 1 when the kept rule is redundant
 */
export function findRedundant(
  sets: Itemsets,
  index: ItemsetIndex,
  kept: Uint8Array,
  antecedentCount: Int32Array,
): Uint8Array {
  const { offsets, counts } = sets;
  const slots = sets.items.length;
  const redundant = new Uint8Array(slots);
  // Best confidence (as bestNum / bestDen) of a kept rule with the slot's consequent and antecedent ⊆ X.
  const bestNum = new Float64Array(slots);
  const bestDen = new Float64Array(slots);
  for (let z = index.blockStart[2] ?? counts.length; z < counts.length; z++) {
    const start = offsets[z]!;
    const k = offsets[z + 1]! - start;
    for (let j = 0; j < k; j++) {
      const slot = start + j;
      let num = 0;
      let den = 0;
      if (k >= 3) {
        for (let i = 0; i < k; i++) {
          if (i === j) continue;
          const sub = index.without(z, i);
          if (sub < 0) throw new RangeError('itemsets are not downward closed');
          const subSlot = offsets[sub]! + (i < j ? j - 1 : j);
          const d = bestDen[subSlot]!;
          if (d > 0 && (den === 0 || !ratioAtLeast(num, den, bestNum[subSlot]!, d))) {
            num = bestNum[subSlot]!;
            den = d;
          }
        }
      }
      if (kept[slot] === 1) {
        const ownNum = counts[z]!;
        const ownDen = antecedentCount[slot]!;
        if (den > 0 && ratioAtLeast(num, den, ownNum, ownDen)) {
          redundant[slot] = 1;
        } else {
          num = ownNum;
          den = ownDen;
        }
      }
      bestNum[slot] = num;
      bestDen[slot] = den;
    }
  }
  return redundant;
}
