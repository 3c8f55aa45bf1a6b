/**
 * BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): the likelihood and its
 * maximum-likelihood fit.
 *
 * Per customer, x = repeat transactions, tx = time of the last one since the first purchase, T = age at the end of
 * calibration, all in one time unit. The likelihood is
 *   L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / Γ(r) · [ (α+T)^−(r+x) + δ(x>0) a/(b+x−1) · (α+tx)^−(r+x) ],
 * evaluated in logs with log-sum-exp for the bracket as lifetimes does. `bgnbdLogLik` is the literal per-row
 * formula (the reference); the fit uses an equivalent evaluator over compressed rows (bgnbd-parts.ts), summed in two
 * fixed parts, the second on a helper thread when the caller passes one (bgnbd-helper.ts), with the same result.
 */
import { bgnbdRowPredictions } from './bgnbd-predict.js';
import type { LikelihoodHelper } from './bgnbd-helper.js';
import { compressBgNbdRows, partSummer } from './bgnbd-parts.js';
import { coarseRows } from './coarse-sample.js';
import { multiStartFit, type FitOptions, type FitResult } from './fit-common.js';
import { checkRfm } from './rfm-input.js';
import { lgamma } from './special-functions.js';

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

/**
 * Maximum-likelihood BG/NBD fit from several deterministic starts (see fit-common for the convergence rules).
 * Starting values put alpha at r / (observed repeat rate), the scale on which alpha lives. `horizon` is the span
 * (in the data's time unit; default the longest T) over which expected purchases must agree on a likelihood ridge.
 * With a `helper` (bgnbd-helper.ts, started by the caller on these very arrays, and stopped by it) a worker sums half
 * of the likelihood's rows; the fit is the same to the bit.
 */
export function fitBgNbd(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  opts: FitOptions & { weights?: Float64Array; horizon?: number; helper?: LikelihoodHelper } = {},
): FitResult<BgNbdParams> {
  checkRfm(x, tx, T, opts.weights);
  if (x.length === 0) throw new RangeError('fitBgNbd: no customers');
  const helper = opts.helper;
  if (helper && (helper.inputs.x !== x || helper.inputs.tx !== tx || helper.inputs.T !== T || helper.inputs.weights !== opts.weights)) {
    throw new Error('fitBgNbd: the likelihood helper was started on other arrays than the fit was given');
  }
  const compressed = compressBgNbdRows(x, tx, T, opts.weights);
  const { totalWeight, distinct } = compressed;
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
  const summer = partSummer(compressed);
  const objective = (lp: Float64Array): number => -(helper ? helper.sum(lp, summer) : summer(lp, 0) + summer(lp, 1)) / totalWeight;
  // The coarse searches' sample (coarse-sample.ts), summed on this thread: the helper holds the full rows.
  const picked = coarseRows(x, opts.coarseCustomers);
  let sampleObjective: ((lp: Float64Array) => number) | undefined;
  if (picked) {
    const sampled = compressBgNbdRows(picked.x, picked.pick(tx), picked.pick(T), picked.pick(opts.weights));
    const sum = partSummer(sampled);
    sampleObjective = (lp) => -(sum(lp, 0) + sum(lp, 1)) / sampled.totalWeight;
  }
  const fit = multiStartFit(objective, starts, totalWeight, toParams, compressed.zW.length + compressed.pW.length, opts, predict, sampleObjective);
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
