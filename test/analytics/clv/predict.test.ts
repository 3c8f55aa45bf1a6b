// BG/NBD and Gamma-Gamma predictions: eq. 10 against its literal form with hyp2f1, and every conditional
// prediction against what simulated customers (planted truth) actually did in a holdout period. Each comparison
// uses the true parameters and allows 4 standard errors of the simulated mean (sample sd / √n).
import { describe, expect, it } from 'vitest';
import {
  bgnbdExpectedPurchases,
  bgnbdPAlive,
  bgnbdUnconditionalExpected,
  expectedPurchasesOne,
} from '../../../src/analytics/clv/bgnbd-predict.js';
import { gammaGammaExpectedSpend } from '../../../src/analytics/clv/gamma-gamma.js';
import { simulateCustomers } from '../../../src/analytics/clv/simulate.js';
import { hyp2f1 } from '../../../src/analytics/clv/special-functions.js';

const truthB = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const truthG = { p: 6, q: 4, v: 15 };

/** FHL 2005 eq. 10 exactly as printed. */
function eq10(p: typeof truthB, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const C = a + b + x - 1;
  const head = (C / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, C, t / (alpha + T + t)));
  const D = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
  return head / D;
}

/** Mean and standard error of the mean of (actual − predicted) over a subset. */
function gap(actual: ArrayLike<number>, predicted: ArrayLike<number>, keep: (i: number) => boolean) {
  let n = 0, s = 0, s2 = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!keep(i)) continue;
    const d = (actual[i] as number) - (predicted[i] as number);
    n++;
    s += d;
    s2 += d * d;
  }
  const mean = s / n;
  return { n, mean, se: Math.sqrt((s2 / n - mean * mean) / n) };
}

describe('conditional expected purchases', () => {
  it('equals FHL eq. 10 evaluated literally with hyp2f1', () => {
    const cases: Array<[number, number, number, number]> = [
      [39, 0, 0, 38.86], [39, 2, 30.43, 38.86], [52, 10, 34.14, 38.86], [1, 2, 14.57, 38.71], [300, 29, 37.71, 38], [10, 1, 1, 2],
    ];
    const p = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
    for (const [t, x, tx, T] of cases) {
      const lit = eq10(p, t, x, tx, T);
      expect(Math.abs(expectedPurchasesOne(p, t, x, tx, T) - lit)).toBeLessThan(1e-10 * Math.max(1, lit));
    }
  });

  it('is continuous through a = 1, where eq. 10 is 0/0', () => {
    const at = (a: number) => expectedPurchasesOne({ ...truthB, a }, 39, 3, 20, 38);
    const mid = at(1);
    expect(Number.isFinite(mid)).toBe(true);
    expect(Math.abs(at(1 + 1e-7) - mid)).toBeLessThan(1e-6);
    expect(Math.abs(at(1 - 1e-7) - mid)).toBeLessThan(1e-6);
    // Away from 1 the literal form is accurate and both agree.
    expect(at(1.01)).toBeCloseTo(eq10({ ...truthB, a: 1.01 }, 39, 3, 20, 38), 9);
  });

  it('stays finite for large a and b (a constant-dropout ridge) and agrees across its switch of forms', () => {
    // a ≈ 641, b ≈ 2.6e6 is where a BG/NBD fit of NBD data can stop (a, b → ∞ with a/(a+b) fixed); the Euler form's
    // series overflows there, so the literal eq. 10 is used, and it must match eq10 evaluated independently here.
    const big = { r: 0.609, alpha: 5.063, a: 640.7, b: 2.624e6 };
    for (const [t, x, tx, T] of [[52, 0, 0, 30], [52, 4, 20, 59.3], [39, 25, 50, 52], [200, 60, 55, 56]] as const) {
      const lit = eq10(big, t, x, tx, T);
      expect(Number.isFinite(lit)).toBe(true);
      expect(Math.abs(expectedPurchasesOne(big, t, x, tx, T) - lit)).toBeLessThan(1e-9 * Math.max(1, lit));
    }
    // The switch for x = 3, r = 0.25 is at a − 1 = r + x: the two formulas meet there.
    const at = (a: number) => expectedPurchasesOne({ ...truthB, a }, 39, 3, 20, 38);
    expect(at(4.25 + 1e-12) / at(4.25 - 1e-12)).toBeCloseTo(1, 10);
  });

  it('predicts simulated holdout purchases, by calibration frequency', () => {
    const s = simulateCustomers({ n: 20_000, seed: 77, bgnbd: truthB, minAge: 26, maxAge: 52, holdout: 39 });
    const pred = bgnbdExpectedPurchases(truthB, 39, s.x, s.tx, s.T);
    const bands: Array<[number, number]> = [[0, 0], [1, 1], [2, 2], [3, 4], [5, 9], [10, Infinity]];
    for (const [lo, hi] of bands) {
      const g = gap(s.holdoutX, pred, (i) => (s.x[i] as number) >= lo && (s.x[i] as number) <= hi);
      expect(g.n).toBeGreaterThan(100);
      expect(Math.abs(g.mean)).toBeLessThan(4 * g.se);
    }
  });

  it('uses the customer time unit consistently (days vs weeks give the same answer)', () => {
    const weeks = expectedPurchasesOne(truthB, 26, 4, 20, 30);
    const days = expectedPurchasesOne({ ...truthB, alpha: truthB.alpha * 7 }, 26 * 7, 4, 140, 210);
    expect(days).toBeCloseTo(weeks, 12);
  });
});

describe('P(alive)', () => {
  it('matches the simulated share still alive at T, by frequency', () => {
    const s = simulateCustomers({ n: 20_000, seed: 78, bgnbd: truthB, minAge: 26, maxAge: 52 });
    const pa = bgnbdPAlive(truthB, s.x, s.tx, s.T);
    for (const [lo, hi] of [[0, 0], [1, 1], [2, 3], [4, Infinity]] as const) {
      const g = gap(s.aliveAtT, pa, (i) => (s.x[i] as number) >= lo && (s.x[i] as number) <= hi);
      expect(Math.abs(g.mean)).toBeLessThan(4 * g.se + 1e-12);
    }
    // Nobody with x = 0 can have dropped out (dropout happens only after a repeat purchase).
    for (let i = 0; i < s.x.length; i++) if (s.x[i] === 0) expect(pa[i]).toBe(1);
  });
});

describe('unconditional E[X(t)]', () => {
  it('matches the mean number of purchases of brand-new simulated customers', () => {
    const s = simulateCustomers({ n: 40_000, seed: 79, bgnbd: truthB, minAge: 0, maxAge: 0, holdout: 52 });
    const e = bgnbdUnconditionalExpected(truthB, 52);
    const g = gap(s.holdoutX, new Float64Array(s.x.length).fill(e), () => true);
    expect(Math.abs(g.mean)).toBeLessThan(4 * g.se);
    expect(bgnbdUnconditionalExpected(truthB, 0)).toBe(0);
  });
});

describe('Gamma-Gamma expected spend', () => {
  it('matches the true mean transaction value of simulated customers, by frequency', () => {
    const s = simulateCustomers({ n: 20_000, seed: 80, bgnbd: truthB, gammaGamma: truthG, minAge: 26, maxAge: 78 });
    const e = gammaGammaExpectedSpend(truthG, s.x, s.m);
    for (const [lo, hi] of [[0, 0], [1, 1], [2, 4], [5, Infinity]] as const) {
      const g = gap(s.trueMeanValue, e, (i) => (s.x[i] as number) >= lo && (s.x[i] as number) <= hi);
      expect(Math.abs(g.mean)).toBeLessThan(4 * g.se);
    }
    // x = 0 falls back to the population mean p·v/(q−1).
    expect(gammaGammaExpectedSpend(truthG, Float64Array.of(0), Float64Array.of(0))[0]).toBeCloseTo((6 * 15) / 3, 12);
  });

  it('exists for a repeat buyer when q ≤ 1 (posterior mean by quadrature) and is NaN where it does not', () => {
    // Brute-force oracle: E[p/ν | x, m] with prior ν ~ Gamma(q, rate v) and likelihood ν^(p·x) e^(−ν·x·m),
    // integrated numerically over ν on a log grid (no closed form used). The grid reaches far below the peak because
    // with p·x + q near 1 the mass of 1/ν sits at tiny ν (the integrand in ln ν decays only like ν^(p·x+q−1)).
    const posteriorMean = (p: number, q: number, v: number, x: number, m: number): number => {
      let num = 0;
      let den = 0;
      const logW = (nu: number): number => (q + p * x) * Math.log(nu) - (v + x * m) * nu; // ν·density, for dν = ν d(ln ν)
      const peak = (q + p * x) / (v + x * m);
      const ref = logW(peak);
      for (let u = -300; u <= 12; u += 1e-3) {
        const nu = peak * Math.exp(u);
        const w = Math.exp(logW(nu) - ref);
        num += (w * p) / nu;
        den += w;
      }
      return num / den;
    };
    const cases: Array<[number, number, number, number, number]> = [[1, 0.9, 1, 1, 3], [0.2, 0.4, 5, 4, 50], [3, 0.3, 0.5, 2, 7]];
    for (const [p, q, v, x, m] of cases) {
      const e = gammaGammaExpectedSpend({ p, q, v }, Float64Array.of(x), Float64Array.of(m))[0] as number;
      expect(e / posteriorMean(p, q, v, x, m)).toBeCloseTo(1, 6);
    }
    // No population mean with q ≤ 1, and no conditional one while p·x + q ≤ 1 (0.1·3 + 0.5 < 1).
    const none = gammaGammaExpectedSpend({ p: 0.1, q: 0.5, v: 1 }, Float64Array.of(0, 3, 6), Float64Array.of(0, 10, 10));
    expect(Number.isNaN(none[0])).toBe(true);
    expect(Number.isNaN(none[1])).toBe(true);
    expect(none[2]).toBeCloseTo((0.1 * (1 + 60)) / (0.6 + 0.5 - 1), 12);
  });
});
