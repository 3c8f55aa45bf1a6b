// Discounted CLV: the monthly schedule and discounting by hand, limiting identities, and a Monte Carlo oracle that
// simulates brand-new customers' purchase times month by month, independently of the closed forms.
import { describe, expect, it } from 'vitest';
import { expectedPurchasesOne } from '../../../src/analytics/clv/bgnbd-predict.js';
import { DAYS_PER_MONTH, discountedClv, monthSchedule } from '../../../src/analytics/clv/clv.js';
import { createRng, deriveSeed } from '../../../src/analytics/random.js';

const bg = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const gg = { p: 6, q: 4, v: 15 };
const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('monthSchedule', () => {
  it('cuts the horizon into 30.4375-day months discounted at the equivalent monthly rate', () => {
    const s = monthSchedule(365.25, 7, 0.12);
    expect(s.ends.length).toBe(12);
    expect(s.monthlyRate).toBeCloseTo(Math.pow(1.12, 1 / 12) - 1, 15);
    expect(s.ends[0]).toBeCloseTo(30.4375 / 7, 12);
    expect(s.ends[11]).toBeCloseTo(365.25 / 7, 12);
    // Twelve monthly discounts compound to exactly the annual one.
    expect(s.discount[11]).toBeCloseTo(1 / 1.12, 12);
    // A horizon that is not a whole number of months ends the last month at the horizon.
    const t = monthSchedule(100, 1, 0);
    expect(Array.from(t.ends)).toEqual([DAYS_PER_MONTH, 2 * DAYS_PER_MONTH, 3 * DAYS_PER_MONTH, 100]);
  });
});

describe('discountedClv', () => {
  const x = f64([0, 1, 4, 4, 12]);
  const tx = f64([0, 5, 20, 20, 37]);
  const T = f64([30, 30, 38, 38, 38]);
  const m = f64([0, 40, 25, 60, 18]);

  it('equals the sum written out month by month', () => {
    const clv = discountedClv({ bgnbd: bg, gg, x, tx, T, m, horizonDays: 365, timeUnitDays: 7, annualDiscountRate: 0.1, marginRate: 0.3 });
    const monthly = Math.pow(1.1, 1 / 12) - 1;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      const spend = xi > 0 ? (gg.p * (gg.v + xi * (m[i] as number))) / (gg.p * xi + gg.q - 1) : (gg.p * gg.v) / (gg.q - 1);
      let expected = 0;
      for (let k = 1; k <= 12; k++) {
        const end = Math.min(k * 30.4375, 365) / 7;
        const prev = (k - 1) * 30.4375 / 7;
        const n = expectedPurchasesOne(bg, end, xi, tx[i] as number, T[i] as number) -
          expectedPurchasesOne(bg, prev, xi, tx[i] as number, T[i] as number);
        expected += (0.3 * spend * n) / Math.pow(1 + monthly, k);
      }
      expect(clv[i]).toBeCloseTo(expected, 10);
    }
    // Same (x, tx, T) share the purchase forecast: CLV then scales with expected spend only.
    const s2 = (gg.p * (gg.v + 4 * 25)) / (gg.p * 4 + gg.q - 1);
    const s3 = (gg.p * (gg.v + 4 * 60)) / (gg.p * 4 + gg.q - 1);
    expect((clv[2] as number) / (clv[3] as number)).toBeCloseTo(s2 / s3, 12);
  });

  it('without discounting is margin × spend × expected purchases over the horizon, in days or weeks', () => {
    const weeks = discountedClv({ bgnbd: bg, gg, x, tx, T, m, horizonDays: 730, timeUnitDays: 7, annualDiscountRate: 0, marginRate: 1 });
    const days = discountedClv({
      bgnbd: { ...bg, alpha: bg.alpha * 7 }, gg, x, tx: tx.map((v) => v * 7), T: T.map((v) => v * 7), m,
      horizonDays: 730, timeUnitDays: 1, annualDiscountRate: 0, marginRate: 1,
    });
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      const spend = xi > 0 ? (gg.p * (gg.v + xi * (m[i] as number))) / (gg.p * xi + gg.q - 1) : 30;
      expect(weeks[i]).toBeCloseTo(spend * expectedPurchasesOne(bg, 730 / 7, xi, tx[i] as number, T[i] as number), 9);
      expect(days[i]).toBeCloseTo(weeks[i] as number, 9);
    }
  });

  it('matches a Monte Carlo of brand-new customers discounted by purchase month', () => {
    // x = tx = T = 0: the forecast is the unconditional one. Spend is independent of purchases in the model, so
    // CLV = margin · p·v/(q−1) · E[Σ purchases discounted by their month]; the expectation is simulated directly.
    const horizonDays = 540;
    const annual = 0.15;
    const monthly = Math.pow(1 + annual, 1 / 12) - 1;
    const n = 100_000;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const rng = createRng(deriveSeed(31, i));
      const lambda = rng.gamma(bg.r, 1 / bg.alpha);
      const p = rng.beta(bg.a, bg.b);
      let t = 0, v = 0;
      for (;;) {
        t += rng.exponential(lambda);
        const day = t * 7;
        if (!(day <= horizonDays)) break;
        v += Math.pow(1 + monthly, -Math.ceil(day / DAYS_PER_MONTH));
        if (rng.chance(p)) break;
      }
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const se = Math.sqrt((s2 / n - mean * mean) / n);
    const clv = discountedClv({
      bgnbd: bg, gg, x: f64([0]), tx: f64([0]), T: f64([0]), m: f64([0]),
      horizonDays, timeUnitDays: 7, annualDiscountRate: annual, marginRate: 0.25,
    });
    const perSpend = (clv[0] as number) / (0.25 * 30);
    expect(Math.abs(perSpend - mean)).toBeLessThan(4 * se);
  });

  it('validates its inputs', () => {
    const base = { bgnbd: bg, gg, x, tx, T, m, horizonDays: 365, timeUnitDays: 7, annualDiscountRate: 0.1, marginRate: 0.3 };
    expect(() => discountedClv({ ...base, marginRate: 1.5 })).toThrow(RangeError);
    expect(() => discountedClv({ ...base, horizonDays: 0 })).toThrow(RangeError);
    expect(() => discountedClv({ ...base, m: f64([1]) })).toThrow(RangeError);
  });

  it('with q ≤ 1 values repeat buyers by their conditional spend and leaves the others NaN', () => {
    // q = 0.5: no population mean (x = 0 has no expected spend), but p·x + q > 1 for every repeat buyer here.
    const heavy = { p: 1, q: 0.5, v: 1 };
    const base = { bgnbd: bg, x, tx, T, m, horizonDays: 365, timeUnitDays: 7, annualDiscountRate: 0.1, marginRate: 0.3 };
    const withHeavy = discountedClv({ ...base, gg: heavy });
    const reference = discountedClv({ ...base, gg });
    expect(Number.isNaN(withHeavy[0])).toBe(true);
    for (let i = 1; i < x.length; i++) {
      const xi = x[i] as number;
      const mi = m[i] as number;
      // Same purchase forecast, so the ratio is the ratio of the hand-computed expected spends.
      const ratio = ((heavy.v + xi * mi) / (xi - 0.5)) / ((gg.p * (gg.v + xi * mi)) / (gg.p * xi + gg.q - 1));
      expect((withHeavy[i] as number) / (reference[i] as number)).toBeCloseTo(ratio, 12);
    }
  });
});
