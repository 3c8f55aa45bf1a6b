/**
 * Validation of the per-customer BG/NBD summaries (x, t_x, T) shared by the fit, the predictions and the CLV. Kept
 * apart from bgnbd.ts so that the fit can use the predictions (to test a likelihood ridge) without an import cycle.
 */

/** Throws unless x, tx, T (and weights) are equally long, finite, x >= 0 and 0 <= tx <= T where x > 0. */
export function checkRfm(x: Float64Array, tx: Float64Array, T: Float64Array, weights?: Float64Array): void {
  const n = x.length;
  if (tx.length !== n || T.length !== n || (weights && weights.length !== n)) {
    throw new RangeError('x, tx, T (and weights) must have the same length');
  }
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const ti = tx[i] as number;
    const Ti = T[i] as number;
    if (!(xi >= 0 && Number.isFinite(xi) && Ti >= 0 && Number.isFinite(Ti))) {
      throw new RangeError(`row ${i}: x must be >= 0 and T >= 0 (got x=${xi}, T=${Ti})`);
    }
    if (xi > 0 && !(ti >= 0 && ti <= Ti)) throw new RangeError(`row ${i}: need 0 <= tx <= T (got tx=${ti}, T=${Ti})`);
    if (weights && !((weights[i] as number) >= 0)) throw new RangeError(`row ${i}: weights must be >= 0`);
  }
}
