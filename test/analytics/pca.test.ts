import { describe, expect, it } from 'vitest';
import { jacobiEigen, pca2 } from '../../src/analytics/pca.js';
import { createRng } from '../../src/analytics/random.js';

describe('pca2', () => {
  it('matches a hand-computed case', () => {
    // Points (±2, 0), (0, ±1) rotated by 45° and shifted by (5, 5), plus a constant third column.
    // Sample covariance (n − 1 = 3) in the unrotated frame: diag(8/3, 2/3) → components along the rotated
    // axes u = (1, 1, 0)/√2 and v = (−1, 1, 0)/√2 (signs: largest loading positive).
    const r = Math.SQRT1_2;
    const base = [[2, 0], [-2, 0], [0, 1], [0, -1]];
    const data = Float64Array.from(base.flatMap(([a, b]) => [5 + r * (a! - b!), 5 + r * (a! + b!), 7]));
    const p = pca2(data, 4, 3, { rows: Int32Array.from([0, 1, 2, 3]) });
    expect(Array.from(p.mean)).toEqual([5, 5, 7]);
    expect(p.explainedVariance[0]).toBeCloseTo(8 / 3, 12);
    expect(p.explainedVariance[1]).toBeCloseTo(2 / 3, 12);
    expect(p.explainedVarianceRatio[0]).toBeCloseTo(0.8, 12);
    const expected = [r, r, 0, -r, r, 0];
    const sign = p.components[4]! > 0 ? 1 : -1; // equal-magnitude loadings: either sign is the same axis
    p.components.forEach((v, i) => expect(v).toBeCloseTo(i < 3 ? expected[i]! : sign * expected[i]!, 12));
    const coords = [2, 0, -2, 0, 0, 1, 0, -1];
    p.coords.forEach((v, i) => expect(v).toBeCloseTo(i % 2 === 0 ? coords[i]! : sign * coords[i]!, 12));
  });

  it('diagonalises a random symmetric matrix (A v = λ v, orthonormal vectors)', () => {
    const rng = createRng(2);
    const d = 12;
    const m = Float64Array.from({ length: d * d }, () => rng.normal());
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] = m[i * d + j]! + m[j * d + i]!;
    const { values, vectors } = jacobiEigen(a.slice(), d);
    for (let c = 0; c < d; c++) {
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += a[i * d + j]! * vectors[j * d + c]!;
        expect(av).toBeCloseTo(values[c]! * vectors[i * d + c]!, 10);
      }
      for (let c2 = 0; c2 < d; c2++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += vectors[i * d + c]! * vectors[i * d + c2]!;
        expect(dot).toBeCloseTo(c === c2 ? 1 : 0, 12);
      }
    }
  });

  it('projects a seeded sample of rows when none are given', () => {
    const rng = createRng(9);
    const n = 20_000, d = 4;
    const x = Float64Array.from({ length: n * d }, (_, i) => rng.normal() * (1 + (i % d)));
    const p = pca2(x, n, d, { seed: 3, sampleSize: 500 });
    expect(p.rows.length).toBe(500);
    expect(p.coords.length).toBe(1000);
    // Largest variance is the last column (sd 4), then the third (sd 3).
    expect(Math.abs(p.components[3]!)).toBeCloseTo(1, 2);
    expect(Math.abs(p.components[d + 2]!)).toBeCloseTo(1, 2);
    expect(Array.from(pca2(x, n, d, { seed: 3, sampleSize: 500 }).coords)).toEqual(Array.from(p.coords));
  });
});
