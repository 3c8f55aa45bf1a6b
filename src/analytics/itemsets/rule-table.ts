/**
 * Turns kept rule candidates into the columnar rule table: metrics, deterministic order, antecedents by name.
 *
 * Metrics come from integer counts in one division where the integers are exact (n^2 < 2^53, i.e. up to ~94M
 * transactions), so two rules with the same true lift get bit-identical lifts and ties fall through to the
 * name order instead of to rounding noise. Names are compared by UTF-16 code units (JavaScript's `<`), not by
 * locale, so the order is the same on every machine. Conviction is Infinity exactly when confidence is 1.
 */
import type { Itemsets } from './itemset-buffer.js';
import { ruleOrder } from './rule-order.js';

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
export class RuleCandidates {
  length = 0;
  slots = new Int32Array(1024);
  owners = new Int32Array(1024);
  antecedentCounts = new Int32Array(1024);

  push(slot: number, owner: number, antecedentCount: number): void {
    if (this.length === this.slots.length) {
      const grow = (a: Int32Array): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.slots = grow(this.slots);
      this.owners = grow(this.owners);
      this.antecedentCounts = grow(this.antecedentCounts);
    }
    this.slots[this.length] = slot;
    this.owners[this.length] = owner;
    this.antecedentCounts[this.length++] = antecedentCount;
  }
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
  const m = candidates.length;
  const nameRank = new Int32Array(itemNames.length);
  Array.from(itemNames.keys())
    .sort((a, b) => (itemNames[a]! < itemNames[b]! ? -1 : itemNames[a]! > itemNames[b]! ? 1 : a - b))
    .forEach((code, rank) => (nameRank[code] = rank));

  // Antecedents as ascending name ranks in one flat array: ordered once, then compared as integers.
  const rankStart = new Int32Array(m + 1);
  for (let r = 0; r < m; r++) {
    const z = owners[r]!;
    rankStart[r + 1] = rankStart[r]! + sets.offsets[z + 1]! - sets.offsets[z]! - 1;
  }
  const ranks = new Int32Array(rankStart[m]!);
  const lift = new Float64Array(m);
  const conf = new Float64Array(m);
  const consequentRank = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    const z = owners[r]!;
    const base = rankStart[r]!;
    let w = base;
    for (let i = sets.offsets[z]!; i < sets.offsets[z + 1]!; i++) {
      if (i === slots[r]) continue;
      const v = nameRank[sets.items[i]!]!;
      let j = w++;
      while (j > base && ranks[j - 1]! > v) {
        ranks[j] = ranks[j - 1]!;
        j--;
      }
      ranks[j] = v;
    }
    const countZ = sets.counts[z]!;
    const countX = antecedentCounts[r]!;
    const y = sets.items[slots[r]!]!;
    const countY = itemCount[y]!;
    consequentRank[r] = nameRank[y]!;
    conf[r] = countZ / countX;
    lift[r] = exact ? (countZ * n) / (countX * countY) : conf[r]! / (countY / n);
  }
  const order = ruleOrder({ lift, confidence: conf, ranks, rankStart, consequentRank, nNames: itemNames.length }, m);

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
  for (let o = 0; o < m; o++) {
    const r = order[o]!;
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
  }
  return out;
}
