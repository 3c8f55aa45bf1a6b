/**
 * BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): the likelihood and its
 * maximum-likelihood fit.
 *
 * Per customer, x = repeat transactions, tx = time of the last one since the first purchase, T = age at the end of
 * calibration, all in one time unit. The likelihood is
 *   L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / Γ(r) · [ (α+T)^−(r+x) + δ(x>0) a/(b+x−1) · (α+tx)^−(r+x) ],
 * evaluated in logs with log-sum-exp for the bracket as lifetimes does. `bgnbdLogLik` is the literal per-row
 * formula (the reference); the fit uses an equivalent evaluator over compressed rows in which every term that
 * depends on x, tx or T alone is computed once per distinct value, leaving one exp and one log1p per distinct row.
 */
import { bgnbdRowPredictions } from './bgnbd-predict.js';
import { groupRows, uniqueValues } from './compress.js';
import { multiStartFit, type FitOptions, type FitResult } from './fit-common.js';
import { checkRfm } from './rfm-input.js';
import { lgamma, lgammaDiff } from './special-functions.js';

export { checkRfm };

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Total (weighted) BG/NBD log-likelihood, straight from the formula. */
export function bgnbdLogLik(
  params: BgNbdParams,
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  weights?: Float64Array,
): number {
  checkRfm(x, tx, T, weights);
  const { r, alpha, a, b } = params;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const a1 = lgamma(r + xi) - lgamma(r) + r * Math.log(alpha);
    const a2 = lgamma(a + b) + lgamma(b + xi) - lgamma(b) - lgamma(a + b + xi);
    const a3 = -(r + xi) * Math.log(alpha + (T[i] as number));
    let ll = a1 + a2 + a3;
    if (xi > 0) {
      const a4 = Math.log(a) - Math.log(b + xi - 1) - (r + xi) * Math.log(alpha + (tx[i] as number));
      const m = Math.max(a3, a4);
      ll = a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
    }
    total += ll * (weights ? (weights[i] as number) : 1);
  }
  return total;
}

const toParams = (p: Float64Array): BgNbdParams => ({
  r: Math.exp(p[0] as number),
  alpha: Math.exp(p[1] as number),
  a: Math.exp(p[2] as number),
  b: Math.exp(p[3] as number),
});

/** Mean negative log-likelihood over log-parameters, on compressed rows; allocation-free per call. */
function compressedObjective(x: Float64Array, tx: Float64Array, T: Float64Array, weights?: Float64Array) {
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
  const zT = zero.first.map((i) => uT.index[i] as number);
  const zW = zero.weight;
  const np = pos.first.length;
  const pX = Float64Array.from(pos.first, (i) => x[i] as number);
  const pXi = pos.first.map((i) => ux.index[i] as number);
  const pTx = pos.first.map((i) => utx.index[i] as number);
  const pT = pos.first.map((i) => uT.index[i] as number);
  const pW = pos.weight;
  let totalWeight = 0;
  for (const w of zW) totalWeight += w;
  for (const w of pW) totalWeight += w;
  const G = new Float64Array(ux.values.length);
  const LA = new Float64Array(ux.values.length);
  const lnT = new Float64Array(uT.values.length);
  const lnTx = new Float64Array(utx.values.length);

  const objective = (lp: Float64Array): number => {
    const r = Math.exp(lp[0] as number);
    const alpha = Math.exp(lp[1] as number);
    const a = Math.exp(lp[2] as number);
    const b = Math.exp(lp[3] as number);
    const lnAlpha = Math.log(alpha);
    const lnA = Math.log(a);
    for (let u = 0; u < G.length; u++) {
      const xv = ux.values[u] as number;
      if (xv === 0) continue;
      // Each log-gamma difference taken whole (lgammaDiff), never as lgamma(z + x) − lgamma(z): on the ridge where a
      // and b grow together (a point-mass dropout probability), lgamma(b) ~ 1e9 and the plain difference kept only
      // ~1e-8 absolute accuracy per customer, a noise the optimiser crept along and the 1e-4 tolerance on the total
      // log-likelihood of 1M customers could not see through.
      G[u] = lgammaDiff(r, xv) + lgammaDiff(b, xv) - lgammaDiff(a + b, xv) + r * lnAlpha;
      LA[u] = lnA - Math.log(b + xv - 1);
    }
    for (let u = 0; u < lnT.length; u++) lnT[u] = Math.log(alpha + (uT.values[u] as number));
    for (let u = 0; u < lnTx.length; u++) lnTx[u] = Math.log(alpha + (utx.values[u] as number));
    let sum = 0;
    for (let k = 0; k < zW.length; k++) sum += (zW[k] as number) * r * (lnAlpha - (lnT[zT[k] as number] as number));
    // log of the bracket is a3 + log(1 + e^d), d = a4 − a3, written as max(0, d) + log(1 + e^−|d|). The factor
    // 1 + e^−|d| lies in (1, 2], so for unit-weight rows the factors are multiplied and one log is taken per 512
    // rows (2^512 cannot overflow): this halves the transcendental calls, which dominate the cost.
    let prod = 1;
    let batched = 0;
    for (let k = 0; k < np; k++) {
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
    sum += Math.log(prod);
    return -sum / totalWeight;
  };
  // One representative input row per distinct (x, tx, T) row, for the predictions a ridge check compares.
  const distinct = Int32Array.from([...zero.first, ...pos.first]);
  return { objective, rows: zW.length + np, totalWeight, distinct };
}

/**
 * Maximum-likelihood BG/NBD fit from several deterministic starts (see fit-common for the convergence rules).
 * Starting values put alpha at r / (observed repeat rate), the scale on which alpha lives. `horizon` is the span
 * (in the data's time unit; default the longest T) over which expected purchases must agree on a likelihood ridge.
 */
export function fitBgNbd(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  opts: FitOptions & { weights?: Float64Array; horizon?: number } = {},
): FitResult<BgNbdParams> {
  checkRfm(x, tx, T, opts.weights);
  if (x.length === 0) throw new RangeError('fitBgNbd: no customers');
  const { objective, rows, totalWeight, distinct } = compressedObjective(x, tx, T, opts.weights);
  const horizon = opts.horizon ?? T.reduce((m, v) => Math.max(m, v), 0);
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < x.length; i++) {
    const w = opts.weights ? (opts.weights[i] as number) : 1;
    sx += w * (x[i] as number);
    sT += w * (T[i] as number);
  }
  const rate = sx > 0 && sT > 0 ? sx / sT : 1 / Math.max(1, sT / totalWeight);
  const seeds: Array<[number, number, number]> = [
    [0.5, 1, 1],
    [1, 0.5, 3],
    [0.25, 2, 5],
    [2, 0.3, 0.7],
    [0.1, 1, 10],
    [5, 3, 1],
  ];
  const starts = seeds.map(([r, a, b]) => Float64Array.from([Math.log(r), Math.log(r / rate), Math.log(a), Math.log(b)]));
  const predict = (p: BgNbdParams): Float64Array => bgnbdRowPredictions(p, horizon, x, tx, T, distinct);
  const fit = multiStartFit(objective, starts, totalWeight, toParams, rows, opts, predict);
  if (sx === 0) {
    // Without repeat purchases the likelihood is maximised only in the limit r → 0 and ignores a and b.
    fit.diagnostics.unshift('no customer has a repeat purchase: the model is not identified');
    fit.converged = false;
    fit.weaklyIdentified = [];
    fit.notes = [];
  } else if (fit.weaklyIdentified.includes('a') && fit.params.a / (fit.params.a + fit.params.b) < 1e-6) {
    // a → 0 puts the whole Beta dropout distribution at 0: the NBD model, in which nobody drops out (P(alive) → 1
    // unless a customer's silence is extreme relative to a/b).
    fit.notes.push(`no dropout is visible in the data: the fit is the NBD limit of BG/NBD (mean dropout probability per purchase ` +
      `a/(a+b) = ${(fit.params.a / (fit.params.a + fit.params.b)).toExponential(1)}), so p_alive stays near 1`);
  }
  return fit;
}
