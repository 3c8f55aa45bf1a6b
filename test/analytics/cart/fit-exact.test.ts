// Exact mode against first principles: at every node of trees grown on small random data (several seeds,
// both criteria, class weights, minLeaf, missing values, a categorical column), the chosen split reaches the
// best impurity decrease found by enumerating every split, leaves stop only when no split is allowed or
// useful, counts match, and ml-cart (exhaustive midpoint CART) grows the same depth-1/2 trees.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { categoricalFeature, fitCart, predictProba, type CartOptions, type CartTree } from '../../../src/analytics/cart/index.js';
import { createRng } from '../../../src/analytics/random.js';
import { bruteBestDecrease, decrease, goesLeft, rowsPerNode, type OracleSettings, type RawColumn } from './oracle.js';

function randomData(seed: number, n: number): { cols: RawColumn[]; y: Uint8Array } {
  const rng = createRng(seed);
  const a = new Float64Array(n).map(() => rng.normal());
  const b = new Float64Array(n).map(() => (rng.chance(0.15) ? NaN : rng.next()));
  const c = new Float64Array(n).map(() => rng.int(8)); // heavy ties
  const cat = Array.from({ length: n }, () => (rng.chance(0.1) ? null : rng.pick(['p', 'q', 'r', 's', 't'])));
  const y = new Uint8Array(n).map((_, i) => {
    const logit = 1.2 * a[i]! + (Number.isNaN(b[i]!) ? 1 : 2 * b[i]! - 1) + (cat[i] === 'q' || cat[i] === 's' ? 1 : -0.5) + 0.3 * (c[i]! - 4);
    return rng.chance(1 / (1 + Math.exp(-logit))) ? 1 : 0;
  });
  return {
    cols: [
      { name: 'a', kind: 'numeric', values: a },
      { name: 'b', kind: 'numeric', values: b },
      { name: 'c', kind: 'numeric', values: c },
      { name: 'cat', kind: 'categorical', values: cat },
    ],
    y,
  };
}

function fit(cols: RawColumn[], y: Uint8Array, options: CartOptions): CartTree {
  const features = cols.map((col) =>
    col.kind === 'numeric' ? { name: col.name, kind: 'raw' as const, values: col.values } : categoricalFeature(col.name, col.values),
  );
  return fitCart(features, y, { ...options, exact: true });
}

/** Checks greedy optimality of every node against the brute-force oracle. */
function checkAgainstOracle(tree: CartTree, cols: RawColumn[], y: Uint8Array, options: CartOptions, rows: number[]): void {
  const s: OracleSettings = { criterion: tree.criterion, weights: [...tree.classWeights], minLeaf: options.minLeaf };
  const reach = rowsPerNode(tree, cols, rows);
  const rootWeight = tree.nodes[0]!.weight;
  for (const node of tree.nodes) {
    const here = reach[node.id]!;
    expect(here.length).toBe(node.rows);
    expect(here.filter((r) => y[r] === 1).length).toBe(node.positives);
    const best = bruteBestDecrease(here, cols, y, s);
    const allowed = node.depth < options.maxDepth && node.positives > 0 && node.positives < node.rows;
    if (node.split) {
      const col = cols.find((c) => c.name === node.split!.feature)!;
      const achieved = decrease(here, here.map((r) => goesLeft(node.split!, col, r)), y, s);
      expect(achieved).toBeCloseTo(best, 9);
      expect(node.gain).toBeCloseTo(achieved, 9);
      const missingHere = here.filter((r) => col.values[r] === null || Number.isNaN(col.values[r] as number)).length;
      expect(node.split.missingRows).toBe(missingHere);
      if (missingHere === 0) {
        expect(node.split.missingLeft).toBe(tree.nodes[node.left]!.rows >= tree.nodes[node.right]!.rows);
      }
    } else if (allowed && best > -Infinity) {
      // A leaf that could have split: no split reduces impurity by more than rounding / the minimum.
      expect(best <= 1e-9 * node.weight || best / rootWeight < (options.minImpurityDecrease ?? 0)).toBe(true);
    }
  }
}

describe('fitCart exact mode vs brute force', () => {
  const configs: CartOptions[] = [
    { criterion: 'gini', maxDepth: 4, minLeaf: 1 },
    { criterion: 'entropy', maxDepth: 4, minLeaf: 5 },
    { criterion: 'gini', maxDepth: 5, minLeaf: 3, classWeight: 'balanced' },
    { criterion: 'entropy', maxDepth: 3, minLeaf: 2, classWeight: [1, 3] },
    { criterion: 'gini', maxDepth: 6, minLeaf: 4, minImpurityDecrease: 0.01 },
  ];
  for (const seed of [1, 2, 3, 4, 5]) {
    configs.forEach((options, i) => {
      it(`seed ${seed}, config ${i}: every node is the greedy optimum`, () => {
        const { cols, y } = randomData(seed * 10 + i, 90 + 10 * i);
        const tree = fit(cols, y, options);
        expect(tree.nodes.length).toBeGreaterThan(2);
        checkAgainstOracle(tree, cols, y, options, Array.from(y, (_, r) => r));
      });
    });
  }

  it('many rows over few bins (histogram subtraction path) still gives the greedy optimum', () => {
    const rng = createRng(99);
    const n = 2500;
    const u = new Float64Array(n).map(() => (rng.chance(0.1) ? NaN : rng.int(20)));
    const v = new Float64Array(n).map(() => rng.int(12));
    const cat = Array.from({ length: n }, () => (rng.chance(0.05) ? null : rng.pick(['a', 'b', 'c', 'd', 'e'])));
    const y = new Uint8Array(n).map((_, i) => (rng.chance(0.2 + 0.03 * (Number.isNaN(u[i]!) ? 10 : u[i]!) + (cat[i] === 'b' ? 0.2 : 0)) ? 1 : 0));
    const cols: RawColumn[] = [
      { name: 'u', kind: 'numeric', values: u },
      { name: 'v', kind: 'numeric', values: v },
      { name: 'cat', kind: 'categorical', values: cat },
    ];
    const options: CartOptions = { criterion: 'gini', maxDepth: 5, minLeaf: 20 };
    const tree = fit(cols, y, options);
    expect(tree.nodes.length).toBeGreaterThan(20);
    checkAgainstOracle(tree, cols, y, options, Array.from(y, (_, r) => r));
  });

  it('honours rowIndices (only those rows train the tree)', () => {
    const { cols, y } = randomData(77, 160);
    const rows = Array.from({ length: 160 }, (_, r) => r).filter((r) => r % 3 !== 0);
    const options: CartOptions = { criterion: 'gini', maxDepth: 4, minLeaf: 3 };
    const features = cols.map((col) =>
      col.kind === 'numeric' ? { name: col.name, kind: 'raw' as const, values: col.values } : categoricalFeature(col.name, col.values),
    );
    const tree = fitCart(features, y, { ...options, exact: true, rowIndices: Int32Array.from(rows) });
    expect(tree.nodes[0]!.rows).toBe(rows.length);
    checkAgainstOracle(tree, cols, y, options, rows);
  });
});

/** Best gini decrease over thresholds of one numeric column without missing values, by a sorted sweep. */
function sweepBest(rows: number[], values: Float64Array, y: Uint8Array, minLeaf: number): { gain: number; threshold: number } {
  const sorted = [...rows].sort((a, b) => values[a]! - values[b]!);
  const n = sorted.length;
  const p = sorted.reduce((s, r) => s + y[r]!, 0);
  const gini = (k: number, pos: number): number => (k === 0 ? 0 : k * (1 - (pos / k) ** 2 - (1 - pos / k) ** 2));
  let best = { gain: -Infinity, threshold: NaN };
  let leftPos = 0;
  for (let i = 0; i < n - 1; i++) {
    leftPos += y[sorted[i]!]!;
    if (values[sorted[i]!] === values[sorted[i + 1]!] || i + 1 < minLeaf || n - i - 1 < minLeaf) continue;
    const gain = gini(n, p) - gini(i + 1, leftPos) - gini(n - i - 1, p - leftPos);
    if (gain > best.gain + 1e-12) best = { gain, threshold: values[sorted[i]!]! };
  }
  return best;
}

describe('fitCart exact mode on many distinct values', () => {
  it('16-bit codes and 32-bit histogram slots: the top two levels match a sorted sweep', () => {
    const rng = createRng(21);
    const n = 12_000;
    const cols = [0, 1, 2].map(() => new Float64Array(n).map(() => rng.normal()));
    const y = new Uint8Array(n).map((_, i) => (rng.chance(cols[0]![i]! * cols[1]![i]! > 0 ? 0.7 : 0.3 + 0.1 * cols[2]![i]!) ? 1 : 0));
    const features = cols.map((values, j) => ({ name: `x${j}`, kind: 'raw' as const, values }));
    const tree = fitCart(features, y, { maxDepth: 2, minLeaf: 30, exact: true });
    const check = (k: number, rows: number[]): void => {
      const node = tree.nodes[k]!;
      const bests = cols.map((values) => sweepBest(rows, values, y, 30));
      const f = bests.reduce((bi, b, i) => (b.gain > bests[bi]!.gain + 1e-9 ? i : bi), 0);
      const split = node.split!;
      expect(split.kind === 'numeric' && split.featureIndex).toBe(f);
      expect(split.kind === 'numeric' && split.threshold).toBe(bests[f]!.threshold);
      expect(node.gain).toBeCloseTo(bests[f]!.gain, 6);
      if (node.depth === 0) {
        const t = bests[f]!.threshold;
        check(node.left, rows.filter((r) => cols[f]![r]! <= t));
        check(node.right, rows.filter((r) => cols[f]![r]! > t));
      }
    };
    check(0, Array.from({ length: n }, (_, r) => r));
  });
});

interface MlNode {
  splitColumn?: number;
  splitValue?: number;
  left?: MlNode;
  right?: MlNode;
}

// ml-cart ships no type declarations; load it through require with the little of its API used here.
interface MlCart {
  DecisionTreeClassifier: new (options: object) => { train(X: number[][], y: number[]): void; predict(X: number[][]): number[]; root: MlNode };
}
const { DecisionTreeClassifier } = createRequire(import.meta.url)('ml-cart') as MlCart;

describe('fitCart vs ml-cart', () => {
  for (const seed of [11, 12, 13, 14]) {
    for (const depth of [1, 2]) {
      it(`seed ${seed}, depth ${depth}: same splits (ml-cart thresholds are midpoints)`, () => {
        const rng = createRng(seed);
        const n = 60;
        const X = Array.from({ length: n }, () => [rng.next(), rng.normal(), rng.next() * 10]);
        const y = new Uint8Array(n).map((_, i) => (rng.chance(X[i]![0]! > 0.5 !== X[i]![1]! > 0 ? 0.8 : 0.25) ? 1 : 0));
        const ml = new DecisionTreeClassifier({ gainFunction: 'gini', maxDepth: depth, minNumSamples: 1, gainThreshold: 0 });
        ml.train(X, Array.from(y));
        const cols = [0, 1, 2].map((j) => ({ name: `x${j}`, kind: 'raw' as const, values: Float64Array.from(X, (row) => row[j]!) }));
        const tree = fitCart(cols, y, { criterion: 'gini', maxDepth: depth, minLeaf: 1, exact: true });
        const compare = (mine: number, theirs: MlNode, rows: number[]): void => {
          const node = tree.nodes[mine]!;
          if (!node.split || node.split.kind !== 'numeric') {
            expect(theirs.left).toBeUndefined();
            return;
          }
          expect(theirs.splitColumn).toBe(node.split.featureIndex);
          const values = rows.map((r) => X[r]![node.split!.featureIndex]!);
          const t = (node.split as { threshold: number }).threshold;
          const next = Math.min(...values.filter((v) => v > t));
          expect(theirs.splitValue).toBe((t + next) / 2);
          compare(node.left, theirs.left!, rows.filter((r) => X[r]![node.split!.featureIndex]! <= t));
          compare(node.right, theirs.right!, rows.filter((r) => X[r]![node.split!.featureIndex]! > t));
        };
        compare(0, ml.root, Array.from({ length: n }, (_, r) => r));
        // Same partition → same leaf rates as ml-cart's leaf distributions on the training rows.
        const proba = predictProba(tree, cols);
        const mlClass = ml.predict(X);
        proba.forEach((p, i) => {
          if (p !== 0.5) expect(mlClass[i]).toBe(p > 0.5 ? 1 : 0);
        });
      });
    }
  }
});
