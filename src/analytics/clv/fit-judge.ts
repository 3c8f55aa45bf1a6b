/**
 * The verdict on a multi-start fit (fit-common runs the searches, this decides what may be published): the checks
 * listed in fit-common's header, with the ridge rule of identification.ts applied to two kinds of plateau point:
 *   - the second polish, when it reaches the best value (within LL_TOLERANCE) at other parameters;
 *   - the tail point, when the best sits at the search-box edge: the edge coordinates are pulled back TAIL_STEP
 *     log units towards the centre and held there while the others are re-optimised. If the gain left beyond the edge
 *     is within tailTolerance (LL_TOLERANCE up to a million customers, in proportion above), the likelihood has
 *     flattened out towards the edge: its supremum is a limit the box merely truncates. That gain is bounded by the
 *     last rise when the rise itself is within LL_TOLERANCE (for one approached like c/θ, 1/(e^TAIL_STEP − 1) ≈ 0.16
 *     of it is left); otherwise it is extrapolated from the last two rises (a second point 2·TAIL_STEP inside): rises
 *     shrinking by a factor q leave rise·q/(1 − q). Otherwise the estimate diverges — the likelihood may be unbounded
 *     (a point mass), or still far from its limit — and the fit is not converged.
 * Plateau points (and any coarse start at the best value) must then predict what the best point predicts.
 */
import { blockStdErrors, LL_TOLERANCE, PARAM_TOLERANCE, PREDICTION_TOLERANCE, predictionGap, spreadCoordinates } from './identification.js';
import { nelderMead, numericalHessian, type Objective } from './optimize.js';

/** Parameters beyond e^±EDGE count as at the edge of the e^±LOG_BOUND search box. */
export const LOG_BOUND = 20;
export const EDGE = LOG_BOUND - 2;
export const TAIL_STEP = 2;
/** Customers up to which the gain left beyond the edge is held to LL_TOLERANCE itself (tailTolerance). */
export const TAIL_CUSTOMERS = 1e6;

/**
 * The total log-likelihood a likelihood may still gain beyond the search-box edge: LL_TOLERANCE (1e-4) up to
 * TAIL_CUSTOMERS customers, then 1e-10 a customer. A ridge that flattens at the same rate per customer leaves a total
 * gain in proportion to the customers: on the 4M bench set (3.53M calibration customers) BG/NBD's rose 7.61e-4 over
 * the last 2 log units, shrinking by e^−2 each time (the c·e^−u limit) and leaving 1.19e-4, where the 1M set's left
 * 3.08e-5. Held to 1e-4 at any size, every 4M run refused the fit and published no CLV; Gamma-Gamma's left 9.15e-5
 * there, just inside. The bound stays far below what any likelihood-ratio test could see (1.92 for one parameter at
 * 5%), and the predictions along the tail must still agree (PREDICTION_TOLERANCE). A divergent likelihood, whose
 * rises do not shrink, has nothing left to bound and fails at any size.
 */
export function tailTolerance(totalWeight: number): number {
  return LL_TOLERANCE * Math.max(1, totalWeight / TAIL_CUSTOMERS);
}

export interface Point {
  x: Float64Array;
  f: number;
  converged: boolean;
}

export interface Verdict {
  diagnostics: string[];
  notes: string[];
  /** Indices of weakly identified coordinates (only meaningful when diagnostics is empty). */
  weak: number[];
  /** Standard errors on the parameter scale (NaN for weak coordinates), or null. */
  se: Float64Array | null;
  evaluations: number;
}

/** Best point with the edge coordinates held `inside` log units inside the edge and the others re-optimised. */
function tailPoint(f: Objective, best: Float64Array, edge: number[], maxIterations: number, inside = TAIL_STEP): { x: Float64Array; f: number; evaluations: number } {
  const x = Float64Array.from(best);
  for (const d of edge) x[d] = (x[d] as number) - Math.sign(x[d] as number) * inside;
  const free = Array.from(best.keys()).filter((d) => !edge.includes(d));
  if (free.length === 0) return { x, f: f(x), evaluations: 1 };
  const full = Float64Array.from(x);
  const g: Objective = (y) => {
    free.forEach((d, k) => (full[d] = y[k] as number));
    return f(full);
  };
  const r = nelderMead(g, Float64Array.from(free, (d) => best[d] as number), { step: 0.05, xTolerance: 1e-6, fTolerance: 1e-11, maxIterations });
  free.forEach((d, k) => (x[d] = r.x[k] as number));
  return { x, f: r.f, evaluations: r.evaluations };
}

export function judgeFit<P>(
  f: Objective, best: Point, second: Point | undefined, others: Point[], totalWeight: number, names: string[],
  toParams: (x: Float64Array) => P, predict: ((params: P) => Float64Array) | undefined, maxIterations: number,
): Verdict {
  const diagnostics: string[] = [];
  const notes: string[] = [];
  let evaluations = 0;
  if (!Number.isFinite(best.f)) diagnostics.push('log-likelihood is not finite at any start');
  if (!best.converged) diagnostics.push(`best run did not meet its tolerances in ${maxIterations} iterations`);
  const sameValue = (p: Point | { f: number }): boolean => Math.abs(p.f - best.f) * totalWeight <= LL_TOLERANCE;

  const plateau: Float64Array[] = [];
  let disagree = '';
  if (!second) {
    diagnostics.push('no second run to confirm the optimum');
  } else {
    const dLL = Math.abs(second.f - best.f) * totalWeight;
    const dx = Math.max(...Array.from(best.x, (v, d) => Math.abs((second.x[d] as number) - v)));
    disagree = `second-best start disagrees (Δlog-lik ${dLL.toExponential(2)}, max Δlog-param ${dx.toExponential(2)})`;
    if (!sameValue(second)) diagnostics.push(disagree);
    else if (dx > PARAM_TOLERANCE) plateau.push(second.x);
    else disagree = '';
  }
  const edge = Array.from(best.x.keys()).filter((d) => Math.abs(best.x[d] as number) >= EDGE);
  let edgeNote = '';
  // Set when the tail point joined the plateau by extrapolation, i.e. further below the best than LL_TOLERANCE.
  let tailBelow = '';
  if (edge.length > 0 && diagnostics.length === 0) {
    const tail = tailPoint(f, best.x, edge, maxIterations);
    evaluations += tail.evaluations;
    const rise = (tail.f - best.f) * totalWeight;
    // The gain left beyond the edge. Within LL_TOLERANCE outright when the last rise is; otherwise extrapolated from
    // the two last rises: a likelihood tending to a limit like c·e^(−u) rises by a constant factor q < 1 less per
    // TAIL_STEP (e^(−2) for c/θ), leaving rise·q/(1 − q) beyond the edge, while a diverging one does not shrink.
    // An absolute bound on the last rise alone does not scale: at 1M customers the ridge still rose by 2.0e-4.
    let left = rise;
    if (!sameValue(tail)) {
      const farther = tailPoint(f, best.x, edge, maxIterations, 2 * TAIL_STEP);
      evaluations += farther.evaluations;
      const q = rise / ((farther.f - tail.f) * totalWeight);
      left = q > 0 && q < 1 ? (rise * q) / (1 - q) : Infinity;
    }
    if (left <= tailTolerance(totalWeight)) {
      plateau.push(tail.x);
      if (left < rise) tailBelow = `; the point ${TAIL_STEP} log units inside the edge within ${rise.toExponential(2)}`;
      edgeNote = `; the likelihood rises by only ${rise.toExponential(2)} over the last ${TAIL_STEP} log units towards the ` +
        `search-box edge in ${edge.map((d) => names[d]).join(', ')}${left < rise ? ` and less each time (${left.toExponential(2)} left beyond it)` : ''}, so its supremum is a limit`;
    } else {
      diagnostics.push(`a parameter is at the edge of the search box (estimate diverges: the log-likelihood still rises by ` +
        `${rise.toExponential(2)} over the last ${TAIL_STEP} log units)`);
    }
  } else if (edge.length > 0) {
    diagnostics.push('a parameter is at the edge of the search box (estimate diverges)');
  }

  let weak: number[] = [];
  if (plateau.length > 0 && diagnostics.length === 0) {
    // Every start that stopped at the best value (coarse ones too) joins the comparison.
    const compare = [...plateau, ...others.filter((o) => o !== best && o !== second && sameValue(o)).map((o) => o.x)];
    const ref = predict?.(toParams(best.x));
    let worst = 0;
    for (const x of compare) if (ref && predict) worst = Math.max(worst, predictionGap(ref, predict(toParams(x))).worst);
    const ridge = spreadCoordinates([best.x, ...plateau]);
    const spread = Math.max(...plateau.map((x) => Math.max(...Array.from(x, (v, d) => Math.abs(v - (best.x[d] as number))))));
    if (ref && worst <= PREDICTION_TOLERANCE) {
      weak = ridge;
      notes.push(`${ridge.map((d) => names[d]).join(', ')} weakly identified: ${compare.length + 1} points reach the same log-likelihood ` +
        `(within ${LL_TOLERANCE}${tailBelow}) with log-parameters up to ${spread.toPrecision(3)} apart, and their predictions agree ` +
        `(max relative difference ${worst.toExponential(2)})${edgeNote}`);
    } else {
      const what = disagree || 'a parameter runs to the edge of the search box along a flat likelihood';
      diagnostics.push(ref ? `${what}, and the predictions change along it (max relative difference ${worst.toExponential(2)})` : what);
    }
  }
  // A second polish at the same value but elsewhere that no ridge check vouched for is a failure in its own right.
  if (disagree && weak.length === 0 && !diagnostics.some((d) => d.startsWith(disagree))) diagnostics.push(disagree);

  let se: Float64Array | null = null;
  if (Number.isFinite(best.f) && (edge.length === 0 || diagnostics.length === 0)) {
    se = blockStdErrors(numericalHessian(f, best.x, 1e-3), best.x, totalWeight, weak);
    if (!se) {
      diagnostics.push(`Hessian is not positive definite at the optimum${weak.length > 0 ? ' even over the identified parameters' : ''}: ` +
        'parameters are not identified by the data');
    }
  }
  return { diagnostics, notes, weak, se, evaluations };
}
