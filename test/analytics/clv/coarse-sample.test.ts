// The coarse searches' sample (src/analytics/clv/coarse-sample.ts): with many customers the coarse Nelder–Mead runs
// on every k-th one, and everything that decides the fit runs on all of them. The oracle is the same fit without the
// sample: both must reach the same maximum (total log-likelihood within 1e-4, the fits' own tolerance), the same
// well-identified parameters (log-parameters within 1e-3) and the same predictions, with fewer evaluations over every
// customer; and the sampled fit must recover the planted truth like the full one (recovery.test.ts).
// coarseCustomers shrinks the sample so that the test data stays small: 40,000 customers, a sample of 5,000.
import { describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../../src/analytics/clv/bgnbd.js';
import { bgnbdExpectedPurchases } from '../../../src/analytics/clv/bgnbd-predict.js';
import { coarseRows, coarseSample, COARSE_CUSTOMERS, sampleColumn } from '../../../src/analytics/clv/coarse-sample.js';
import { fitGammaGamma, gammaGammaExpectedSpend } from '../../../src/analytics/clv/gamma-gamma.js';
import { simulateCustomers } from '../../../src/analytics/clv/simulate.js';

const truthB = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const truthG = { p: 6, q: 4, v: 15 };

function maxRelativeGap(a: Float64Array, b: Float64Array): number {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1e-12, Math.abs(b[i] as number)));
  return gap;
}

describe('coarseSample', () => {
  it('takes nothing up to four times the target, then a stride that leaves about the target', () => {
    expect(coarseSample(4 * COARSE_CUSTOMERS)).toBeNull();
    expect(coarseSample(1000, 0)).toBeNull();
    const s = coarseSample(882_106);
    expect(s?.k).toBe(18);
    expect(s?.rows.length).toBe(49_006);
    expect(Array.from(s?.rows.slice(0, 3) ?? [])).toEqual([0, 18, 36]);
    expect(s?.rows[s.rows.length - 1]).toBe(882_090);
    const odd = coarseSample(21, 5);
    expect(Array.from(odd?.rows ?? [])).toEqual([0, 5, 10, 15, 20]);
    expect(Array.from(sampleColumn(Float64Array.from({ length: 21 }, (_, i) => i * 10), odd!))).toEqual([0, 50, 100, 150, 200]);
    expect(sampleColumn(undefined, odd!)).toBeUndefined();
  });

  it('gives a fit\'s sample rows only when the sample holds a repeat customer', () => {
    const x = new Float64Array(21);
    expect(coarseRows(x, 5)).toBeNull();
    x[7] = 2;
    expect(coarseRows(x, 5)).toBeNull();
    x[10] = 3;
    const rows = coarseRows(x, 5);
    expect(Array.from(rows?.x ?? [])).toEqual([0, 0, 3, 0, 0]);
    expect(Array.from(rows?.pick(Float64Array.from({ length: 21 }, (_, i) => i)) ?? [])).toEqual([0, 5, 10, 15, 20]);
    expect(rows?.pick(undefined)).toBeUndefined();
    expect(coarseRows(x.subarray(0, 20), 5)).toBeNull();
  });
});

describe('CLV fits with the coarse searches on a sample', () => {
  const s = simulateCustomers({ n: 40_000, seed: 77, bgnbd: truthB, gammaGamma: truthG, minAge: 26, maxAge: 78 });

  it('BG/NBD reaches the full fit\'s maximum, parameters and predictions, and recovers the truth', () => {
    const full = fitBgNbd(s.x, s.tx, s.T, { coarseCustomers: 0 });
    const sampled = fitBgNbd(s.x, s.tx, s.T, { coarseCustomers: 5_000 });
    expect(full.sampleEvaluations).toBe(0);
    expect(sampled.sampleEvaluations).toBeGreaterThan(0);
    expect(sampled.evaluations).toBeLessThan(full.evaluations);
    expect(full.converged && sampled.converged).toBe(true);
    expect(Math.abs(sampled.logLik - full.logLik)).toBeLessThan(1e-4);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(Math.log(sampled.params[k] / full.params[k]))).toBeLessThan(1e-3);
      const se = sampled.stdErrors?.[k] ?? Infinity;
      expect(Math.abs(sampled.params[k] - truthB[k])).toBeLessThan(4 * se);
    }
    const predict = (p: typeof full.params) => bgnbdExpectedPurchases(p, 52, s.x, s.tx, s.T);
    expect(maxRelativeGap(predict(sampled.params), predict(full.params))).toBeLessThan(1e-4);
  });

  it('Gamma-Gamma reaches the full fit\'s maximum, parameters and predictions, and recovers the truth', () => {
    const full = fitGammaGamma(s.x, s.m, { coarseCustomers: 0 });
    const sampled = fitGammaGamma(s.x, s.m, { coarseCustomers: 5_000 });
    expect(full.sampleEvaluations).toBe(0);
    expect(sampled.sampleEvaluations).toBeGreaterThan(0);
    expect(sampled.evaluations).toBeLessThan(full.evaluations);
    expect(full.converged && sampled.converged).toBe(true);
    expect(Math.abs(sampled.logLik - full.logLik)).toBeLessThan(1e-4);
    for (const k of ['p', 'q', 'v'] as const) {
      expect(Math.abs(Math.log(sampled.params[k] / full.params[k]))).toBeLessThan(1e-3);
      const se = sampled.stdErrors?.[k] ?? Infinity;
      expect(Math.abs(sampled.params[k] - truthG[k])).toBeLessThan(4 * se);
    }
    expect(maxRelativeGap(gammaGammaExpectedSpend(sampled.params, s.x, s.m), gammaGammaExpectedSpend(full.params, s.x, s.m))).toBeLessThan(1e-4);
  });

  it('samples nothing at or below four times coarseCustomers: the fit is the full one to the bit', () => {
    const small = simulateCustomers({ n: 8_000, seed: 78, bgnbd: truthB, minAge: 26, maxAge: 78 });
    const a = fitBgNbd(small.x, small.tx, small.T, { coarseCustomers: 2_000 });
    const b = fitBgNbd(small.x, small.tx, small.T, { coarseCustomers: 0 });
    expect(a.sampleEvaluations).toBe(0);
    expect(a.params).toEqual(b.params);
    expect(a.evaluations).toBe(b.evaluations);
  });
});
