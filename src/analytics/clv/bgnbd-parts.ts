/**
 * The BG/NBD fit's log-likelihood over compressed rows, in two fixed parts so that two threads can share it.
 *
 * Every term that depends on x, t_x or T alone is computed once per distinct value, leaving one exp and one log per
 * distinct (x, t_x, T) row (and one log per 512 unit-weight rows, see below). The rows are cut into two parts at a
 * fixed place (part 0: the x = 0 rows and the first half of the others; part 1: the second half), each part is summed
 * on its own, and the total is part 0 + part 1. Whether one thread sums both parts or two threads sum one each
 * (bgnbd-helper.ts), every operation happens in the same order, so the result is the same to the last bit: the
 * thread count never changes a fit.
 */
import { groupRows, uniqueValues } from './compress.js';
import { lgammaDiff } from './special-functions.js';

/** Distinct rows and per-value tables; plain typed arrays, so a worker can build the same from the same inputs. */
export interface BgNbdRows {
  ux: Float64Array;
  utx: Float64Array;
  uT: Float64Array;
  /** x = 0 rows: index into uT, weight. */
  zT: Int32Array;
  zW: Float64Array;
  /** x > 0 rows: x, index into ux, into utx, into uT, weight. */
  pX: Float64Array;
  pXi: Int32Array;
  pTx: Int32Array;
  pT: Int32Array;
  pW: Float64Array;
  totalWeight: number;
  /** One input row per distinct row (x = 0 rows first), for the predictions a ridge check compares. */
  distinct: Int32Array;
}

export function compressBgNbdRows(x: Float64Array, tx: Float64Array, T: Float64Array, weights?: Float64Array): BgNbdRows {
  const ux = uniqueValues(x);
  const utx = uniqueValues(tx);
  const uT = uniqueValues(T);
  const zero = groupRows([uT.index], [uT.values.length], weights, (i) => x[i] === 0);
  const pos = groupRows(
    [ux.index, utx.index, uT.index],
    [ux.values.length, utx.values.length, uT.values.length],
    weights,
    (i) => (x[i] as number) > 0,
  );
  let totalWeight = 0;
  for (const w of zero.weight) totalWeight += w;
  for (const w of pos.weight) totalWeight += w;
  return {
    ux: ux.values,
    utx: utx.values,
    uT: uT.values,
    zT: zero.first.map((i) => uT.index[i] as number),
    zW: zero.weight,
    pX: Float64Array.from(pos.first, (i) => x[i] as number),
    pXi: pos.first.map((i) => ux.index[i] as number),
    pTx: pos.first.map((i) => utx.index[i] as number),
    pT: pos.first.map((i) => uT.index[i] as number),
    pW: pos.weight,
    totalWeight,
    distinct: Int32Array.from([...zero.first, ...pos.first]),
  };
}

/** Where part 1 starts among the x > 0 rows. */
const splitAt = (rows: BgNbdRows): number => rows.pX.length >> 1;

/** One part's log-likelihood at log-parameters `lp` (log r, log alpha, log a, log b). */
export type PartSummer = (lp: ArrayLike<number>, part: 0 | 1) => number;

/** A PartSummer, allocation-free per call: it keeps its own scratch tables, so each thread needs one. */
export function partSummer(rows: BgNbdRows): PartSummer {
  const { ux, utx, uT, zT, zW, pX, pXi, pTx, pT, pW } = rows;
  const G = new Float64Array(ux.length);
  const LA = new Float64Array(ux.length);
  const lnT = new Float64Array(uT.length);
  const lnTx = new Float64Array(utx.length);
  const mid = splitAt(rows);
  return (lp, part) => {
    const r = Math.exp(lp[0] as number);
    const alpha = Math.exp(lp[1] as number);
    const a = Math.exp(lp[2] as number);
    const b = Math.exp(lp[3] as number);
    const lnAlpha = Math.log(alpha);
    const lnA = Math.log(a);
    for (let u = 0; u < G.length; u++) {
      const xv = ux[u] as number;
      if (xv === 0) continue;
      // Each log-gamma difference taken whole (lgammaDiff), never as lgamma(z + x) − lgamma(z): on the ridge where a
      // and b grow together (a point-mass dropout probability), lgamma(b) ~ 1e9 and the plain difference kept only
      // ~1e-8 absolute accuracy per customer, a noise the optimiser crept along and the 1e-4 tolerance on the total
      // log-likelihood of 1M customers could not see through.
      G[u] = lgammaDiff(r, xv) + lgammaDiff(b, xv) - lgammaDiff(a + b, xv) + r * lnAlpha;
      LA[u] = lnA - Math.log(b + xv - 1);
    }
    for (let u = 0; u < lnT.length; u++) lnT[u] = Math.log(alpha + (uT[u] as number));
    for (let u = 0; u < lnTx.length; u++) lnTx[u] = Math.log(alpha + (utx[u] as number));
    let sum = 0;
    if (part === 0) for (let k = 0; k < zW.length; k++) sum += (zW[k] as number) * r * (lnAlpha - (lnT[zT[k] as number] as number));
    // log of the bracket is a3 + log(1 + e^d), d = a4 − a3, written as max(0, d) + log(1 + e^−|d|). The factor
    // 1 + e^−|d| lies in (1, 2], so for unit-weight rows the factors are multiplied and one log is taken per 512
    // rows (2^512 cannot overflow): this halves the transcendental calls, which dominate the cost.
    let prod = 1;
    let batched = 0;
    const end = part === 0 ? mid : pX.length;
    for (let k = part === 0 ? 0 : mid; k < end; k++) {
      const xi = pXi[k] as number;
      const rx = r + (pX[k] as number);
      const lt = lnT[pT[k] as number] as number;
      const d = (LA[xi] as number) + rx * (lt - (lnTx[pTx[k] as number] as number));
      const w = pW[k] as number;
      const factor = 1 + Math.exp(d > 0 ? -d : d);
      sum += w * ((G[xi] as number) - rx * lt + (d > 0 ? d : 0));
      if (w === 1) {
        prod *= factor;
        if (++batched === 512) {
          sum += Math.log(prod);
          prod = 1;
          batched = 0;
        }
      } else {
        sum += w * Math.log(factor);
      }
    }
    return sum + Math.log(prod);
  };
}
