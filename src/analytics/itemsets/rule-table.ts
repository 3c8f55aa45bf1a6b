/**
 * Turns kept rule candidates into the columnar rule table: metrics, deterministic order, antecedents by name.
 *
 * Metrics come from integer counts in one division where the integers are exact (n^2 < 2^53, i.e. up to ~94M
 * transactions), so two rules with the same true lift get bit-identical lifts and ties fall through to the
 * name order instead of to rounding noise. Names are compared by UTF-16 code units (JavaScript's `<`), not by
 * locale, so the order is the same on every machine. Conviction is Infinity exactly when confidence is 1.
 */
import type { Itemsets } from './itemset-buffer.js';

/** Rules in columns; rule r's antecedent is antecedentItems[antecedentOffsets[r] .. antecedentOffsets[r+1]). */
export interface Rules {
  length: number;
  antecedentOffsets: Int32Array;
  /** Item codes, each antecedent listed in ascending name order. */
  antecedentItems: Int32Array;
  consequents: Int32Array;
  /** count(X ∪ {y}). */
  counts: Int32Array;
  support: Float64Array;
  confidence: Float64Array;
  lift: Float64Array;
  leverage: Float64Array;
  conviction: Float64Array;
}

/** Kept candidates: rule r is itemset owners[r] with its item at flat position slots[r] as consequent. */
export interface RuleCandidates {
  slots: readonly number[];
  owners: readonly number[];
  antecedentCounts: readonly number[];
}

const SAFE = Number.MAX_SAFE_INTEGER;

export function buildRuleTable(
  sets: Itemsets,
  candidates: RuleCandidates,
  itemCount: Int32Array,
  itemNames: readonly string[],
): Rules {
  const { slots, owners, antecedentCounts } = candidates;
  const n = sets.nTransactions;
  const exact = n * n <= SAFE;
  const m = slots.length;
  const nameRank = new Int32Array(itemNames.length);
  Array.from(itemNames.keys())
    .sort((a, b) => (itemNames[a]! < itemNames[b]! ? -1 : itemNames[a]! > itemNames[b]! ? 1 : a - b))
    .forEach((code, rank) => (nameRank[code] = rank));

  // Antecedents as ascending name ranks in one flat array: sorted once, compared by integers.
  const rankStart = new Int32Array(m + 1);
  for (let r = 0; r < m; r++) {
    const z = owners[r]!;
    rankStart[r + 1] = rankStart[r]! + sets.offsets[z + 1]! - sets.offsets[z]! - 1;
  }
  const ranks = new Int32Array(rankStart[m]!);
  const lift = new Float64Array(m);
  const conf = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const z = owners[r]!;
    let w = rankStart[r]!;
    for (let i = sets.offsets[z]!; i < sets.offsets[z + 1]!; i++) {
      if (i !== slots[r]) ranks[w++] = nameRank[sets.items[i]!]!;
    }
    ranks.subarray(rankStart[r]!, w).sort();
    const countZ = sets.counts[z]!;
    const countX = antecedentCounts[r]!;
    const countY = itemCount[sets.items[slots[r]!]!]!;
    conf[r] = countZ / countX;
    lift[r] = exact ? (countZ * n) / (countX * countY) : conf[r]! / (countY / n);
  }
  const order = Array.from({ length: m }, (_, r) => r).sort((a, b) => {
    if (lift[a] !== lift[b]) return lift[b]! - lift[a]!;
    if (conf[a] !== conf[b]) return conf[b]! - conf[a]!;
    const sa = rankStart[a]!;
    const sb = rankStart[b]!;
    const la = rankStart[a + 1]! - sa;
    const lb = rankStart[b + 1]! - sb;
    for (let i = 0; i < Math.min(la, lb); i++) {
      const d = ranks[sa + i]! - ranks[sb + i]!;
      if (d !== 0) return d;
    }
    if (la !== lb) return la - lb;
    return nameRank[sets.items[slots[a]!]!]! - nameRank[sets.items[slots[b]!]!]!;
  });

  const codeOfRank = new Int32Array(itemNames.length);
  nameRank.forEach((rank, code) => (codeOfRank[rank] = code));
  const out: Rules = {
    length: m,
    antecedentOffsets: new Int32Array(m + 1),
    antecedentItems: new Int32Array(ranks.length),
    consequents: new Int32Array(m),
    counts: new Int32Array(m),
    support: new Float64Array(m),
    confidence: new Float64Array(m),
    lift: new Float64Array(m),
    leverage: new Float64Array(m),
    conviction: new Float64Array(m),
  };
  let at = 0;
  order.forEach((r, o) => {
    for (let i = rankStart[r]!; i < rankStart[r + 1]!; i++) out.antecedentItems[at++] = codeOfRank[ranks[i]!]!;
    out.antecedentOffsets[o + 1] = at;
    const countZ = sets.counts[owners[r]!]!;
    const countX = antecedentCounts[r]!;
    const y = sets.items[slots[r]!]!;
    const countY = itemCount[y]!;
    out.consequents[o] = y;
    out.counts[o] = countZ;
    out.support[o] = countZ / n;
    out.confidence[o] = conf[r]!;
    out.lift[o] = lift[r]!;
    out.leverage[o] = exact
      ? (countZ * n - countX * countY) / (n * n)
      : countZ / n - (countX / n) * (countY / n);
    if (countX === countZ) out.conviction[o] = Infinity;
    else if (exact) out.conviction[o] = ((n - countY) * countX) / (n * (countX - countZ));
    else out.conviction[o] = (1 - countY / n) / (1 - countZ / countX);
  });
  return out;
}
