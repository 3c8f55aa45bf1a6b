import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../src/analytics/random.js';

describe('createRng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws with the right moments', () => {
    const rng = createRng(7);
    const n = 200_000;
    let u = 0, g = 0, p = 0, z2 = 0;
    for (let i = 0; i < n; i++) {
      u += rng.next();
      g += rng.gamma(2.5, 2);
      p += rng.poisson(3);
      const z = rng.normal();
      z2 += z * z;
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(g / n).toBeCloseTo(5, 1);
    expect(p / n).toBeCloseTo(3, 1);
    expect(z2 / n).toBeCloseTo(1, 1);
  });

  it('derives independent, stable sub-seeds', () => {
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 2));
  });
});
