/**
 * What to conclude when starts reach the same likelihood at different parameters: a flat ridge.
 *
 * Maximum likelihood can have no unique maximiser while still pinning down everything the model is used for. In
 * BG/NBD, when the data shows no dropout, a → 0 (any b) gives the NBD limit; in Gamma-Gamma, when within-customer
 * spend variation is not visible, p → ∞ and v → 0 with p·v fixed give the same limit. Along such a ridge the
 * log-likelihood changes by less than the optimiser's tolerance over several units of log-parameter, so two starts
 * stop at points far apart. Refusing every such fit would withhold predictions the data determines; accepting it
 * blindly would publish parameters as if they were estimated. The rule applied here:
 *
 *   the plateau is every start whose total log-likelihood is within LL_TOLERANCE of the best; parameters whose
 *   log differs by more than PARAM_TOLERANCE across the plateau are *weakly identified*; the fit may still count
 *   as converged only if the predictions the model is used for (computed by the caller at every plateau point, on
 *   the data's own rows) agree with the best point's to a relative PREDICTION_TOLERANCE (absolute floor
 *   PREDICTION_FLOOR for predictions near 0). A NaN prediction (e.g. a mean that does not exist) agrees only with
 *   NaN. Standard errors are then given for the identified parameters only, from the Hessian block that excludes
 *   the weak ones (conditional on them), and the weak ones get NaN.
 *
 * This does not rescue two optima with different likelihoods, nor a likelihood that is still rising where the
 * search box stops it (the supremum may be infinite); a box edge reached along a likelihood that has flattened out
 * is a ridge like any other (fit-judge.ts decides which).
 */
import { choleskyInverse } from './optimize.js';

/** Two optimum values are the same when total log-likelihoods differ by at most this. */
export const LL_TOLERANCE = 1e-4;
/** Two optimum locations are the same when every log-parameter differs by at most this (0.1 % relative). */
export const PARAM_TOLERANCE = 1e-3;
/** Predictions agree when |a − b| ≤ PREDICTION_TOLERANCE · max(|a|, |b|) + PREDICTION_FLOOR. */
export const PREDICTION_TOLERANCE = 1e-3;
export const PREDICTION_FLOOR = 1e-6;

/**
 * Largest disagreement between two prediction vectors, relative to max(|a|, |b|) + PREDICTION_FLOOR / PREDICTION_TOLERANCE
 * (so that `agree` is exactly `worst <= PREDICTION_TOLERANCE`); Infinity when a NaN meets a number.
 */
export function predictionGap(a: Float64Array, b: Float64Array): { worst: number; agree: boolean } {
  if (a.length !== b.length) throw new RangeError('prediction vectors differ in length');
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const u = a[i] as number;
    const v = b[i] as number;
    if (Number.isNaN(u) || Number.isNaN(v)) {
      if (Number.isNaN(u) !== Number.isNaN(v)) worst = Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(u - v) / (Math.max(Math.abs(u), Math.abs(v)) + PREDICTION_FLOOR / PREDICTION_TOLERANCE));
  }
  return { worst, agree: worst <= PREDICTION_TOLERANCE };
}

/** Indices of the coordinates whose values spread by more than PARAM_TOLERANCE across the points. */
export function spreadCoordinates(points: Float64Array[]): number[] {
  const first = points[0];
  if (!first) return [];
  const out: number[] = [];
  for (let d = 0; d < first.length; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      lo = Math.min(lo, p[d] as number);
      hi = Math.max(hi, p[d] as number);
    }
    if (hi - lo > PARAM_TOLERANCE) out.push(d);
  }
  return out;
}

/**
 * Standard errors (on the parameter scale, by the delta method from log space) of the coordinates not in `skip`,
 * from the inverse of the Hessian block over the kept coordinates; skipped ones are NaN. Null when that block is
 * not positive definite. `hessian` is of the mean negative log-likelihood, hence the division by totalWeight.
 */
export function blockStdErrors(hessian: Float64Array, logParams: Float64Array, totalWeight: number, skip: number[] = []): Float64Array | null {
  const n = logParams.length;
  const keep = Array.from({ length: n }, (_, d) => d).filter((d) => !skip.includes(d));
  const k = keep.length;
  const block = new Float64Array(k * k);
  keep.forEach((i, a) => keep.forEach((j, b) => (block[a * k + b] = hessian[i * n + j] as number)));
  const cov = k > 0 ? choleskyInverse(block, k) : new Float64Array(0);
  if (!cov) return null;
  const se = new Float64Array(n).fill(NaN);
  keep.forEach((d, a) => (se[d] = Math.exp(logParams[d] as number) * Math.sqrt((cov[a * k + a] as number) / totalWeight)));
  return se;
}
