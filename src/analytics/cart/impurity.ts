/**
 * Split criteria on class-weighted masses (a = w0·n0, b = w1·n1). Entropy is in bits, as in scikit-learn,
 * so `minImpurityDecrease` means the same thing in both tools. The search compares `childScore` sums
 * instead of impurity decreases: for a fixed parent they rank splits identically, cost one division
 * (gini) and skip the parent term whose cancellation would only add rounding noise.
 */
import type { Criterion } from './types.js';

function xlogx(v: number): number {
  return v > 0 ? v * Math.log(v) : 0;
}

/** Impurity of a node with class masses a (class 0) and b (class 1). */
export function impurity(criterion: Criterion, a: number, b: number): number {
  const w = a + b;
  if (w <= 0 || a <= 0 || b <= 0) return 0;
  if (criterion === 'gini') return 1 - (a * a + b * b) / (w * w);
  const pa = a / w;
  const pb = b / w;
  return -(pa * Math.log2(pa) + pb * Math.log2(pb));
}

/**
 * Larger is better; score(left) + score(right) = const - (weighted child impurity, up to a positive factor).
 * gini: (a² + b²) / w = w - w·gini.  entropy: a ln a + b ln b - w ln w = -w·H·ln 2.
 */
export function childScore(entropy: boolean, a: number, b: number): number {
  const w = a + b;
  if (entropy) return xlogx(a) + xlogx(b) - xlogx(w);
  return w > 0 ? (a * a + b * b) / w : 0;
}

/** Weighted impurity decrease W·i(parent) - WL·i(L) - WR·i(R) of a split given class masses. */
export function impurityDecrease(
  criterion: Criterion,
  aLeft: number,
  bLeft: number,
  aRight: number,
  bRight: number,
): number {
  const a = aLeft + aRight;
  const b = bLeft + bRight;
  return (
    (a + b) * impurity(criterion, a, b) -
    (aLeft + bLeft) * impurity(criterion, aLeft, bLeft) -
    (aRight + bRight) * impurity(criterion, aRight, bRight)
  );
}
