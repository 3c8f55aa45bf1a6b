import { describe, expect, it } from 'vitest';
import { pairwiseAccuracy } from '../../src/analytics/pairwise-accuracy.js';

function bruteForce(predicted: string[], truth: string[]): { precision: number; recall: number } {
  let pp = 0, tp = 0, both = 0;
  for (let i = 0; i < predicted.length; i++) {
    for (let j = i + 1; j < predicted.length; j++) {
      if (!truth[i] || !truth[j]) continue;
      const p = predicted[i] === predicted[j];
      const t = truth[i] === truth[j];
      if (p) pp++;
      if (t) tp++;
      if (p && t) both++;
    }
  }
  return { precision: pp ? both / pp : 1, recall: tp ? both / tp : 1 };
}

describe('pairwiseAccuracy', () => {
  it('matches brute-force pair counting, junk identities left out', () => {
    const predicted = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'd'];
    const truth = ['p', 'p', 'q', 'q', 'q', 'r', '', 'r'];
    const got = pairwiseAccuracy(predicted, truth);
    const want = bruteForce(predicted, truth);
    expect(got.precision).toBeCloseTo(want.precision, 12);
    expect(got.recall).toBeCloseTo(want.recall, 12);
    expect(got).toMatchObject({ predictedPairs: 4, truePairs: 5, correctPairs: 2 });
  });

  it('random cases agree with brute force', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let c = 0; c < 20; c++) {
      const n = 30 + rnd(40);
      const predicted = Array.from({ length: n }, () => `k${rnd(8)}`);
      const truth = Array.from({ length: n }, () => (rnd(10) === 0 ? '' : `p${rnd(8)}`));
      const got = pairwiseAccuracy(predicted, truth);
      const want = bruteForce(predicted, truth);
      expect(got.precision).toBeCloseTo(want.precision, 12);
      expect(got.recall).toBeCloseTo(want.recall, 12);
    }
  });
});
