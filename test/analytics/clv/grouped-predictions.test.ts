// The expected purchases and the CLV are computed once per (x, t_x, T) group (rfmTriples): every customer must get,
// to the last bit, what the closed form gives their own row, whichever way the groups reach the functions.
import { describe, expect, it } from 'vitest';
import { bgnbdExpectedPurchases, expectedPurchasesOne, rfmTriples } from '../../../src/analytics/clv/bgnbd-predict.js';
import { DAYS_PER_MONTH, discountedClv } from '../../../src/analytics/clv/clv.js';
import { createRng } from '../../../src/analytics/random.js';

const bg = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const gg = { p: 6, q: 4, v: 15 };

/** Customers drawn from few values, so many share a triple; x = 0 rows carry arbitrary t_x (it means nothing there). */
function customers(n: number, seed: number) {
  const rng = createRng(seed);
  const x = new Float64Array(n), tx = new Float64Array(n), T = new Float64Array(n), m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 10 + rng.int(8) / 7;
    x[i] = rng.int(4);
    tx[i] = x[i]! > 0 ? Math.min(T[i]!, rng.int(6) / 7 + 3) : rng.int(3);
    m[i] = x[i]! > 0 ? 20 + rng.int(50) : 0;
  }
  return { x, tx, T, m };
}

describe('rfmTriples', () => {
  const { x, tx, T } = customers(5_000, 7);
  const triples = rfmTriples(x, tx, T);

  it('puts two customers in one group exactly when x and T agree and, where x > 0, t_x too', () => {
    const key = (i: number) => `${x[i]}|${x[i]! > 0 ? tx[i] : 0}|${T[i]}`;
    const groupOfKey = new Map<string, number>();
    for (let i = 0; i < x.length; i++) {
      const g = triples.group[i]!;
      const seen = groupOfKey.get(key(i));
      if (seen === undefined) groupOfKey.set(key(i), g);
      else expect(g).toBe(seen);
    }
    expect(triples.first.length).toBe(groupOfKey.size);
    expect(triples.first.length).toBeLessThan(x.length / 5);
  });

  it('gives every customer the expected purchases of their own row, to the last bit', () => {
    const expected = bgnbdExpectedPurchases(bg, 52, x, tx, T);
    const shared = bgnbdExpectedPurchases(bg, 52, x, tx, T, triples);
    for (let i = 0; i < x.length; i++) {
      const own = expectedPurchasesOne(bg, 52, x[i]!, tx[i]!, T[i]!);
      expect(Object.is(expected[i], own)).toBe(true);
      expect(Object.is(shared[i], own)).toBe(true);
    }
  });

  it('gives the CLV the same groups whether passed in or formed inside', () => {
    const { m } = customers(5_000, 7);
    const input = { bgnbd: bg, gg, x, tx, T, m, horizonDays: 365, timeUnitDays: 7, annualDiscountRate: 0.1, marginRate: 0.3 };
    const inside = discountedClv(input);
    const passed = discountedClv({ ...input, triples });
    expect(Array.from(passed)).toEqual(Array.from(inside));
    // One customer by hand: the month-by-month sum of their own row.
    const i = x.findIndex((v) => v > 0);
    const spend = (gg.p * (gg.v + x[i]! * m[i]!)) / (gg.p * x[i]! + gg.q - 1);
    let sum = 0;
    let prev = 0;
    for (let k = 1; k <= 12; k++) {
      const cum = expectedPurchasesOne(bg, Math.min(k * DAYS_PER_MONTH, 365) / 7, x[i]!, tx[i]!, T[i]!);
      sum += (cum - prev) * Math.pow(1.1, -k / 12);
      prev = cum;
    }
    expect(passed[i]).toBeCloseTo(0.3 * spend * sum, 9);
  });

  it('refuses groups formed over other customers', () => {
    const other = rfmTriples(x.subarray(0, 10), tx.subarray(0, 10), T.subarray(0, 10));
    expect(() => bgnbdExpectedPurchases(bg, 52, x, tx, T, other)).toThrow(/10 grouped rows for 5000 customers/);
  });
});
