/**
 * The rule order: lift descending, then confidence descending, then antecedent names, then consequent name.
 *
 * Millions of rules are possible at low supports, and a comparator sort over them spent most of its time in
 * comparator calls (~15 s for 10M rules). So the primary key is sorted with an LSD radix sort on the bits of
 * the lift (positive doubles order like their bit patterns read as unsigned integers), and the comparator only
 * runs inside runs of exactly equal lift, which are short.
 */

/** Everything the tie-break needs, indexed by rule. Antecedents are ascending name ranks in one flat array. */
export interface OrderKeys {
  lift: Float64Array;
  confidence: Float64Array;
  ranks: Int32Array;
  rankStart: Int32Array;
  consequentRank: Int32Array;
}

export function ruleOrder(keys: OrderKeys, m: number): Int32Array {
  const { lift, confidence, ranks, rankStart, consequentRank } = keys;
  const bits = new Uint32Array(lift.buffer, lift.byteOffset, 2 * m);
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const lo = littleEndian ? 0 : 1;
  let order = new Int32Array(m);
  let next = new Int32Array(m);
  for (let r = 0; r < m; r++) order[r] = r;
  const bucket = new Int32Array(65537);
  // Four stable 16-bit passes, least significant first; digits are inverted so larger lifts come first.
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : 1 - lo;
    const shift = pass % 2 === 0 ? 0 : 16;
    bucket.fill(0);
    for (let r = 0; r < m; r++) bucket[(0xffff - ((bits[2 * r + word]! >>> shift) & 0xffff)) + 1]!++;
    for (let k = 1; k < bucket.length; k++) bucket[k]! += bucket[k - 1]!;
    for (let i = 0; i < m; i++) {
      const r = order[i]!;
      next[bucket[0xffff - ((bits[2 * r + word]! >>> shift) & 0xffff)]!++] = r;
    }
    [order, next] = [next, order];
  }
  const tieBreak = (a: number, b: number): number => {
    if (confidence[a] !== confidence[b]) return confidence[b]! - confidence[a]!;
    const sa = rankStart[a]!;
    const sb = rankStart[b]!;
    const la = rankStart[a + 1]! - sa;
    const lb = rankStart[b + 1]! - sb;
    for (let i = 0; i < Math.min(la, lb); i++) {
      const d = ranks[sa + i]! - ranks[sb + i]!;
      if (d !== 0) return d;
    }
    if (la !== lb) return la - lb;
    return consequentRank[a]! - consequentRank[b]!;
  };
  for (let start = 0; start < m; ) {
    let end = start + 1;
    while (end < m && lift[order[end]!] === lift[order[start]!]) end++;
    if (end - start > 1) order.subarray(start, end).sort(tieBreak);
    start = end;
  }
  return order;
}
