// Cost-complexity pruning against an independent oracle: a bottom-up dynamic programme computes the
// minimal R(T) + alpha·|leaves(T)| over all prunings; the weakest-link subtree must reach it for alphas
// between and on the path's breakpoints. Also: the path is monotone, pruneToAlpha(0) is the full tree,
// and validation-based selection returns the best-AUC candidate (smallest on ties), scoring each candidate from the
// full tree's leaves exactly as predictProba would.
import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/analytics/classification-metrics.js';
import {
  chooseByValidationAuc,
  costComplexityPath,
  fitCart,
  predictProba,
  pruneToAlpha,
  pruneToDepth,
  type CartTree,
  type FeatureInput,
} from '../../../src/analytics/cart/index.js';
import { createRng } from '../../../src/analytics/random.js';
import { predictLeaf } from '../../../src/analytics/cart/predict.js';
import { probaAtFullLeaves } from '../../../src/analytics/cart/select.js';

function noisy(seed: number, n: number): { features: FeatureInput[]; y: Uint8Array } {
  const rng = createRng(seed);
  const cols = Array.from({ length: 4 }, () => new Float64Array(n).map(() => rng.next()));
  const y = new Uint8Array(n).map((_, i) => (rng.chance(cols[0]![i]! > 0.5 ? 0.7 : 0.3 + 0.3 * cols[1]![i]!) ? 1 : 0));
  return { features: cols.map((values, j) => ({ name: `x${j}`, kind: 'raw' as const, values })), y };
}

const risk = (tree: CartTree, k: number): number => (tree.nodes[k]!.weight * tree.nodes[k]!.impurity) / tree.nodes[0]!.weight;

function leafStats(tree: CartTree): { risk: number; leaves: number } {
  let r = 0;
  let leaves = 0;
  tree.nodes.forEach((n, k) => {
    if (n.left < 0) {
      r += risk(tree, k);
      leaves++;
    }
  });
  return { risk: r, leaves };
}

/** min over prunings of R(T) + alpha·leaves, by DP over the full tree. */
function optimalCost(tree: CartTree, alpha: number, k = 0): number {
  const n = tree.nodes[k]!;
  const asLeaf = risk(tree, k) + alpha;
  if (n.left < 0) return asLeaf;
  return Math.min(asLeaf, optimalCost(tree, alpha, n.left) + optimalCost(tree, alpha, n.right));
}

describe('cost-complexity pruning', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: path is monotone and every pruned tree is cost-optimal`, () => {
      const { features, y } = noisy(seed, 3000);
      const tree = fitCart(features, y, { criterion: seed === 2 ? 'entropy' : 'gini', maxDepth: 6, minLeaf: 10, classWeight: seed === 3 ? 'balanced' : undefined });
      const path = costComplexityPath(tree);
      expect(path.alphas[0]).toBe(0);
      expect(path.leaves[0]).toBe(leafStats(tree).leaves);
      expect(path.leaves[path.leaves.length - 1]).toBe(1);
      for (let i = 1; i < path.alphas.length; i++) {
        expect(path.alphas[i]!).toBeGreaterThan(path.alphas[i - 1]!);
        expect(path.impurities[i]!).toBeGreaterThanOrEqual(path.impurities[i - 1]! - 1e-15);
        expect(path.leaves[i]!).toBeLessThan(path.leaves[i - 1]!);
      }
      expect(pruneToAlpha(tree, 0)).toEqual(tree);
      const probes = path.alphas.flatMap((a, i) => [a, i + 1 < path.alphas.length ? (a + path.alphas[i + 1]!) / 2 : a * 1.5]);
      for (const alpha of probes) {
        const pruned = pruneToAlpha(tree, alpha);
        const { risk: r, leaves } = leafStats(pruned);
        expect(r + alpha * leaves).toBeCloseTo(optimalCost(tree, alpha), 12);
      }
      path.alphas.forEach((alpha, i) => {
        const stats = leafStats(pruneToAlpha(tree, alpha));
        expect(stats.leaves).toBe(path.leaves[i]);
        expect(stats.risk).toBeCloseTo(path.impurities[i]!, 12);
      });
    });
  }

  it('pruneToDepth keeps the top of the tree', () => {
    const { features, y } = noisy(4, 2000);
    const tree = fitCart(features, y, { maxDepth: 5, minLeaf: 10 });
    const cut = pruneToDepth(tree, 2);
    expect(Math.max(...cut.nodes.map((n) => n.depth))).toBe(2);
    expect(cut.nodes.filter((n) => n.depth < 2).map((n) => n.split)).toEqual(tree.nodes.filter((n) => n.depth < 2).map((n) => n.split));
    expect(pruneToDepth(tree, 0).nodes).toHaveLength(1);
  });
});

describe('probaAtFullLeaves', () => {
  it('gives every pruning of a tree the scores predictProba gives it, from the full tree\'s leaves', () => {
    const train = noisy(7, 3000);
    const valid = noisy(8, 2000);
    const tree = fitCart(train.features, train.y, { maxDepth: 8, minLeaf: 5 });
    const fullLeaf = predictLeaf(tree, valid.features);
    const prunings = [
      ...costComplexityPath(tree).alphas.map((alpha) => pruneToAlpha(tree, alpha)),
      ...[0, 1, 2, 3, 5, 8].map((depth) => pruneToDepth(tree, depth)),
    ];
    expect(prunings.length).toBeGreaterThan(10);
    for (const pruned of prunings) {
      const proba = probaAtFullLeaves(tree, pruned)!;
      expect(Float64Array.from(fullLeaf, (leaf) => proba[leaf]!)).toEqual(predictProba(pruned, valid.features));
    }
    // A tree that is not a pruning of this one (grown on other rows) is left to predictProba.
    const other = fitCart(valid.features, valid.y, { maxDepth: 3, minLeaf: 5 });
    expect(probaAtFullLeaves(tree, other)).toBeUndefined();
  });
});

describe('chooseByValidationAuc', () => {
  for (const by of ['alpha', 'depth'] as const) {
    it(`by ${by}: picks the candidate with the best holdout AUC, the smallest on ties`, () => {
      const train = noisy(5, 3000);
      const valid = noisy(6, 3000);
      const tree = fitCart(train.features, train.y, { maxDepth: 8, minLeaf: 5 });
      const choice = chooseByValidationAuc(tree, valid.features, valid.y, { by });
      const best = Math.max(...choice.candidates.map((c) => c.auc));
      expect(choice.auc).toBe(best);
      const smallest = Math.min(...choice.candidates.filter((c) => c.auc >= best - 1e-12).map((c) => c.leaves));
      expect(choice.leaves).toBe(smallest);
      expect(auc(predictProba(choice.tree, valid.features), valid.y)).toBe(choice.auc);
      // Every candidate's AUC (from rows counted per full-tree leaf) is its own trees' row by row, to the last bit.
      for (const c of choice.candidates) {
        const candidate = by === 'alpha' ? pruneToAlpha(tree, c.alpha!) : pruneToDepth(tree, c.depth!);
        expect(Object.is(c.auc, auc(predictProba(candidate, valid.features), valid.y))).toBe(true);
      }
      expect(choice.candidates.length).toBeGreaterThan(3);
      // The full 8-deep tree overfits this noisy data; the chosen one is smaller and at least as good.
      expect(choice.leaves).toBeLessThan(tree.nodes.filter((n) => n.left < 0).length);
      expect(choice.auc).toBeGreaterThanOrEqual(auc(predictProba(tree, valid.features), valid.y));
      if (by === 'alpha') expect(choice.tree).toEqual(pruneToAlpha(tree, choice.alpha!));
      else expect(choice.tree).toEqual(pruneToDepth(tree, choice.depth!));
    });
  }
});
