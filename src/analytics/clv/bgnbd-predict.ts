/**
 * BG/NBD predictions: conditional expected purchases in (T, T+t] (FHL 2005 eq. 10), the probability a customer is
 * still alive, and the unconditional E[X(t)] for a new customer.
 *
 * Eq. 10 is  E = C/(a−1) · [1 − w^(r+x) · 2F1(r+x, b+x; C; z)] / D,  C = a+b+x−1, z = t/(α+T+t), w = 1−z,
 * D = 1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tx))^(r+x).
 * Taken literally it has a 0/0 at a = 1 and w^(r+x)·2F1 multiplies an underflowing power by an overflowing series
 * for heavy buyers. Euler's transformation 2F1(A, B; C; z) = w^(C−A−B) 2F1(C−A, C−B; C; z) with C − B = a − 1 turns
 * the bracket into w^(a−1) · 2F1(a+b−1−r, a−1; C; z), and writing that 2F1 as 1 + (a−1)·R (R = hyp2f1Reduced) gives
 *   E = C · [ −expm1((a−1) ln w)/(a−1) − w^(a−1) · R ] / D,
 * which is finite and accurate for every a > 0 (the first term tends to −ln w at a = 1) and does not overflow unless
 * a − 1 is large (its series grows like w^−(a−1)): when a − 1 > max(1, r + x) the literal form is used instead.
 */
import type { BgNbdParams } from './bgnbd.js';
import { groupRows, uniqueValues, type GroupedRows } from './compress.js';
import { checkRfm } from './rfm-input.js';
import { hyp2f1, hyp2f1Reduced } from './special-functions.js';

/**
 * The customers grouped by (x, t_x, T), t_x read as 0 where x = 0 (it carries nothing there), so that the predictions,
 * which depend on that triple alone, are computed once per group: at 1M customers 880k rows fall in about 180k groups.
 */
export function rfmTriples(x: Float64Array, tx: Float64Array, T: Float64Array): GroupedRows {
  const txKey = x.map((xi, i) => (xi > 0 ? (tx[i] as number) : 0));
  const ux = uniqueValues(x);
  const utx = uniqueValues(txKey);
  const uT = uniqueValues(T);
  return groupRows([ux.index, utx.index, uT.index], [ux.values.length, utx.values.length, uT.values.length], undefined);
}

/** The caller's groups of these customers (checked to cover them), else rfmTriples of them. */
export function triplesOf(x: Float64Array, tx: Float64Array, T: Float64Array, given?: GroupedRows): GroupedRows {
  const triples = given ?? rfmTriples(x, tx, T);
  if (triples.group.length !== x.length) throw new RangeError(`${triples.group.length} grouped rows for ${x.length} customers`);
  return triples;
}

/** Expected purchases in (T, T+t] for one customer; x = tx = T = 0 gives the unconditional E[X(t)]. */
export function expectedPurchasesOne(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (!(t >= 0)) throw new RangeError(`t must be >= 0 (got ${t})`);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const A = r + x;
  const C = a + b + x - 1;
  const z = t / (alpha + T + t);
  const lnW = Math.log(alpha + T) - Math.log(alpha + T + t);
  const am1 = a - 1;
  let bracket: number;
  if (am1 > 1 && am1 > A) {
    // Large a (a, b → ∞ on a likelihood ridge, e.g. a constant dropout probability): the Euler series grows like
    // w^−(a−1) and overflows, while the literal form's grows only like w^−(r+x); its 1/(a−1) is harmless here.
    bracket = (C / am1) * (1 - Math.exp(A * lnW) * hyp2f1(A, b + x, C, z));
  } else {
    const first = am1 === 0 ? -lnW : -Math.expm1(am1 * lnW) / am1;
    const R = hyp2f1Reduced(C - A, am1, C, z);
    bracket = C * (first - Math.exp(am1 * lnW) * R);
  }
  const D = x > 0 ? 1 + (a / (b + x - 1)) * Math.exp(A * (Math.log(alpha + T) - Math.log(alpha + tx))) : 1;
  return bracket / D;
}

/**
 * Conditional expected number of purchases in (T, T+t] per customer (FHL 2005 eq. 10), computed once per (x, t_x, T)
 * group (`triples`: rfmTriples of the same arrays, when the caller has them already).
 */
export function bgnbdExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  given?: GroupedRows,
): Float64Array {
  checkRfm(x, tx, T);
  const triples = triplesOf(x, tx, T, given);
  const perGroup = new Float64Array(triples.first.length);
  for (let g = 0; g < perGroup.length; g++) {
    const i = triples.first[g] as number;
    const xi = x[i] as number;
    perGroup[g] = expectedPurchasesOne(params, t, xi, xi > 0 ? (tx[i] as number) : 0, T[i] as number);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = perGroup[triples.group[i] as number] as number;
  return out;
}

/** Probability each customer is still alive at T: 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+tx))^(r+x)). */
export function bgnbdPAlive(params: BgNbdParams, x: Float64Array, tx: Float64Array, T: Float64Array): Float64Array {
  checkRfm(x, tx, T);
  const { r, alpha, a, b } = params;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (xi === 0) {
      out[i] = 1;
      continue;
    }
    const lnOdds = Math.log(a / (b + xi - 1)) + (r + xi) * (Math.log(alpha + (T[i] as number)) - Math.log(alpha + (tx[i] as number)));
    out[i] = 1 / (1 + Math.exp(lnOdds));
  }
  return out;
}

/** Unconditional expected number of repeat purchases in (0, t] for a customer who just made a first purchase. */
export function bgnbdUnconditionalExpected(params: BgNbdParams, t: number): number {
  return expectedPurchasesOne(params, t, 0, 0, 0);
}

/**
 * What a BG/NBD fit publishes, at the listed rows: expected purchases in the next t, then P(alive), one vector.
 * The fit compares these across equally likely parameters (fit-common) to tell a harmless ridge from a real one.
 */
export function bgnbdRowPredictions(params: BgNbdParams, t: number, x: Float64Array, tx: Float64Array, T: Float64Array, rows: Int32Array): Float64Array {
  const n = rows.length;
  const out = new Float64Array(2 * n);
  const { r, alpha, a, b } = params;
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    const xi = x[i] as number;
    const ti = xi > 0 ? (tx[i] as number) : 0;
    const Ti = T[i] as number;
    out[k] = expectedPurchasesOne(params, t, xi, ti, Ti);
    const lnOdds = xi > 0 ? Math.log(a / (b + xi - 1)) + (r + xi) * (Math.log(alpha + Ti) - Math.log(alpha + ti)) : -Infinity;
    out[n + k] = 1 / (1 + Math.exp(lnOdds));
  }
  return out;
}
