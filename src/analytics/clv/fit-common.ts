/**
 * Multi-start maximum likelihood shared by the BG/NBD and Gamma-Gamma fits, with the checks that decide whether a
 * fit may be published.
 *
 * The objective is the mean negative log-likelihood per customer over log-parameters (so tolerances do not depend on
 * the number of customers, and positivity is automatic). Every start runs a coarse Nelder–Mead; the two best are then
 * polished to tight tolerance from fresh simplexes (a restart that guards against premature simplex collapse). A fit
 * is `converged` only when all of these hold:
 *   - the best polish met its simplex-size and value-spread tolerances;
 *   - the second polish reached the same optimum value (total log-likelihood within 1e-4);
 *   - it also reached the same parameters (log-parameters within 1e-3) — or, if not, the two lie on a flat ridge
 *     whose points all make the same predictions (identification.ts: the differing parameters are then reported
 *     as weakly identified in `notes`, and the fit stands because what is published is determined by the data);
 *   - no parameter sits at the search box edge (there the likelihood was still rising when the box stopped it, so
 *     the supremum may be infinite — a degenerate model such as a point mass — and agreement proves nothing);
 *   - the Hessian at the optimum, over the identified parameters, is positive definite (otherwise some parameter
 *     is not identified and no ridge check vouched for the predictions).
 * The inverse Hessian also gives standard errors (NaN for weakly identified parameters). Reasons for a failed check
 * are returned in `diagnostics`.
 */
import { blockStdErrors, LL_TOLERANCE, PARAM_TOLERANCE, predictionGap, spreadCoordinates } from './identification.js';
import { nelderMead, numericalHessian, type Objective } from './optimize.js';

export interface FitOptions {
  /** Number of starting points to try (default 4; at least 2 are needed to confirm an optimum). */
  starts?: number;
  /** Nelder–Mead iteration cap per run (default 3000). */
  maxIterations?: number;
  /** Simplex size tolerance in log-parameter space for the polish (default 1e-6). */
  xTolerance?: number;
  /** Spread tolerance of the mean negative log-likelihood for the polish (default 1e-11). */
  fTolerance?: number;
}

export interface FitStart<P> {
  params: P;
  logLik: number;
  /** Whether this run met its simplex tolerances (coarse ones unless `polished`). */
  converged: boolean;
  iterations: number;
  polished: boolean;
}

export interface FitResult<P> {
  params: P;
  logLik: number;
  converged: boolean;
  /** Nelder–Mead iterations over all runs. */
  iterations: number;
  evaluations: number;
  starts: FitStart<P>[];
  /** Asymptotic standard errors from the observed information (delta method from log space); null if not PD. */
  stdErrors: P | null;
  /** Why the fit is not converged (empty when it is). */
  diagnostics: string[];
  /** Parameters on a flat ridge whose predictions agree (the fit may still be converged); see identification.ts. */
  weaklyIdentified: string[];
  /** Facts about a converged fit worth publishing with it (e.g. which parameters are weakly identified, and why). */
  notes: string[];
  /** Distinct weighted rows the likelihood was evaluated on. */
  rows: number;
}

/** Search box in log space: parameters outside [e^−20, e^20] are treated as infeasible. */
export const LOG_BOUND = 20;
const EDGE = LOG_BOUND - 2;

export function boxed(objective: Objective): Objective {
  return (x) => {
    for (let i = 0; i < x.length; i++) if (!(Math.abs(x[i] as number) <= LOG_BOUND)) return Infinity;
    return objective(x);
  };
}

/**
 * The model's predictions on the fitted data's rows at given parameters (whatever is published from the fit), used
 * to decide whether a ridge of equally likely parameters matters.
 */
export type Predict<P> = (params: P) => Float64Array;

export function multiStartFit<P>(
  meanNegLogLik: Objective,
  starts: Float64Array[],
  totalWeight: number,
  toParams: (logParams: Float64Array) => P,
  rows: number,
  opts: FitOptions = {},
  predict?: Predict<P>,
): FitResult<P> {
  const f = boxed(meanNegLogLik);
  const nStarts = Math.max(2, Math.min(starts.length, opts.starts ?? 4));
  const maxIterations = opts.maxIterations ?? 3000;
  const xTolerance = opts.xTolerance ?? 1e-6;
  const fTolerance = opts.fTolerance ?? 1e-11;
  let iterations = 0;
  let evaluations = 0;
  const runs = starts.slice(0, nStarts).map((s) => {
    const r = nelderMead(f, s, { step: 0.5, xTolerance: 1e-2, fTolerance: 1e-6, maxIterations });
    iterations += r.iterations;
    evaluations += r.evaluations;
    return { ...r, polished: false };
  });
  const order = runs.map((_, i) => i).sort((i, j) => (runs[i]?.f ?? Infinity) - (runs[j]?.f ?? Infinity));
  for (const i of order.slice(0, 2)) {
    const coarse = runs[i];
    if (!coarse || !Number.isFinite(coarse.f)) continue;
    const p = nelderMead(f, coarse.x, { step: 0.05, xTolerance, fTolerance, maxIterations });
    iterations += p.iterations;
    evaluations += p.evaluations;
    runs[i] = { ...p, polished: true };
  }
  const polished = order
    .slice(0, 2)
    .map((i) => runs[i])
    .filter((r): r is NonNullable<typeof r> => r !== undefined && r.polished);
  polished.sort((p, q) => p.f - q.f);
  // On a flat ridge a polish can creep along it until the iteration cap, a hair above the other one. When the other
  // met its tolerances at the same value (within LL_TOLERANCE), that one is the reference and the creeper is just
  // another point of the plateau, whose predictions are compared below like any other.
  const [p0, p1] = polished;
  if (p0 && p1 && !p0.converged && p1.converged && (p1.f - p0.f) * totalWeight <= LL_TOLERANCE) polished.reverse();
  const best = polished[0] ?? runs[order[0] ?? 0];
  if (!best) throw new Error('multiStartFit: no starting points');

  const diagnostics: string[] = [];
  const notes: string[] = [];
  if (!Number.isFinite(best.f)) diagnostics.push('log-likelihood is not finite at any start');
  if (!best.converged) diagnostics.push(`best run did not meet its tolerances in ${maxIterations} iterations`);
  const names = Object.keys(toParams(best.x) as object);
  let weak: number[] = [];
  const second = polished[1];
  if (!second) {
    diagnostics.push('no second run to confirm the optimum');
  } else {
    const dLL = Math.abs(second.f - best.f) * totalWeight;
    let dx = 0;
    for (let d = 0; d < best.x.length; d++) dx = Math.max(dx, Math.abs((second.x[d] as number) - (best.x[d] as number)));
    const disagree = `second-best start disagrees (Δlog-lik ${dLL.toExponential(2)}, max Δlog-param ${dx.toExponential(2)})`;
    if (!(dLL <= LL_TOLERANCE)) {
      diagnostics.push(disagree);
    } else if (dx > PARAM_TOLERANCE) {
      // Same value, different place: a ridge. The polished pair says which parameters move along it; every start
      // on the plateau (coarse ones too) must predict what the best point predicts.
      const ridge = spreadCoordinates([best.x, second.x]);
      const plateau = runs.filter((r) => r !== best && Math.abs(r.f - best.f) * totalWeight <= LL_TOLERANCE);
      const ref = predict?.(toParams(best.x));
      let worst = 0;
      let agree = ref !== undefined;
      for (const r of plateau) {
        if (!ref || !predict) break;
        const g = predictionGap(ref, predict(toParams(r.x)));
        worst = Math.max(worst, g.worst);
        agree &&= g.agree;
      }
      const which = ridge.map((d) => names[d]).join(', ');
      if (agree) {
        weak = ridge;
        notes.push(`${which} weakly identified: ${plateau.length + 1} starts reach the same log-likelihood (within ${LL_TOLERANCE}) ` +
          `with log-parameters up to ${dx.toPrecision(3)} apart, and their predictions agree (max relative difference ${worst.toExponential(2)})`);
      } else {
        diagnostics.push(ref ? `${disagree}, and their predictions differ (max relative difference ${worst.toExponential(2)})` : disagree);
      }
    }
  }
  const atEdge = Array.from(best.x).some((v) => Math.abs(v) >= EDGE);
  if (atEdge) diagnostics.push('a parameter is at the edge of the search box (estimate diverges)');

  let stdErrors: P | null = null;
  if (Number.isFinite(best.f) && !atEdge) {
    const se = blockStdErrors(numericalHessian(f, best.x, 1e-3), best.x, totalWeight, weak);
    // toParams exponentiates, so hand it log(se) to get the standard errors back in parameter form.
    if (se) stdErrors = toParams(se.map(Math.log));
    else {
      diagnostics.push(`Hessian is not positive definite at the optimum${weak.length > 0 ? ' even over the identified parameters' : ''}: ` +
        'parameters are not identified by the data');
    }
  }
  return {
    params: toParams(best.x),
    logLik: -best.f * totalWeight,
    converged: diagnostics.length === 0,
    iterations,
    evaluations,
    starts: runs.map((r) => ({
      params: toParams(r.x),
      logLik: -r.f * totalWeight,
      converged: r.converged,
      iterations: r.iterations,
      polished: r.polished,
    })),
    stdErrors,
    diagnostics,
    weaklyIdentified: diagnostics.length === 0 ? weak.map((d) => names[d] as string) : [],
    notes: diagnostics.length === 0 ? notes : [],
    rows,
  };
}
