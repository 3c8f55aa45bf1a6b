// Metric oracles: AUC against brute-force pair counting with ties (½ per tied pair), hand-computed
// precision/recall, lift/capture with a tie group straddling the cut, and a calibration table.
import { describe, expect, it } from 'vitest';
import {
  auc, aucOfGroups, calibrationTable, liftAtTopFraction, precisionRecallAt, scoreGroupsByMap, scoreGroupsBySort, scoreGroupsFromCounts,
} from '../../src/analytics/classification-metrics.js';
import { createRng } from '../../src/analytics/random.js';

function pairAuc(scores: number[], y: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('auc', () => {
  it('equals brute-force pair counting, ties included', () => {
    for (const seed of [1, 2, 3, 4]) {
      const rng = createRng(seed);
      const n = 300;
      const scores = Array.from({ length: n }, () => rng.int(seed * 4)); // few distinct values: many ties
      const y = scores.map((s) => (rng.chance(0.2 + s / (seed * 8)) ? 1 : 0));
      expect(auc(Float64Array.from(scores), Uint8Array.from(y))).toBeCloseTo(pairAuc(scores, y), 12);
    }
  });

  it('counts -0 and 0 as one score, and a tie across the classes as ½, exactly (U = 2.5 of 6 pairs)', () => {
    // Positives {0, 1, -Infinity} against negatives {-0, 0.5}: 0 vs -0 is a tie (½), 0 < 0.5, 1 beats both, -Infinity none.
    expect(auc([0, -0, 1, 0.5, -Infinity], [1, 0, 1, 0, 1])).toBe(2.5 / 6);
    expect(auc([-0, 0, 0, -0], [1, 0, 1, 0])).toBe(0.5);
  });

  it('groups ties across many rows the same as pair counting, exactly where the sum is exact', () => {
    const rng = createRng(11);
    const scores = Array.from({ length: 2000 }, () => rng.int(7) / 4 - 0.75); // 7 values, 0 among them
    const y = scores.map((s) => (rng.chance(0.3 + s / 4) ? 1 : 0));
    // Both count half-integers below 2^53 exactly, so the quotients are the same double.
    expect(auc(Float64Array.from(scores), Uint8Array.from(y))).toBe(pairAuc(scores, y));
  });

  it('groups rows counted per entry (a tree\'s leaves) as it groups the rows themselves, to the last bit', () => {
    for (const seed of [11, 12, 13]) {
      const rng = createRng(seed);
      // Leaves whose scores repeat across leaves, -0 beside 0, and leaves no row reaches.
      const pool = [-0, 0, 0.125, 0.5, 1 / 3, 0.9, ...Array.from({ length: 20 }, () => rng.next())];
      const leafScore = Float64Array.from({ length: 60 }, () => pool[rng.int(pool.length)]!);
      const leafOfRow = Int32Array.from({ length: 30_000 }, () => rng.int(50)); // leaves 50..59 hold no row
      const y = Uint8Array.from(leafOfRow, () => (rng.chance(0.35) ? 1 : 0));
      const rows = new Float64Array(60);
      const positives = new Float64Array(60);
      leafOfRow.forEach((leaf, r) => { rows[leaf]! += 1; positives[leaf]! += y[r]!; });
      const scores = Float64Array.from(leafOfRow, (leaf) => leafScore[leaf]!);
      const fromCounts = scoreGroupsFromCounts(leafScore, rows, positives);
      expect(fromCounts).toEqual(scoreGroupsByMap(scores, y, Infinity));
      expect(Object.is(aucOfGroups(fromCounts), auc(scores, y))).toBe(true);
    }
    expect(() => scoreGroupsFromCounts([0.5, Number.NaN], [1, 1], [0, 1])).toThrow(/NaN/);
  });

  it('groups scores the same by map (few distinct values) and by sort (many), and takes the sort past the limit', () => {
    for (const seed of [5, 6, 7]) {
      const rng = createRng(seed);
      const pool = [-Infinity, -0, 0, 0.25, 0.5, 1 / 3, 1, Infinity, ...Array.from({ length: 40 }, () => rng.next())];
      const scores = Float64Array.from({ length: 20_000 }, () => pool[rng.int(pool.length)]!);
      const y = Uint8Array.from(scores, () => (rng.chance(0.3) ? 1 : 0));
      const byMap = scoreGroupsByMap(scores, y, Infinity)!;
      expect(byMap).toEqual(scoreGroupsBySort(scores, y));
      expect(byMap.values.length).toBe(pool.length - 1); // -0 and 0 are one score
      expect(scoreGroupsByMap(scores, y, pool.length - 2)).toBeUndefined();
    }
    // Past 4,096 distinct scores auc groups by sorting: still the pair count.
    const rng = createRng(9);
    const scores = Array.from({ length: 5000 }, () => rng.next());
    const y = scores.map((s) => (rng.chance(0.2 + s / 2) ? 1 : 0));
    expect(auc(Float64Array.from(scores), Uint8Array.from(y))).toBeCloseTo(pairAuc(scores, y), 12);
  });

  it('handles hand cases', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5, 0.5], [0, 1, 0])).toBe(0.5);
    expect(auc([1, 2], [0, 1])).toBe(1);
    expect(auc([1, 2], [1, 1])).toBeNaN();
  });
});

describe('precisionRecallAt', () => {
  it('counts score >= threshold as positive', () => {
    const r = precisionRecallAt([0.9, 0.7, 0.7, 0.2, 0.1], [1, 0, 1, 1, 0], 0.7);
    expect([r.tp, r.fp, r.tn, r.fn]).toEqual([2, 1, 1, 1]);
    expect(r.precision).toBeCloseTo(2 / 3, 15);
    expect(r.recall).toBeCloseTo(2 / 3, 15);
    expect(precisionRecallAt([0.1], [1], 0.5).precision).toBeNaN();
  });
});

describe('liftAtTopFraction', () => {
  it('credits a tie group straddling the cut pro rata', () => {
    const scores = [0.9, 0.8, 0.8, 0.8, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const y = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0];
    const r = liftAtTopFraction(scores, y, 0.2);
    expect(r.rows).toBe(2);
    expect(r.positives).toBeCloseTo(1 + 1 / 3, 15);
    expect(r.capture).toBeCloseTo((4 / 3) / 3, 15);
    expect(r.lift).toBeCloseTo((4 / 3 / 2) / (3 / 10), 12);
  });

  it('matches a plain sort when scores are distinct', () => {
    const rng = createRng(8);
    const scores = Array.from({ length: 1000 }, () => rng.next());
    const y = scores.map((s): number => (rng.chance(s) ? 1 : 0));
    const top = scores.map((s, i) => [s, y[i]!] as const).sort((a, b) => b[0] - a[0]).slice(0, 100);
    const hits = top.reduce((s, [, v]) => s + v, 0);
    const total = y.reduce((s, v) => s + v, 0);
    const r = liftAtTopFraction(scores, y);
    expect(r.positives).toBe(hits);
    expect(r.capture).toBeCloseTo(hits / total, 15);
    expect(r.lift).toBeCloseTo(hits / 100 / (total / 1000), 12);
  });
});

describe('calibrationTable', () => {
  it('bins scores by equal width with mean score and observed rate', () => {
    const table = calibrationTable([0.05, 0.15, 0.12, 1, 0.95, 0.5], [0, 1, 0, 1, 1, 0], 4);
    expect(table.map((b) => b.count)).toEqual([3, 0, 1, 2]);
    expect(table[0]!.meanScore).toBeCloseTo((0.05 + 0.15 + 0.12) / 3, 15);
    expect(table[0]!.observedRate).toBeCloseTo(1 / 3, 15);
    expect(table[1]!.meanScore).toBeNaN();
    expect(table[3]!.observedRate).toBe(1);
    expect([table[2]!.lower, table[2]!.upper]).toEqual([0.5, 0.75]);
  });
});
