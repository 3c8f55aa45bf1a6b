/**
 * Derivative-free minimisation for the CLV model fits: a deterministic Nelder–Mead simplex (the standard
 * reflection / expansion / contraction / shrink moves, as in Lagarias et al. 1998 and scipy), plus a central-difference
 * Hessian and a Cholesky inverse used to check that an optimum is a proper, identified minimum and to report
 * standard errors.
 *
 * The likelihoods are smooth but have no cheap gradients with respect to all parameters, and the problems are tiny
 * (3–4 parameters), so Nelder–Mead on log-parameters is robust and simple; the cost is all in the objective. The
 * simplex lives in preallocated Float64Arrays so the loop allocates nothing per iteration.
 */

export type Objective = (x: Float64Array) => number;

export interface NelderMeadOptions {
  /** Initial simplex edge along each axis (default 0.5). */
  step?: number;
  /** Converged when every vertex is within xTolerance of the best, per coordinate (default 1e-6). */
  xTolerance?: number;
  /** … and every vertex value is within fTolerance of the best (default 1e-10). */
  fTolerance?: number;
  /** Iteration cap (default 2000). */
  maxIterations?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

export function nelderMead(f: Objective, x0: Float64Array, opts: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const step = opts.step ?? 0.5;
  const xTol = opts.xTolerance ?? 1e-6;
  const fTol = opts.fTolerance ?? 1e-10;
  const maxIter = opts.maxIterations ?? 2000;
  const sim = new Float64Array((n + 1) * n);
  const fv = new Float64Array(n + 1);
  const order = new Int32Array(n + 1);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  const tmp = new Float64Array(n);
  let evaluations = 0;
  const evalAt = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const vertex = (i: number): Float64Array => sim.subarray(i * n, i * n + n);

  for (let i = 0; i <= n; i++) {
    const v = vertex(i);
    v.set(x0);
    if (i > 0) v[i - 1] = (v[i - 1] ?? 0) + step;
    fv[i] = evalAt(v);
  }
  if (!Number.isFinite(fv[0] ?? Infinity)) throw new Error('nelderMead: objective is not finite at the start point');

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter; iterations++) {
    // Order vertices by value (insertion sort on n+1 indices; stable, so ties resolve deterministically).
    for (let i = 0; i <= n; i++) order[i] = i;
    for (let i = 1; i <= n; i++) {
      const oi = order[i] as number;
      let j = i - 1;
      while (j >= 0 && (fv[order[j] as number] as number) > (fv[oi] as number)) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = oi;
    }
    const best = order[0] as number;
    const worst = order[n] as number;
    const secondWorst = order[n - 1] as number;
    const fBest = fv[best] as number;

    let xSpread = 0;
    let fSpread = 0;
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      fSpread = Math.max(fSpread, Math.abs((fv[i] as number) - fBest));
      for (let d = 0; d < n; d++) xSpread = Math.max(xSpread, Math.abs((sim[i * n + d] as number) - (sim[best * n + d] as number)));
    }
    if (xSpread <= xTol && fSpread <= fTol) {
      converged = true;
      break;
    }

    centroid.fill(0);
    for (let i = 0; i <= n; i++) {
      if (i === worst) continue;
      for (let d = 0; d < n; d++) centroid[d] = (centroid[d] as number) + (sim[i * n + d] as number) / n;
    }
    const xw = vertex(worst);
    for (let d = 0; d < n; d++) xr[d] = 2 * (centroid[d] as number) - (xw[d] as number);
    const fr = evalAt(xr);
    const fWorst = fv[worst] as number;
    if (fr < fBest) {
      for (let d = 0; d < n; d++) xe[d] = 3 * (centroid[d] as number) - 2 * (xw[d] as number);
      const fe = evalAt(xe);
      if (fe < fr) {
        xw.set(xe);
        fv[worst] = fe;
      } else {
        xw.set(xr);
        fv[worst] = fr;
      }
      continue;
    }
    if (fr < (fv[secondWorst] as number)) {
      xw.set(xr);
      fv[worst] = fr;
      continue;
    }
    // Contraction: outside if the reflected point beat the worst, inside otherwise.
    const outside = fr < fWorst;
    for (let d = 0; d < n; d++) {
      const c = centroid[d] as number;
      xc[d] = outside ? c + 0.5 * ((xr[d] as number) - c) : c + 0.5 * ((xw[d] as number) - c);
    }
    const fc = evalAt(xc);
    if (fc < (outside ? fr : fWorst)) {
      xw.set(xc);
      fv[worst] = fc;
      continue;
    }
    // Shrink every vertex towards the best one.
    const xb = vertex(best);
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      const v = vertex(i);
      for (let d = 0; d < n; d++) tmp[d] = (xb[d] as number) + 0.5 * ((v[d] as number) - (xb[d] as number));
      v.set(tmp);
      fv[i] = evalAt(v);
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if ((fv[i] as number) < (fv[bi] as number)) bi = i;
  return { x: Float64Array.from(vertex(bi)), f: fv[bi] as number, iterations, evaluations, converged };
}

/** Central-difference Hessian of f at x (row-major n×n). */
export function numericalHessian(f: Objective, x: Float64Array, h = 1e-3): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const p = Float64Array.from(x);
  const at = (i: number, di: number, j: number, dj: number): number => {
    p.set(x);
    p[i] = (p[i] as number) + di;
    p[j] = (p[j] as number) + dj;
    return f(p);
  };
  const f0 = f(x);
  for (let i = 0; i < n; i++) {
    H[i * n + i] = (at(i, h, i, 0) - 2 * f0 + at(i, -h, i, 0)) / (h * h);
    for (let j = 0; j < i; j++) {
      const v = (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/**
 * Inverse of a symmetric matrix by Cholesky, or null when it is not clearly positive definite (a pivot below
 * relTol × the largest diagonal entry): a flat or saddle direction means the optimum does not identify the parameters.
 */
export function choleskyInverse(A: Float64Array, n: number, relTol = 1e-9): Float64Array | null {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, A[i * n + i] as number);
  if (!(maxDiag > 0)) return null;
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j] as number;
    for (let k = 0; k < j; k++) s -= (L[j * n + k] as number) ** 2;
    if (!(s > relTol * maxDiag)) return null;
    const d = Math.sqrt(s);
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j] as number;
      for (let k = 0; k < j; k++) t -= (L[i * n + k] as number) * (L[j * n + k] as number);
      L[i * n + j] = t / d;
    }
  }
  // Invert L (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / (L[i * n + i] as number);
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (L[i * n + k] as number) * (Li[k * n + j] as number);
      Li[i * n + j] = s / (L[i * n + i] as number);
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += (Li[k * n + i] as number) * (Li[k * n + j] as number);
      inv[i * n + j] = s;
    }
  }
  return inv;
}
