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
    expect(() => gammaGammaExpectedSpend({ p: 1, q: 0.9, v: 1 }, Float64Array.of(1), Float64Array.of(3))).toThrow(RangeError);
  });
});
