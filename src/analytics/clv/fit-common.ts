/**
 * Multi-start maximum likelihood shared by the BG/NBD and Gamma-Gamma fits, with the checks that decide whether a
 * fit may be published.
 *
 * The objective is the mean negative log-likelihood per customer over log-parameters (so tolerances do not depend on
 * the number of customers, and positivity is automatic). Every start runs a coarse Nelder–Mead; the two best are then
 * polished to tight tolerance from fresh simplexes (a restart that guards against premature simplex collapse). A fit
 * is `converged` only when all of these hold: the best polish met its simplex-size and value-spread tolerances, the
 * second polish reached the same optimum (value and parameters), no parameter sits at the search box edge, and the
 * Hessian there is positive definite (otherwise some parameter is not identified by the data). The inverse Hessian
 * also gives standard errors. Reasons for a failed check are returned in `diagnostics`.
 */
import { choleskyInverse, nelderMead, numericalHessian, type Objective } from './optimize.js';

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

export function multiStartFit<P>(
  meanNegLogLik: Objective,
  starts: Float64Array[],
  totalWeight: number,
  toParams: (logParams: Float64Array) => P,
  rows: number,
  opts: FitOptions = {},
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
  const best = polished[0] ?? runs[order[0] ?? 0];
  if (!best) throw new Error('multiStartFit: no starting points');

  const diagnostics: string[] = [];
  if (!Number.isFinite(best.f)) diagnostics.push('log-likelihood is not finite at any start');
  if (!best.converged) diagnostics.push(`best run did not meet its tolerances in ${maxIterations} iterations`);
  const second = polished[1];
  if (!second) {
    diagnostics.push('no second run to confirm the optimum');
  } else {
    // Agreement: total log-likelihoods within 1e-4 and log-parameters within 1e-3 (0.1 % relative).
    const dLL = Math.abs(second.f - best.f) * totalWeight;
    let dx = 0;
    for (let d = 0; d < best.x.length; d++) dx = Math.max(dx, Math.abs((second.x[d] as number) - (best.x[d] as number)));
    if (!(dLL <= 1e-4 && dx <= 1e-3)) {
      diagnostics.push(`second-best start disagrees (Δlog-lik ${dLL.toExponential(2)}, max Δlog-param ${dx.toExponential(2)})`);
    }
  }
  const atEdge = Array.from(best.x).some((v) => Math.abs(v) >= EDGE);
  if (atEdge) diagnostics.push('a parameter is at the edge of the search box (estimate diverges)');

  let stdErrors: P | null = null;
  if (Number.isFinite(best.f) && !atEdge) {
    const n = best.x.length;
    const cov = choleskyInverse(numericalHessian(f, best.x, 1e-3), n);
    if (cov) {
      const se = new Float64Array(n);
      for (let d = 0; d < n; d++) se[d] = Math.exp(best.x[d] as number) * Math.sqrt((cov[d * n + d] as number) / totalWeight);
      // toParams exponentiates, so hand it log(se) to get the standard errors back in parameter form.
      stdErrors = toParams(se.map(Math.log));
    } else {
      diagnostics.push('Hessian is not positive definite at the optimum: parameters are not identified by the data');
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
    rows,
  };
}
