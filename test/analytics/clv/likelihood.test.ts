// BG/NBD and Gamma-Gamma log-likelihoods against closed forms written out by hand (no lgamma, no shared code path),
// and the fits' compressed evaluators against the literal formulas.
import { describe, expect, it } from 'vitest';
import { bgnbdLogLik, fitBgNbd } from '../../../src/analytics/clv/bgnbd.js';
import { fitGammaGamma, gammaGammaLogLik } from '../../../src/analytics/clv/gamma-gamma.js';
import { simulateCustomers } from '../../../src/analytics/clv/simulate.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('bgnbdLogLik', () => {
  it('matches the FHL likelihood written out for three customers', () => {
    const [r, alpha, a, b] = [0.5, 2, 0.7, 1.5];
    // x = 0, T = 10:  L = (α/(α+T))^r.
    const L1 = Math.pow(alpha / (alpha + 10), r);
    // x = 1, tx = 3, T = 10:  B(a,b+1)/B(a,b) = b/(a+b), Γ(r+1)/Γ(r) = r,
    // L = b/(a+b) · r · α^r · [(α+T)^−(r+1) + a/b · (α+tx)^−(r+1)].
    const L2 = (b / (a + b)) * r * Math.pow(alpha, r) * (Math.pow(alpha + 10, -(r + 1)) + (a / b) * Math.pow(alpha + 3, -(r + 1)));
    // x = 2, tx = 7, T = 10:  B(a,b+2)/B(a,b) = b(b+1)/((a+b)(a+b+1)), Γ(r+2)/Γ(r) = r(r+1),
    // bracket (α+T)^−(r+2) + a/(b+1) · (α+tx)^−(r+2).
    const L3 =
      ((b * (b + 1)) / ((a + b) * (a + b + 1))) * r * (r + 1) * Math.pow(alpha, r) *
      (Math.pow(alpha + 10, -(r + 2)) + (a / (b + 1)) * Math.pow(alpha + 7, -(r + 2)));
    const ll = bgnbdLogLik({ r, alpha, a, b }, f64([0, 1, 2]), f64([0, 3, 7]), f64([10, 10, 10]));
    expect(ll).toBeCloseTo(Math.log(L1) + Math.log(L2) + Math.log(L3), 12);
    // Weights multiply each customer's contribution.
    const w = bgnbdLogLik({ r, alpha, a, b }, f64([0, 1, 2]), f64([0, 3, 7]), f64([10, 10, 10]), f64([3, 0, 2]));
    expect(w).toBeCloseTo(3 * Math.log(L1) + 2 * Math.log(L3), 12);
  });

  it('is finite and correct for heavy buyers where the naive bracket underflows', () => {
    // x = 400: (α+T)^−(r+x) underflows to 0 in double precision; the log-sum-exp form keeps it.
    const p = { r: 0.3, alpha: 5, a: 0.9, b: 3 };
    const ll = bgnbdLogLik(p, f64([400]), f64([150]), f64([160]));
    expect(Number.isFinite(ll)).toBe(true);
    const logBracket = (() => {
      const l3 = -(p.r + 400) * Math.log(p.alpha + 160);
      const l4 = Math.log(p.a / (p.b + 399)) - (p.r + 400) * Math.log(p.alpha + 150);
      return l4 + Math.log1p(Math.exp(l3 - l4));
    })();
    // Γ ratios as products: Γ(r+x)/Γ(r) = Π (r+j), B(a,b+x)/B(a,b) = Π (b+j)/(a+b+j).
    let logPrefix = p.r * Math.log(p.alpha);
    for (let j = 0; j < 400; j++) logPrefix += Math.log(p.r + j) + Math.log((p.b + j) / (p.a + p.b + j));
    expect(ll).toBeCloseTo(logPrefix + logBracket, 8);
  });

  it('rejects inconsistent inputs', () => {
    const p = { r: 1, alpha: 1, a: 1, b: 1 };
    expect(() => bgnbdLogLik(p, f64([1]), f64([5]), f64([4]))).toThrow(RangeError);
    expect(() => bgnbdLogLik(p, f64([-1]), f64([0]), f64([4]))).toThrow(RangeError);
    expect(() => bgnbdLogLik(p, f64([1, 2]), f64([1]), f64([4]))).toThrow(RangeError);
  });
});

describe('gammaGammaLogLik', () => {
  it('matches the density written out for two customers and ignores x = 0', () => {
    const [p, q, v] = [2, 3, 10];
    // x = 1, m = 5: Γ(5)/(Γ(2)Γ(3)) · v^3 · m^1 · 1^2 / (v + m)^5 = 12 · 1000 · 5 / 15^5.
    const f1 = (12 * 1000 * 5) / Math.pow(15, 5);
    // x = 2, m = 4: px = 4, Γ(7)/(Γ(4)Γ(3)) = 720/12 = 60; · v^3 · m^3 · 2^4 / (v + 2m)^7.
    const f2 = (60 * 1000 * 64 * 16) / Math.pow(18, 7);
    const ll = gammaGammaLogLik({ p, q, v }, f64([1, 2, 0]), f64([5, 4, 0]));
    expect(ll).toBeCloseTo(Math.log(f1) + Math.log(f2), 12);
  });

  it('is a proper density of the mean spend m (integrates to 1 over m)', () => {
    const params = { p: 3.5, q: 2.5, v: 12 };
    for (const x of [1, 4]) {
      // Trapezoid on a log grid: ∫ f(m) dm = ∫ f(e^u) e^u du.
      let integral = 0;
      const du = 0.001;
      for (let u = -15; u < 15; u += du) {
        const m = Math.exp(u);
        integral += Math.exp(gammaGammaLogLik(params, f64([x]), f64([m]))) * m * du;
      }
      expect(integral).toBeCloseTo(1, 6);
    }
  });
});

describe('compressed evaluators used by the fits', () => {
  const s = simulateCustomers({
    n: 3000, seed: 11, bgnbd: { r: 0.4, alpha: 6, a: 0.9, b: 3 }, gammaGamma: { p: 4, q: 3, v: 20 }, resolution: 1 / 7,
  });

  it('report the same log-likelihood as the literal formulas at the optimum', () => {
    const f = fitBgNbd(s.x, s.tx, s.T);
    expect(f.rows).toBeLessThan(s.x.length); // daily resolution makes duplicate rows
    expect(f.logLik).toBeCloseTo(bgnbdLogLik(f.params, s.x, s.tx, s.T), 6);
    const g = fitGammaGamma(s.x, s.m);
    expect(g.logLik).toBeCloseTo(gammaGammaLogLik(g.params, s.x, s.m), 6);
  });

  it('treat a weight of k exactly like k copies of the row', () => {
    const idx = Array.from({ length: 400 }, (_, i) => i);
    const pick = (a: Float64Array) => Float64Array.from(idx, (i) => a[i] as number);
    const w = Float64Array.from(idx, (i) => 1 + (i % 3));
    const rep = (a: Float64Array) => Float64Array.from(idx.flatMap((i) => Array(1 + (i % 3)).fill(a[i] as number)));
    const fw = fitBgNbd(pick(s.x), pick(s.tx), pick(s.T), { weights: w });
    const fr = fitBgNbd(rep(s.x), rep(s.tx), rep(s.T));
    expect(fw.logLik).toBeCloseTo(fr.logLik, 6);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(fw.params[k]).toBeCloseTo(fr.params[k], 3);
  });
});

describe('the BG/NBD fit on the homogeneous-dropout ridge', () => {
  // Every customer drops out after a purchase with nearly the same probability (Beta with a, b in the thousands: a
  // point mass in the limit), the shape the 100k-customer bench set has. The likelihood then rises towards a, b → ∞
  // with a/(a+b) fixed, where ln Γ(b) ~ 1e9: the fit's evaluator must stay exact out there.
  const s = simulateCustomers({ n: 4000, seed: 5, bgnbd: { r: 0.75, alpha: 7, a: 400, b: 8000 }, resolution: 1 / 7 });
  /** The log-likelihood with both Γ ratios as products (Π (r+j), Π (b+j)/(a+b+j)), exact at any a, b. */
  const productLogLik = (p: { r: number; alpha: number; a: number; b: number }): number => {
    let total = 0;
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i] as number;
      let prefix = p.r * Math.log(p.alpha);
      for (let j = 0; j < x; j++) prefix += Math.log(p.r + j) + Math.log1p(-p.a / (p.a + p.b + j));
      const l3 = -(p.r + x) * Math.log(p.alpha + (s.T[i] as number));
      if (x === 0) { total += prefix + l3; continue; }
      const l4 = Math.log(p.a / (p.b + x - 1)) - (p.r + x) * Math.log(p.alpha + (s.tx[i] as number));
      const m = Math.max(l3, l4);
      total += prefix + m + Math.log(Math.exp(l3 - m) + Math.exp(l4 - m));
    }
    return total;
  };

  it('reports the exact log-likelihood at its optimum far out on the ridge, and converges with a, b weakly identified', () => {
    const f = fitBgNbd(s.x, s.tx, s.T);
    expect(f.params.b).toBeGreaterThan(1e6);
    expect(f.params.a / (f.params.a + f.params.b)).toBeCloseTo(400 / 8400, 2);
    expect(Math.abs(f.logLik - productLogLik(f.params))).toBeLessThan(1e-6);
    expect(f.diagnostics).toEqual([]);
    expect(f.converged).toBe(true);
    expect(f.weaklyIdentified).toEqual(expect.arrayContaining(['a', 'b']));
  });
});
