import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../src/analytics/rand-index.js';

const ari = (a: number[], b: number[]) => adjustedRandIndex(Int32Array.from(a), Int32Array.from(b));

describe('adjustedRandIndex', () => {
  it('matches a hand-computed case', () => {
    // Contingency [[2,1],[0,1],[0,2]] over 6 rows: pairs together in both = 1+1 = 2; same in a = 3+3 = 6;
    // same in b = 1+1+1 = 3; all pairs 15. Expected index 6·3/15 = 1.2, max (6+3)/2 = 4.5
    // → ARI = (2 − 1.2) / (4.5 − 1.2) = 8/33.
    expect(ari([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(8 / 33, 14);
    expect(ari([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 14);
    expect(ari([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
  });

  it('ignores label names and is symmetric', () => {
    expect(ari([0, 0, 1, 1, 2], [7, 7, -1, -1, 3])).toBe(1);
    expect(ari([0, 0, 1, 2], [0, 0, 1, 1])).toBe(ari([0, 0, 1, 1], [0, 0, 1, 2]));
  });

  it('follows scikit-learn on degenerate partitions', () => {
    expect(ari([0, 0, 0, 0], [0, 0, 0, 0])).toBe(1);
    expect(ari([0, 1, 2, 3], [0, 1, 2, 3])).toBe(1);
    expect(ari([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(() => ari([0], [0, 1])).toThrow();
  });
});
