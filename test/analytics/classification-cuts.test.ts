// Cut-off choice against brute force: bestF1Threshold tries every distinct score with F1 counted directly, and
// bestRecencyCut every integer N with TPR − FPR counted directly; both on tied, random data, plus hand cases.
import { describe, expect, it } from 'vitest';
import { bestF1Threshold, bestRecencyCut } from '../../src/analytics/classification-cuts.js';
import { auc } from '../../src/analytics/classification-metrics.js';
import { createRng } from '../../src/analytics/random.js';

function bruteF1(scores: number[], y: number[]): { threshold: number; f1: number } {
  let best = { threshold: NaN, f1: -1 };
  for (const t of [...new Set(scores)].sort((a, b) => b - a)) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    scores.forEach((s, i) => {
      if (s >= t) y[i] ? tp++ : fp++;
      else if (y[i]) fn++;
    });
    const f1 = (2 * tp) / (2 * tp + fp + fn);
    if (f1 > best.f1) best = { threshold: t, f1 };
  }
  return best;
}

function bruteYouden(recency: number[], y: number[]): { days: number; youden: number } {
  const p = y.filter((v) => v === 1).length;
  const n = y.length - p;
  let best = { days: Math.min(...recency) - 1, youden: 0 };
  for (let days = Math.min(...recency); days <= Math.max(...recency); days++) {
    let tp = 0;
    let fp = 0;
    recency.forEach((r, i) => {
      if (r > days) y[i] ? tp++ : fp++;
    });
    const j = tp / p - fp / n;
    if (j > best.youden + 1e-12) best = { days, youden: j };
  }
  return best;
}

describe('bestF1Threshold', () => {
  it('picks the hand-computed threshold', () => {
    // t = 0.9: tp 1, flagged 1 → F1 = 2/(1+3) = 0.5; t = 0.6: tp 2, flagged 3 → 4/6; t = 0.2: tp 3, flagged 5 → 6/8.
    expect(bestF1Threshold([0.9, 0.6, 0.6, 0.2, 0.2], [1, 1, 0, 1, 0])).toEqual({ threshold: 0.2, f1: 0.75 });
    expect(Number.isNaN(bestF1Threshold([0.1, 0.2], [0, 0]).threshold)).toBe(true);
  });

  it('matches brute force on tied random scores', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 40; trial++) {
      const n = 5 + rng.int(200);
      const scores = Array.from({ length: n }, () => rng.int(12) / 11);
      const y = scores.map((s) => (rng.chance(0.2 + 0.6 * s) ? 1 : 0));
      if (!y.includes(1)) continue;
      const got = bestF1Threshold(scores, y);
      const want = bruteF1(scores, y);
      expect(got.threshold).toBe(want.threshold);
      expect(got.f1).toBeCloseTo(want.f1, 12);
    }
  });
});

describe('bestRecencyCut', () => {
  it('picks the hand-computed N', () => {
    // Churners have recency 50, 80, 120; returners 5, 10, 60. recency > 10: TPR 1, FPR 1/3 → J = 2/3;
    // recency > 60: TPR 2/3, FPR 0 → J = 2/3 too; ties go to the smaller N.
    const cut = bestRecencyCut([50, 80, 120, 5, 10, 60], [1, 1, 1, 0, 0, 0]);
    expect(cut.days).toBe(10);
    expect(cut.youden).toBeCloseTo(2 / 3, 12);
  });

  it('matches brute force, and its J is 2 · AUC − 1 of the 0/1 rule', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 10 + rng.int(300);
      const recency = Array.from({ length: n }, () => rng.int(365));
      const y = recency.map((r) => (rng.chance(0.1 + r / 500) ? 1 : 0));
      if (!y.includes(1) || !y.includes(0)) continue;
      const got = bestRecencyCut(recency, y);
      const want = bruteYouden(recency, y);
      expect(got.days).toBe(want.days);
      expect(got.youden).toBeCloseTo(want.youden, 12);
      const rule = recency.map((r) => (r > got.days ? 1 : 0));
      expect(2 * auc(rule, y) - 1).toBeCloseTo(got.youden, 12);
    }
  });

  it('counts a missing recency as larger than any cut', () => {
    expect(bestRecencyCut([NaN, NaN, 3, 4], [1, 1, 0, 0])).toEqual({ days: 4, youden: 1 });
  });
});
