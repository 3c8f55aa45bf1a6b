// lgamma and the Gauss hypergeometric function against closed forms and an independent naive series.
import { describe, expect, it } from 'vitest';
import { hyp2f1, hyp2f1Reduced, lgamma, lgammaDiff } from '../../../src/analytics/clv/special-functions.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

/** Plain partial sums, no tail bound or transformations: the oracle for moderate z. */
function naive2f1(a: number, b: number, c: number, z: number, terms = 200_000): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < terms; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
  }
  return sum;
}

describe('lgamma', () => {
  it('matches log factorials and half-integer values', () => {
    let fact = 1;
    for (let n = 1; n <= 30; n++) {
      expect(Math.abs(lgamma(n) - Math.log(fact))).toBeLessThan(1e-13 * Math.max(1, Math.log(fact)));
      fact *= n;
    }
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lgamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
    // Γ(−0.5) = −2√π: lgamma returns log|Γ|.
    expect(lgamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    expect(lgamma(1e-10)).toBeCloseTo(-Math.log(1e-10) - 0.5772156649015329e-10, 12);
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
  });

  it('satisfies the recurrence lgamma(x+1) = lgamma(x) + ln x across the Stirling switch', () => {
    for (const x of [0.01, 0.37, 2.5, 9.3, 9.99, 10.01, 47.2, 1234.5]) {
      expect(Math.abs(lgamma(x + 1) - lgamma(x) - Math.log(x))).toBeLessThan(1e-12 * Math.max(1, Math.abs(lgamma(x))));
    }
  });
});

describe('lgammaDiff', () => {
  it('is exact on the recurrence where a plain difference of log-gammas loses every digit', () => {
    // Γ(z + 1) = z Γ(z) and Γ(z + 2) = z (z + 1) Γ(z), for z up to 1e12 (where ln Γ(z) ≈ 2.6e13).
    for (const z of [0.3, 4, 9.5, 10, 37.25, 1e4, 3.3e8, 1e12]) {
      expect(lgammaDiff(z, 1)).toBeCloseTo(Math.log(z), 12);
      expect(lgammaDiff(z, 2)).toBeCloseTo(Math.log(z) + Math.log(z + 1), 12);
    }
    expect(Math.abs(lgamma(3.3e8 + 1) - lgamma(3.3e8) - Math.log(3.3e8))).toBeGreaterThan(1e-8); // why it exists
  });

  it('matches the asymptotic expansion for a fractional shift and the plain difference for small arguments', () => {
    // ln Γ(z + d) − ln Γ(z) = d ln z + d(d − 1)/(2z) − d(d − 1)(2d − 1)/(12 z²) + O(z⁻³).
    for (const [z, d] of [[1e6, 0.42], [5e8, 0.5], [2e10, 3.7]] as const) {
      const series = d * Math.log(z) + (d * (d - 1)) / (2 * z) - (d * (d - 1) * (2 * d - 1)) / (12 * z * z);
      expect(Math.abs(lgammaDiff(z, d) - series)).toBeLessThan(1e-13 * Math.max(1, Math.abs(series)));
    }
    for (const [z, d] of [[0.5, 0.3], [3, 8.5], [12, -2.5], [9.9, 0.2]] as const) {
      expect(lgammaDiff(z, d)).toBeCloseTo(lgamma(z + d) - lgamma(z), 12);
    }
  });
});

describe('hyp2f1', () => {
  it('2F1(1,1;2;z) = −ln(1−z)/z, including z near 1 and negative z', () => {
    for (const z of [-20, -3, -0.9, -0.2, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]) {
      expect(rel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-12);
    }
  });

  it('2F1(a,b;b;z) = (1−z)^−a (both the direct series and the z→1 connection formula)', () => {
    for (const [a, b] of [[2.3, 1.7], [0.4, 5.5], [7.25, 0.3]] as const) {
      for (const z of [-5, -0.5, 0.3, 0.8, 0.93, 0.97, 0.995]) {
        expect(rel(hyp2f1(a, b, b, z), Math.pow(1 - z, -a))).toBeLessThan(1e-12);
      }
    }
  });

  it('2F1(1/2,1/2;3/2;z²) = arcsin(z)/z and 2F1(1/2,1;3/2;−z²) = arctan(z)/z', () => {
    for (const s of [0.1, 0.6, 0.96, 0.999]) {
      expect(rel(hyp2f1(0.5, 0.5, 1.5, s * s), Math.asin(s) / s)).toBeLessThan(1e-12);
    }
    for (const s of [0.3, 1, 4, 30]) {
      expect(rel(hyp2f1(0.5, 1, 1.5, -s * s), Math.atan(s) / s)).toBeLessThan(1e-12);
    }
  });

  it('terminates for non-positive integer a (a polynomial)', () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
    const [b, c, z] = [1.5, 2.5, 0.7];
    expect(hyp2f1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 14);
  });

  it('agrees with naive partial sums for BG/NBD-like arguments, on both sides of the z = 0.9 switch', () => {
    const cases: Array<[number, number, number]> = [
      [0.24, 2.43, 2.22],
      [3.24, 5.43, 6.22],
      [10.3, 12.4, 14.2],
      [0.5, 0.7, 3.3],
    ];
    for (const [a, b, c] of cases) {
      for (const z of [0.2, 0.85, 0.92, 0.96]) {
        expect(rel(hyp2f1(a, b, c, z), naive2f1(a, b, c, z))).toBeLessThan(1e-11);
      }
    }
  });

  it('rejects z >= 1 and poles in c', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
  });
});

describe('hyp2f1Reduced', () => {
  it('equals (2F1 − 1)/b and tends to the b-derivative as b → 0', () => {
    for (const [a, b, c, z] of [[1.3, 0.4, 2.2, 0.5], [-0.6, -0.2, 3.1, 0.9], [5, 2, 7, 0.3]] as const) {
      expect(rel(hyp2f1Reduced(a, b, c, z), (hyp2f1(a, b, c, z) - 1) / b)).toBeLessThan(1e-11);
    }
    // d/db 2F1(a,b;c;z) at b = 0 is Σ_k≥1 (a)_k (k−1)! z^k / ((c)_k k!); for a = c it is Σ z^k / k = −ln(1−z).
    expect(rel(hyp2f1Reduced(2.5, 0, 2.5, 0.6), -Math.log(0.4))).toBeLessThan(1e-13);
  });
});
