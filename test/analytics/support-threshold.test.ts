import { describe, expect, it } from 'vitest';
import {
  ceilCleanSupport,
  minSupportCount,
  parseDecimal,
  ratioThreshold,
} from '../../src/analytics/support-threshold.js';

describe('parseDecimal', () => {
  it('reads the shortest decimal, including exponent forms', () => {
    expect(parseDecimal(0.07)).toEqual({ mantissa: 7n, scale: 2 });
    expect(parseDecimal(1e-7)).toEqual({ mantissa: 1n, scale: 7 });
    expect(parseDecimal(1.5e-7)).toEqual({ mantissa: 15n, scale: 8 });
    expect(parseDecimal(2.5e21)).toEqual({ mantissa: 2500000000000000000000n, scale: 0 });
    expect(parseDecimal(3)).toEqual({ mantissa: 3n, scale: 0 });
    expect(() => parseDecimal(-0.1)).toThrow(RangeError);
    expect(() => parseDecimal(Number.NaN)).toThrow(RangeError);
  });
});

describe('minSupportCount', () => {
  it('is exact where floating point is not', () => {
    expect(Math.ceil(0.07 * 100)).toBe(8); // the trap
    expect(minSupportCount(0.07, 100)).toBe(7);
    expect(minSupportCount(0.001, 9835)).toBe(10); // 9.835 -> 10
    expect(minSupportCount(0.001, 10000)).toBe(10);
    expect(minSupportCount(0.0005, 1_000_000)).toBe(500);
    expect(minSupportCount(1e-7, 10_000_000)).toBe(1);
    expect(minSupportCount(1e-7, 10_000_001)).toBe(2);
    expect(minSupportCount(0, 100)).toBe(0);
    expect(minSupportCount(1, 37)).toBe(37);
  });

  it('gives exactly k * n / 100 for every two-digit support k / 100', () => {
    for (const n of [100, 200, 1000, 12_300]) {
      for (let k = 1; k < 100; k++) {
        expect(minSupportCount(k / 100, n)).toBe((k * n) / 100);
        // one transaction fewer: the threshold is no longer an integer, so it rounds up
        expect(minSupportCount(k / 100, n - 1)).toBe(Math.floor((k * (n - 1) + 99) / 100));
      }
    }
  });
});

describe('ratioThreshold', () => {
  it('keeps a ratio exactly at the threshold and drops one just under', () => {
    const t = ratioThreshold(0.7);
    expect(7 / 10 >= 0.7).toBe(true);
    expect(t.atLeast(7, 10)).toBe(true);
    expect(t.atLeast(69_999_999, 100_000_000)).toBe(false);
    expect(ratioThreshold(0.3).atLeast(3, 10)).toBe(true); // 0.1 * 3 = 0.30000000000000004 in floating point
    expect(ratioThreshold(0.123456789012345).atLeast(123456789012345, 1e15)).toBe(true); // BigInt path
    expect(ratioThreshold(0.123456789012345).atLeast(123456789012344, 1e15)).toBe(false);
    expect(ratioThreshold(5).atLeastProducts(5, 3_000_000_000, 1_000_000_000, 3)).toBe(true);
    expect(ratioThreshold(5).atLeastProducts(4_999_999_999, 3_000_000_000, 1_000_000_000, 15_000_000_000)).toBe(false);
  });
});

describe('ceilCleanSupport', () => {
  it('rounds up to two significant digits and never below count / n', () => {
    expect(ceilCleanSupport(123, 100_000)).toBe(0.0013);
    expect(ceilCleanSupport(93, 100_000)).toBe(0.00093);
    expect(ceilCleanSupport(10, 10_000)).toBe(0.001);
    expect(ceilCleanSupport(7, 100)).toBe(0.07);
    expect(ceilCleanSupport(101, 100)).toBe(1.1);
    for (let n = 1; n < 400; n += 7) {
      for (let c = 1; c <= n; c += 3) {
        const s = ceilCleanSupport(c, n);
        expect(minSupportCount(s, n)).toBeGreaterThanOrEqual(c);
        expect(String(s).replace(/^0\.0*|\./g, '').length).toBeLessThanOrEqual(2);
      }
    }
  });
});
