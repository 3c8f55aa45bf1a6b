/**
 * Association rules with one item on the right, from exact frequent itemsets (itemsets/frequent-itemsets.ts).
 *
 * Semantics follow R arules' apriori (and mlxtend for one-item consequents) with minlen = 2: every frequent
 * itemset Z of size >= 2 yields X => y for each y in Z, X = Z \ {y}; rules with an empty antecedent ({} => y,
 * which arules produces at its default minlen = 1) are not produced. Thresholds are exact decimals
 * (support-threshold.ts): a rule is kept when count(Z) * 10^d >= m * count(X) for min_confidence = m / 10^d, and
 * likewise for min_lift. Metrics are computed from integer counts with as few roundings as possible, so equal
 * ratios give bit-identical doubles and the ordering (lift desc, confidence desc, antecedent names, consequent
 * name) never depends on the order itemsets were mined in. Conviction is Infinity when confidence is exactly 1.
 * Item constraints take item codes; names (itemNames[code]) are only used for ordering and rule ids.
 */
import { createHash } from 'node:crypto';
import type { Itemsets } from './itemsets/itemset-buffer.js';
import { ItemsetIndex } from './itemsets/itemset-index.js';
import { findRedundant } from './itemsets/redundant-rules.js';
import { buildRuleTable, RuleCandidates, type Rules } from './itemsets/rule-table.js';
import { ratioThreshold } from './support-threshold.js';

export type { Rules } from './itemsets/rule-table.js';

export interface RuleOptions {
  /** Default 0.8 (arules' and mlxtend's default). */
  minConfidence?: number;
  minLift?: number;
  /** Keep only rules whose items (antecedent ∪ consequent) include every one of these codes. */
  requireItems?: readonly number[];
  /** Drop every rule that involves any of these codes, on either side. */
  excludeItems?: readonly number[];
  /** Keep only rules whose consequent is one of these codes. */
  consequentIn?: readonly number[];
  /** Drop rules for which a kept rule with the same consequent and a proper-subset antecedent has >= confidence. */
  pruneRedundant?: boolean;
}

/** Stable id: first 16 hex chars of SHA-256 over the sorted antecedent names, \u001f-joined, \u001e, consequent. */
export function ruleId(antecedentNames: readonly string[], consequentName: string): string {
  const key = [...antecedentNames].sort().join('\u001f') + '\u001e' + consequentName;
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
}

/** ruleId for every rule of a table, in table order. */
export function ruleIds(rules: Rules, itemNames: readonly string[]): string[] {
  return Array.from({ length: rules.length }, (_, r) => {
    const antecedent = rules.antecedentItems.subarray(rules.antecedentOffsets[r], rules.antecedentOffsets[r + 1]);
    return ruleId(Array.from(antecedent, (code) => itemNames[code]!), itemNames[rules.consequents[r]!]!);
  });
}

export function associationRules(sets: Itemsets, itemNames: readonly string[], options: RuleOptions = {}): Rules {
  const n = sets.nTransactions;
  const { offsets, items, counts } = sets;
  const index = new ItemsetIndex(sets);
  const nCodes = itemNames.length;
  const itemCount = new Int32Array(nCodes);
  for (let i = 0; i < items.length; i++) {
    if (items[i]! >= nCodes) throw new RangeError(`item code ${items[i]} has no name`);
  }
  for (let z = index.blockStart[1] ?? 0; z < (index.blockStart[2] ?? 0); z++) itemCount[items[offsets[z]!]!] = counts[z]!;
  const confidence = ratioThreshold(options.minConfidence ?? 0.8);
  const minLift = options.minLift === undefined ? null : ratioThreshold(options.minLift);
  const flags = (codes: readonly number[] | undefined): Uint8Array | null => {
    if (codes === undefined) return null;
    const f = new Uint8Array(nCodes);
    for (const c of codes) if (c >= 0 && c < nCodes) f[c] = 1;
    return f;
  };
  const excluded = flags(options.excludeItems);
  const allowedConsequent = flags(options.consequentIn);
  const required = flags(options.requireItems);
  const nRequired = required === null ? 0 : required.reduce((a, b) => a + b, 0);
  // A required code that has no name can never appear, so nothing qualifies.
  if (required !== null && nRequired < new Set(options.requireItems).size) {
    return buildRuleTable(sets, new RuleCandidates(), itemCount, itemNames);
  }

  const kept = new Uint8Array(items.length);
  const antecedentCount = new Int32Array(items.length);
  const candidates = new RuleCandidates();
  for (let z = index.blockStart[2] ?? counts.length; z < counts.length; z++) {
    const start = offsets[z]!;
    const k = offsets[z + 1]! - start;
    let hits = 0;
    let skip = false;
    for (let i = start; i < start + k && !skip; i++) {
      if (excluded !== null && excluded[items[i]!] === 1) skip = true;
      if (required !== null) hits += required[items[i]!]!;
    }
    if (skip || hits < nRequired) continue;
    const countZ = counts[z]!;
    for (let j = 0; j < k; j++) {
      const y = items[start + j]!;
      if (allowedConsequent !== null && allowedConsequent[y] !== 1) continue;
      const x = index.without(z, j);
      if (x < 0) throw new RangeError('itemsets are not downward closed');
      const countX = counts[x]!;
      if (!confidence.atLeast(countZ, countX)) continue;
      if (minLift !== null && !minLift.atLeastProducts(countZ, n, countX, itemCount[y]!)) continue;
      kept[start + j] = 1;
      antecedentCount[start + j] = countX;
      candidates.push(start + j, z, countX);
    }
  }
  if (options.pruneRedundant !== true) return buildRuleTable(sets, candidates, itemCount, itemNames);
  const redundant = findRedundant(sets, index, kept, antecedentCount);
  const general = new RuleCandidates();
  for (let r = 0; r < candidates.length; r++) {
    const slot = candidates.slots[r]!;
    if (redundant[slot] === 0) general.push(slot, candidates.owners[r]!, candidates.antecedentCounts[r]!);
  }
  return buildRuleTable(sets, general, itemCount, itemNames);
}
