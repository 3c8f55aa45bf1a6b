/**
 * Special functions the BG/NBD and Gamma-Gamma models need: log-gamma and the Gauss hypergeometric 2F1.
 *
 * lgamma uses the Stirling series for x >= 10 and shifts smaller arguments up with one product (a single log), which
 * is accurate to ~1e-15 absolute and cheap enough to call inside likelihood loops; negative arguments go through the
 * reflection formula. hyp2f1 sums the power series with a rigorous geometric tail bound as its stopping rule, maps
 * z < 0 into (0, 1) with Pfaff's transformation, and for z close to 1 (slow series) uses the 1 − z connection
 * formula when c − a − b is safely away from an integer; it throws rather than return an unconverged value.
 */

const HALF_LN_2PI = 0.9189385332046728;

/** ln|Γ(x)|; +Infinity at the poles (0, −1, −2, …). */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  let shift = 0;
  if (x < 10) {
    // Γ(x) = Γ(x + n) / (x (x+1) … (x+n−1)); one log of the product instead of n logs.
    let prod = 1;
    while (x < 10) {
      prod *= x;
      x += 1;
    }
    shift = Math.log(prod);
  }
  return (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + stirlingSeries(x) - shift;
}

/** The Stirling correction ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], for x >= 10. */
function stirlingSeries(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360 - inv2 / 156))))));
}

/**
 * ln Γ(z + d) − ln Γ(z) for z > 0, z + d > 0, accurate even when z is huge: the two log-gammas are then ~z ln z
 * each and their difference would lose all digits (Gamma-Gamma's p → ∞ ridge evaluates it at p·x ~ 1e8). From
 * Stirling for both arguments, (z − ½)·log1p(d/z) + d·ln(z + d) − d + S(z + d) − S(z), with no cancellation.
 */
export function lgammaDiff(z: number, d: number): number {
  if (!(z >= 10 && z + d >= 10)) return lgamma(z + d) - lgamma(z);
  return (z - 0.5) * Math.log1p(d / z) + d * Math.log(z + d) - d + stirlingSeries(z + d) - stirlingSeries(z);
}

/** Sign of Γ(x) (x not a pole). */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  return Math.ceil(-x) % 2 === 1 ? -1 : 1;
}

export interface Hyp2f1Options {
  /** Relative accuracy the series tail bound must reach (default 1e-15). */
  tolerance?: number;
  /** Maximum number of series terms (default 1e6). */
  maxTerms?: number;
}

/**
 * Sums a hypergeometric-type series from its k-th term onwards, where consecutive terms have the 2F1 ratio
 * (a+k)(b+k)z / ((c+k)(k+1)). Returns null when it has not converged in maxTerms terms.
 */
function sumSeries(a: number, b: number, c: number, z: number, k0: number, term0: number, tol: number, maxTerms: number): number | null {
  let term = term0;
  let sum = term0;
  if (term === 0) return 0;
  // Terms keep one sign once k is past −a, −b and −c; the tail bound is only valid from there.
  const settle = Math.max(0, -a, -b, -c);
  for (let k = k0; k < k0 + maxTerms; k++) {
    const ratio = ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    term *= ratio;
    if (term === 0) return sum; // a or b is a non-positive integer: the series terminates
    sum += term;
    if (k + 1 > settle) {
      // For large k the ratio tends to z monotonically, so max(ratio, |z|) bounds every later ratio and the
      // tail is at most |term| · ρ / (1 − ρ).
      const rho = Math.max(Math.abs(ratio), Math.abs(z));
      if (rho < 1 && Math.abs(term) * (rho / (1 - rho)) <= tol * Math.abs(sum)) return sum;
    }
    if (!Number.isFinite(sum)) return null;
  }
  return null;
}

function series2f1(a: number, b: number, c: number, z: number, tol: number, maxTerms: number): number | null {
  return sumSeries(a, b, c, z, 0, 1, tol, maxTerms);
}

/**
 * (2F1(a, b; c; z) − 1) / b, summed directly so it stays exact as b → 0 (where it tends to the derivative in b).
 * The BG/NBD expectation needs this form to avoid a 0/0 at a = 1. Requires 0 <= z < 1.
 */
export function hyp2f1Reduced(a: number, b: number, c: number, z: number, opts: Hyp2f1Options = {}): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1Reduced: z must be in [0, 1) (got ${z})`);
  if (isNonPositiveInteger(c)) throw new RangeError('hyp2f1Reduced: c must not be a non-positive integer');
  const maxTerms = opts.maxTerms ?? 1_000_000;
  const v = sumSeries(a, b, c, z, 1, (a * z) / c, opts.tolerance ?? 1e-15, maxTerms);
  if (v === null) throw new Error(`hyp2f1Reduced(${a}, ${b}; ${c}; ${z}) did not converge in ${maxTerms} terms`);
  return v;
}

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && v === Math.floor(v);
}

/** Γ(p)Γ(q) / (Γ(r)Γ(s)) computed in log space with signs; 0 when a denominator argument is a pole. */
function gammaRatio(p: number, q: number, r: number, s: number): number {
  if (isNonPositiveInteger(r) || isNonPositiveInteger(s)) return 0;
  const sign = gammaSign(p) * gammaSign(q) * gammaSign(r) * gammaSign(s);
  return sign * Math.exp(lgamma(p) + lgamma(q) - lgamma(r) - lgamma(s));
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z < 1.
 * Throws RangeError for z >= 1 or c a non-positive integer, Error when no method converges.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, opts: Hyp2f1Options = {}): number {
  const tol = opts.tolerance ?? 1e-15;
  const maxTerms = opts.maxTerms ?? 1_000_000;
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError('hyp2f1: arguments must be finite');
  if (z >= 1) throw new RangeError(`hyp2f1: z must be < 1 (got ${z})`);
  if (z === 0 || a === 0 || b === 0) return 1;
  if (isNonPositiveInteger(c) && !(isNonPositiveInteger(a) && a > c) && !(isNonPositiveInteger(b) && b > c)) {
    throw new RangeError('hyp2f1: c must not be a non-positive integer');
  }
  if (z < 0) {
    // Pfaff: 2F1(a,b;c;z) = (1−z)^−a 2F1(a, c−b; c; z/(z−1)), and z/(z−1) lies in (0, 1).
    return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1), opts);
  }
  const s = c - a - b;
  const nearInteger = Math.abs(s - Math.round(s)) < 0.05;
  if (z > 0.9 && !nearInteger && !isNonPositiveInteger(a) && !isNonPositiveInteger(b)) {
    // Connection formula around z = 1 (Abramowitz & Stegun 15.3.6); both series run in 1 − z < 0.1.
    const w = 1 - z;
    const t1 = series2f1(a, b, 1 - s, w, tol, maxTerms);
    const t2 = series2f1(c - a, c - b, 1 + s, w, tol, maxTerms);
    if (t1 !== null && t2 !== null) {
      return gammaRatio(c, s, c - a, c - b) * t1 + Math.pow(w, s) * gammaRatio(c, -s, a, b) * t2;
    }
  }
  const direct = series2f1(a, b, c, z, tol, maxTerms);
  if (direct === null) throw new Error(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${maxTerms} terms`);
  return direct;
}
