/**
 * The rule order: lift descending, then confidence descending, then antecedent names (lexicographic over the
 * name-sorted antecedent, a shorter antecedent first when it is a prefix), then consequent name.
 *
 * Low supports can give millions of rules with many exact ties in lift (small integer counts), and a
 * comparator sort spent tens of seconds in comparator calls on 10M rules. So the whole order is one LSD radix
 * sort: stable counting passes from the least significant key (consequent) to the most (lift). Positive doubles
 * order like their bit patterns read as unsigned integers, so lift and confidence sort as four 16-bit digits,
 * inverted for descending order. Passes whose digit is constant are skipped.
 */

/** Sort keys indexed by rule. Antecedents are ascending name ranks, rule r's at ranks[rankStart[r] .. rankStart[r+1]). */
export interface OrderKeys {
  lift: Float64Array;
  confidence: Float64Array;
  ranks: Int32Array;
  rankStart: Int32Array;
  consequentRank: Int32Array;
  /** Number of distinct name ranks. */
  nNames: number;
}

export function ruleOrder(keys: OrderKeys, m: number): Int32Array {
  const { lift, confidence, ranks, rankStart, consequentRank, nNames } = keys;
  let order = new Int32Array(m);
  let next = new Int32Array(m);
  for (let r = 0; r < m; r++) order[r] = r;
  const digit = new Int32Array(m);
  const bucket = new Int32Array(Math.max(65536, nNames + 1) + 1);

  /** One stable counting pass by digit[r] in 0..size-1. */
  const pass = (size: number): void => {
    bucket.fill(0, 0, size + 1);
    for (let r = 0; r < m; r++) bucket[digit[r]! + 1]!++;
    for (let k = 0; k < size; k++) if (bucket[k + 1] === m) return; // all equal: order unchanged
    for (let k = 1; k <= size; k++) bucket[k]! += bucket[k - 1]!;
    for (let i = 0; i < m; i++) {
      const r = order[i]!;
      next[bucket[digit[r]!]!++] = r;
    }
    [order, next] = [next, order];
  };

  for (let r = 0; r < m; r++) digit[r] = consequentRank[r]!;
  pass(nNames);
  let maxAntecedent = 0;
  for (let r = 0; r < m; r++) maxAntecedent = Math.max(maxAntecedent, rankStart[r + 1]! - rankStart[r]!);
  for (let pos = maxAntecedent - 1; pos >= 0; pos--) {
    for (let r = 0; r < m; r++) {
      const at = rankStart[r]! + pos;
      digit[r] = at < rankStart[r + 1]! ? ranks[at]! + 1 : 0; // a missing position sorts first
    }
    pass(nNames + 1);
  }
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  for (const values of [confidence, lift]) {
    const words = new Uint32Array(values.buffer, values.byteOffset, 2 * m);
    for (let d = 0; d < 4; d++) {
      const word = (d < 2) === littleEndian ? 0 : 1;
      const shift = d % 2 === 0 ? 0 : 16;
      for (let r = 0; r < m; r++) digit[r] = 0xffff - ((words[2 * r + word]! >>> shift) & 0xffff);
      pass(65536);
    }
  }
  return order;
}
