/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): each transaction value
 * is Gamma(p, ν) and ν varies across customers as Gamma(q, v), so a customer's mean m of x repeat transactions has
 *   f(m | p, q, v, x) = Γ(px+q) / (Γ(px) Γ(q)) · v^q m^(px−1) x^(px) / (v + x m)^(px+q),
 * the same form lifetimes fits. Only customers with x > 0 carry information (rows with x = 0 are skipped), and m
 * must be positive. The conditional expected average transaction value is E[Z | x, m] = p (v + x m) / (p x + q − 1),
 * which for x = 0 is the population mean p v / (q − 1); see gammaGammaExpectedSpend for when each exists.
 */
import { groupRows, uniqueValues } from './compress.js';
import { coarseRows } from './coarse-sample.js';
import { multiStartFit, type FitOptions, type FitResult } from './fit-common.js';
import { lgamma, lgammaDiff } from './special-functions.js';

const ZERO = new Float64Array(1);

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

function checkSpend(x: Float64Array, m: Float64Array, weights?: Float64Array): void {
  if (m.length !== x.length || (weights && weights.length !== x.length)) {
    throw new RangeError('x, m (and weights) must have the same length');
  }
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (!(xi >= 0 && Number.isFinite(xi))) throw new RangeError(`row ${i}: x must be >= 0 (got ${xi})`);
    if (xi > 0 && !((m[i] as number) > 0 && Number.isFinite(m[i] as number))) {
      throw new RangeError(`row ${i}: monetary value must be > 0 for a repeat customer (got ${m[i]})`);
    }
  }
}

/** Total (weighted) Gamma-Gamma log-likelihood over customers with x > 0, straight from the formula. */
export function gammaGammaLogLik(params: GammaGammaParams, x: Float64Array, m: Float64Array, weights?: Float64Array): number {
  checkSpend(x, m, weights);
  const { p, q, v } = params;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    const mi = m[i] as number;
    const px = p * xi;
    const ll =
      lgamma(px + q) - lgamma(px) - lgamma(q) + q * Math.log(v) +
      (px - 1) * Math.log(mi) + px * Math.log(xi) - (px + q) * Math.log(v + xi * mi);
    total += ll * (weights ? (weights[i] as number) : 1);
  }
  return total;
}

/**
 * Conditional expected average transaction value per customer (Fader, Hardie & Lee 2005, "RFM and CLV: using
 * iso-value curves", §4 and its technical note "The Gamma-Gamma model of monetary value"): given x transactions with
 * mean m, the posterior of ν is Gamma(shape p·x + q, rate v + x·m), and E[1/ν] under a Gamma(k, rate θ) is θ/(k − 1)
 * for k > 1, so
 *   E[Z | x, m] = p · (v + x·m) / (p·x + q − 1),   finite iff p·x + q > 1.
 * For x = 0 (no repeat transaction) that is the population mean p·v/(q − 1), which exists only for q > 1. A repeat
 * buyer's conditional mean can exist when the population mean does not: with q ≤ 1 the spread of spend levels across
 * customers is too heavy-tailed for a typical customer to have a mean, yet every observed transaction adds p to the
 * posterior shape. Where the expectation does not exist the result is NaN (published as NULL), never a negative or
 * infinite number.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: Float64Array, m: Float64Array): Float64Array {
  checkSpend(x, m);
  const { p, q, v } = params;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const shape = p * xi + q;
    out[i] = shape > 1 ? (p * (v + (xi > 0 ? xi * (m[i] as number) : 0))) / (shape - 1) : NaN;
  }
  return out;
}

const toParams = (lp: Float64Array): GammaGammaParams => ({
  p: Math.exp(lp[0] as number),
  q: Math.exp(lp[1] as number),
  v: Math.exp(lp[2] as number),
});

/** The fit's objective over the customers with x > 0 of (x, m, weights), and what the fit needs of its rows. */
interface SpendRows {
  /** Mean negative log-likelihood per customer at log-parameters (log p, log q, log v). */
  objective: (lp: Float64Array) => number;
  totalWeight: number;
  /** Distinct (x, m) rows, sorted by x: the input row of each, and its m. */
  n: number;
  src: number[];
  rm: Float64Array;
  meanM: number;
}

function spendRows(x: Float64Array, m: Float64Array, weights?: Float64Array): SpendRows {
  const xIdx = uniqueValues(x);
  const mIdx = uniqueValues(m);
  const sizes = [xIdx.values.length, mIdx.values.length];
  const g = groupRows([xIdx.index, mIdx.index], sizes, weights, (i) => (x[i] as number) > 0);
  const n = g.first.length;
  if (n === 0) throw new RangeError('fitGammaGamma: no customer with x > 0');
  // Rows sorted by x, so every row of one x shares the coefficient (p·x + q) of log(v + x·m).
  const rows = Array.from(g.first.keys()).sort((i, j) => (x[g.first[i] as number] as number) - (x[g.first[j] as number] as number));
  const src = rows.map((k) => g.first[k] as number);
  const w = Float64Array.from(rows, (k) => g.weight[k] as number);
  const rm = Float64Array.from(src, (i) => m[i] as number);
  const rlnm = rm.map(Math.log);
  const xs: number[] = [];
  const starts0: number[] = [];
  src.forEach((i, k) => {
    if (k === 0 || x[i] !== x[src[k - 1] as number]) {
      xs.push(x[i] as number);
      starts0.push(k);
    }
  });
  starts0.push(n);
  const ux = Float64Array.from(xs);
  const lnX = ux.map(Math.log);
  const blockStart = Int32Array.from(starts0);
  let totalWeight = 0;
  let meanM = 0;
  for (let k = 0; k < n; k++) {
    totalWeight += w[k] as number;
    meanM += (w[k] as number) * (rm[k] as number);
  }
  meanM /= totalWeight;

  // Per row, (p·x − 1)·ln m + p·x·ln x − (p·x + q)·ln(v + x·m) = −ln m − q·ln(x·m) − (p·x + q)·log1p(v / (x·m)): the
  // same log-likelihood without the cancellation between p·x·ln(x·m) and p·x·ln(v + x·m) that makes the literal form
  // numerically noisy on the p → ∞, v → 0 ridge. Per block of one x it sums to
  //   W·(base + lgammaDiff(p·x, q) − q·ln x) − (1 + q)·Σ w ln m − (p·x + q)·Σ w log1p(v / (x·m)).
  const objective = (lp: Float64Array): number => {
    const p = Math.exp(lp[0] as number);
    const q = Math.exp(lp[1] as number);
    const v = Math.exp(lp[2] as number);
    const base = q * Math.log(v) - lgamma(q);
    let sum = 0;
    for (let u = 0; u < ux.length; u++) {
      const xv = ux[u] as number;
      const px = p * xv;
      // Σ w·log1p(ε), ε = v/(x·m): unit-weight factors 1 + ε with ε ≥ 1e-3 are multiplied and logged once per ~1e250
      // of product (rounding 1 + ε then costs at most ~1e-13 of ε), halving the log calls; smaller ε go to log1p.
      let wsum = 0;
      let l1 = 0;
      let lnmSum = 0;
      let prod = 1;
      const vx = v / xv;
      for (let k = blockStart[u] as number; k < (blockStart[u + 1] as number); k++) {
        const wk = w[k] as number;
        const eps = vx / (rm[k] as number);
        wsum += wk;
        lnmSum += wk * (rlnm[k] as number);
        if (wk === 1 && eps >= 1e-3 && eps < 1e50) {
          prod *= 1 + eps;
          if (prod > 1e250) {
            l1 += Math.log(prod);
            prod = 1;
          }
        } else {
          l1 += wk * Math.log1p(eps);
        }
      }
      l1 += Math.log(prod);
      sum += wsum * (base + lgammaDiff(px, q) - q * (lnX[u] as number)) - (1 + q) * lnmSum - (px + q) * l1;
    }
    return -sum / totalWeight;
  };
  return { objective, totalWeight, n, src, rm, meanM };
}

/** Maximum-likelihood Gamma-Gamma fit on the customers with x > 0 (see fit-common for the convergence rules). */
export function fitGammaGamma(
  x: Float64Array,
  m: Float64Array,
  opts: FitOptions & { weights?: Float64Array } = {},
): FitResult<GammaGammaParams> {
  checkSpend(x, m, opts.weights);
  const { objective, totalWeight, n, src, rm, meanM } = spendRows(x, m, opts.weights);
  // The coarse searches' sample (coarse-sample.ts).
  const picked = coarseRows(x, opts.coarseCustomers);
  const sampleObjective = picked ? spendRows(picked.x, picked.pick(m), picked.pick(opts.weights)).objective : undefined;
  // Starts spread over the shape parameters, with v set so that the implied mean p·v/(q−1) matches the data.
  const seeds: Array<[number, number]> = [
    [1, 2],
    [5, 3],
    [2, 10],
    [10, 1.5],
    [0.5, 5],
  ];
  const starts = seeds.map(([p, q]) => Float64Array.from([Math.log(p), Math.log(q), Math.log((meanM * (q - 1)) / p)]));
  // On a likelihood ridge the published predictions must agree: each distinct (x, m) row's expected spend, and the
  // population mean used for customers without repeats (NaN where it does not exist).
  const rowX = Float64Array.from(src, (i) => x[i] as number);
  const predict = (gp: GammaGammaParams): Float64Array => {
    const e = gammaGammaExpectedSpend(gp, rowX, rm);
    const out = new Float64Array(n + 1);
    out.set(e);
    out[n] = gammaGammaExpectedSpend(gp, ZERO, ZERO)[0] as number;
    return out;
  };
  const fit = multiStartFit(objective, starts, totalWeight, toParams, n, opts, predict, sampleObjective);
  if (fit.weaklyIdentified.includes('p') && fit.params.p >= 1e3) {
    // p → ∞ with p·v fixed: transaction values vary too little within a customer (next to the differences between
    // customers) for the data to measure it, and each repeat buyer's expected spend tends to their own mean.
    fit.notes.push(`spend variation within a customer is not identified (p → ∞ with p·v = ${(fit.params.p * fit.params.v).toPrecision(4)} fixed), ` +
      'so a repeat buyer\'s expected spend is close to their own mean');
  }
  return fit;
}
