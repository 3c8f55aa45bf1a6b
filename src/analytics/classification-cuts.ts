/**
 * Choosing cut-offs for binary classifiers on a training set, so a holdout can judge them honestly:
 *
 * - bestF1Threshold: the score threshold (predict 1 when score >= t) with the highest F1. Tree scores take few
 *   distinct values, so every distinct score is a candidate; ties go to the higher threshold (fewer flagged).
 * - bestRecencyCut: the naive churn rule "no purchase in the last N days ⇒ churn" (predict 1 when recency > N)
 *   with the highest Youden J = TPR − FPR, which is the AUC of the rule as a 0/1 score, minus ½, times 2. Ties go
 *   to the smaller N. NaN recency (never bought) counts as larger than any N.
 *
 * Both sort once and sweep the distinct values: O(n log n). y holds 0/1.
 */

export interface ThresholdChoice {
  /** NaN when y has no positives. */
  readonly threshold: number;
  readonly f1: number;
}

export function bestF1Threshold(scores: ArrayLike<number>, y: ArrayLike<number>): ThresholdChoice {
  const n = scores.length;
  if (y.length !== n) throw new RangeError(`${n} scores for ${y.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  if (positives === 0) return { threshold: NaN, f1: NaN };
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let best: ThresholdChoice = { threshold: NaN, f1: -1 };
  let tp = 0;
  let flagged = 0;
  for (let start = 0; start < n; ) {
    const s = scores[order[start]!]!;
    let end = start;
    while (end < n && scores[order[end]!] === s) tp += y[order[end++]!]!;
    flagged += end - start;
    const f1 = (2 * tp) / (flagged + positives);
    if (f1 > best.f1) best = { threshold: s, f1 };
    start = end;
  }
  return best;
}

export interface RecencyCut {
  /** Predict churn when recency > days. */
  readonly days: number;
  /** TPR − FPR of the rule on the data it was chosen on. */
  readonly youden: number;
}

export function bestRecencyCut(recency: ArrayLike<number>, y: ArrayLike<number>): RecencyCut {
  const n = recency.length;
  if (y.length !== n) throw new RangeError(`${n} values for ${y.length} labels`);
  const key = (i: number): number => (Number.isNaN(recency[i]!) ? Infinity : recency[i]!);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return { days: NaN, youden: NaN };
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
  // Cutting below the smallest value flags everyone: J = 0. Each step moves one group to "not flagged".
  let best: RecencyCut = { days: key(order[0]!) - 1, youden: 0 };
  let tpBelow = 0;
  let fpBelow = 0;
  for (let start = 0; start < n; ) {
    const v = key(order[start]!);
    let end = start;
    while (end < n && key(order[end]!) === v) {
      if (y[order[end]!] === 1) tpBelow++;
      else fpBelow++;
      end++;
    }
    if (v === Infinity) break;
    const youden = (positives - tpBelow) / positives - (negatives - fpBelow) / negatives;
    if (youden > best.youden + 1e-12) best = { days: v, youden };
    start = end;
  }
  return best;
}
