// Planted truth: a known rule is recovered (threshold, category set, rates), a native categorical split
// beats one-hot encoding on a case built for it, and missing values are routed where the data says (or to
// the larger child when a node saw none), identically by predictProba.
import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/analytics/classification-metrics.js';
import {
  categoricalFeature,
  fitCart,
  numericFeature,
  predictLeaf,
  predictProba,
  treeToRules,
  type CartTree,
  type FeatureInput,
} from '../../../src/analytics/cart/index.js';
import { createRng } from '../../../src/analytics/random.js';

function planted(seed: number, n: number) {
  const rng = createRng(seed);
  const x = Array.from({ length: 5 }, () => new Float64Array(n).map(() => rng.next()));
  const cat = Array.from({ length: n }, () => rng.pick(['A', 'B', 'C', 'D', 'E']));
  const truth = new Uint8Array(n).map((_, i) => (x[3]![i]! > 0.7 && (cat[i] === 'B' || cat[i] === 'D') ? 1 : 0));
  const y = truth.map((t) => (rng.chance(0.05) ? 1 - t : t));
  return { x, cat, truth, y };
}

describe('planted rule y = 1 iff x3 > 0.7 and cat in {B, D} (5% label noise)', () => {
  it('is recovered as one leaf with the right threshold, categories and rate', () => {
    const train = planted(1, 20_000);
    const edges = train.x.map((v, j) => numericFeature(`x${j}`, v));
    const catTrain = categoricalFeature('cat', train.cat);
    const tree = fitCart([...edges, catTrain], train.y, { criterion: 'gini', maxDepth: 2, minLeaf: 50 });
    const rules = treeToRules(tree);
    const top = rules.reduce((a, b) => (b.rate > a.rate ? b : a));
    expect(top.conditions).toHaveLength(2);
    const threshold = Number(/x3 > ([0-9.e-]+)/.exec(top.text)?.[1]);
    expect(Math.abs(threshold - 0.7)).toBeLessThan(0.01);
    expect(top.text.includes("cat IN ('B', 'D')") || top.text.includes("cat NOT IN ('A', 'C', 'E')")).toBe(true);
    expect(top.rate).toBeGreaterThan(0.9);
    expect(top.share).toBeCloseTo((0.3 * 2) / 5, 1);
    for (const r of rules) if (r !== top) expect(r.rate).toBeLessThan(0.1);

    // Holdout: the tree ranks as well as the true rule does.
    const test = planted(2, 10_000);
    const testFeatures: FeatureInput[] = [
      ...test.x.map((values, j) => ({ name: `x${j}`, kind: 'raw' as const, values })),
      categoricalFeature('cat', test.cat, catTrain.categories),
    ];
    const ours = auc(predictProba(tree, testFeatures), test.y);
    expect(ours).toBeGreaterThan(auc(test.truth, test.y) - 0.01);
  });
});

describe('native categorical split vs one-hot', () => {
  it('groups categories in one split where one-hot needs many', () => {
    const rng = createRng(3);
    const names = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
    const make = (n: number) => {
      const cat = Array.from({ length: n }, () => rng.pick(names));
      const y = new Uint8Array(n).map((_, i) => (rng.chance(Number(cat[i]!.slice(1)) % 2 === 0 ? 0.8 : 0.2) ? 1 : 0));
      return { cat, y };
    };
    const train = make(8000);
    const test = make(8000);
    const native = categoricalFeature('cat', train.cat);
    const nativeTest = categoricalFeature('cat', test.cat, native.categories);
    const oneHot = (cat: string[]) => names.map((c) => ({ name: `is_${c}`, kind: 'raw' as const, values: Float64Array.from(cat, (v) => (v === c ? 1 : 0)) }));
    const fitNative = (depth: number): CartTree => fitCart([native], train.y, { criterion: 'gini', maxDepth: depth, minLeaf: 20 });
    const fitOneHot = (depth: number): CartTree => fitCart(oneHot(train.cat), train.y, { criterion: 'gini', maxDepth: depth, minLeaf: 20, exact: true });

    const stump = fitNative(1);
    const split = stump.nodes[0]!.split!;
    expect(split.kind).toBe('categorical');
    expect(split.kind === 'categorical' && split.leftCategories).toEqual(['c1', 'c3', 'c5', 'c7']);
    expect(stump.nodes[0]!.gain).toBeGreaterThan(2 * fitOneHot(1).nodes[0]!.gain);
    const nativeAuc = auc(predictProba(stump, [nativeTest]), test.y);
    for (const depth of [1, 2, 3]) {
      expect(nativeAuc).toBeGreaterThanOrEqual(auc(predictProba(fitOneHot(depth), oneHot(test.cat)), test.y));
    }
  });
});

describe('missing-value routing', () => {
  const make = (seed: number, missingRate: number) => {
    const rng = createRng(seed);
    const n = 6000;
    const x = new Float64Array(n).map(() => (rng.chance(0.2) ? NaN : rng.next()));
    const y = new Uint8Array(n).map((_, i) => {
      const v = x[i]!;
      return rng.chance(Number.isNaN(v) ? missingRate : v > 0.5 ? 0.8 : 0.1) ? 1 : 0;
    });
    return { x, y };
  };

  for (const [missingRate, expectLeft] of [[0.85, false], [0.1, true]] as const) {
    it(`sends missing rows with class-1 rate ${missingRate} ${expectLeft ? 'left' : 'right'}`, () => {
      const { x, y } = make(4, missingRate);
      const tree = fitCart([{ name: 'x', kind: 'raw', values: x }], y, { criterion: 'entropy', maxDepth: 1, minLeaf: 10 });
      const split = tree.nodes[0]!.split!;
      expect(split.missingLeft).toBe(expectLeft);
      expect(split.missingRows).toBe(x.filter(Number.isNaN).length);
      const child = tree.nodes[expectLeft ? tree.nodes[0]!.left : tree.nodes[0]!.right]!;
      const proba = predictProba(tree, [{ name: 'x', kind: 'raw', values: Float64Array.of(NaN) }]);
      expect(proba[0]).toBe(child.proba);
    });
  }

  it('routes missing to the larger child when the node saw none, with raw values and with codes', () => {
    const rng = createRng(5);
    const x = new Float64Array(5000).map(() => rng.next());
    const y = new Uint8Array(5000).map((_, i) => (rng.chance(x[i]! > 0.7 ? 0.9 : 0.2) ? 1 : 0));
    const feature = numericFeature('x', x);
    const tree = fitCart([feature], y, { criterion: 'gini', maxDepth: 1, minLeaf: 10 });
    const root = tree.nodes[0]!;
    expect(root.split!.missingRows).toBe(0);
    expect(tree.nodes[root.left]!.rows).toBeGreaterThan(tree.nodes[root.right]!.rows);
    expect(root.split!.missingLeft).toBe(true);
    const coded = { ...feature, codes: Uint8Array.of(0, feature.codes[0]!) };
    expect(predictLeaf(tree, [coded])[0]).toBe(root.left);
    expect(predictLeaf(tree, [{ name: 'x', kind: 'raw', values: Float64Array.of(NaN) }])[0]).toBe(root.left);
  });

  it('places a missing categorical group with the categories it resembles', () => {
    const rng = createRng(6);
    const cat = Array.from({ length: 6000 }, () => rng.pick(['lo', 'hi', null]));
    const y = new Uint8Array(6000).map((_, i) => (rng.chance(cat[i] === 'lo' ? 0.1 : 0.7) ? 1 : 0));
    const tree = fitCart([categoricalFeature('cat', cat)], y, { criterion: 'gini', maxDepth: 1, minLeaf: 10 });
    const split = tree.nodes[0]!.split!;
    expect(split.kind === 'categorical' && split.leftCategories).toEqual(['lo']);
    expect(split.missingLeft).toBe(false);
  });
});
