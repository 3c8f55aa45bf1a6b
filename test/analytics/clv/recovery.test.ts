// Parameter recovery on planted truth: 20,000 customers simulated from r=0.25, alpha=4, a=0.8, b=2.5 and
// Gamma-Gamma p=6, q=4, v=15.
//
// Tolerance: each estimate must lie within 4 standard errors of the truth, where the standard errors are the fit's
// own asymptotic ones (inverse observed information). Maximum-likelihood estimates are asymptotically normal, so a
// correct fitter misses this band with probability ~6e-5 per parameter; a biased likelihood or a fit stopped
// early would not. The standard errors themselves are also checked to be small (the test would be vacuous if the
// band were wide) and roughly honest (compared across independent replicates below).
import { describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../../src/analytics/clv/bgnbd.js';
import { fitGammaGamma } from '../../../src/analytics/clv/gamma-gamma.js';
import { simulateCustomers } from '../../../src/analytics/clv/simulate.js';

const truthB = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const truthG = { p: 6, q: 4, v: 15 };

describe('parameter recovery from simulated customers', () => {
  const s = simulateCustomers({ n: 20_000, seed: 2024, bgnbd: truthB, gammaGamma: truthG, minAge: 26, maxAge: 78 });

  it('BG/NBD recovers r, alpha, a, b within 4 standard errors', () => {
    const fit = fitBgNbd(s.x, s.tx, s.T);
    expect(fit.converged).toBe(true);
    expect(fit.diagnostics).toEqual([]);
    const se = fit.stdErrors;
    expect(se).not.toBeNull();
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      const sek = se?.[k] ?? Infinity;
      expect(sek / truthB[k]).toBeLessThan(0.1);
      expect(Math.abs(fit.params[k] - truthB[k])).toBeLessThan(4 * sek);
    }
  });

  it('Gamma-Gamma recovers p, q, v within 4 standard errors on the repeat buyers', () => {
    const fit = fitGammaGamma(s.x, s.m);
    expect(fit.converged).toBe(true);
    const se = fit.stdErrors;
    expect(se).not.toBeNull();
    for (const k of ['p', 'q', 'v'] as const) {
      const sek = se?.[k] ?? Infinity;
      expect(sek / truthG[k]).toBeLessThan(0.1);
      expect(Math.abs(fit.params[k] - truthG[k])).toBeLessThan(4 * sek);
    }
  });

  it('standard errors match the spread of estimates across independent replicates', () => {
    // 6 replicates of 3,000 customers: the empirical sd of log r should be near the reported SE(log r).
    const logs: number[] = [];
    const ses: number[] = [];
    for (let rep = 0; rep < 6; rep++) {
      const d = simulateCustomers({ n: 3000, seed: 900 + rep, bgnbd: truthB, minAge: 26, maxAge: 78 });
      const f = fitBgNbd(d.x, d.tx, d.T, { starts: 2 });
      logs.push(Math.log(f.params.r));
      ses.push((f.stdErrors?.r ?? NaN) / f.params.r);
    }
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
    const meanSe = ses.reduce((a, b) => a + b, 0) / ses.length;
    // With 6 replicates the sample sd is within a factor ~2.2 of sigma with probability > 0.98.
    expect(sd / meanSe).toBeGreaterThan(1 / 2.5);
    expect(sd / meanSe).toBeLessThan(2.5);
  });
});
