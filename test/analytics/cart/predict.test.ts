// Scoring inputs: columns matched by name (any order, extra columns ignored), raw values and codes binned
// with the training edges agree, and codes from other edges are refused instead of silently shifting splits.
import { describe, expect, it } from 'vitest';
import { binWithEdges, fitCart, numericFeature, predictLeaf, predictProba, quantileBins } from '../../../src/analytics/cart/index.js';
import { createRng } from '../../../src/analytics/random.js';

describe('predictProba / predictLeaf', () => {
  const rng = createRng(12);
  const n = 3000;
  const a = new Float64Array(n).map(() => rng.next());
  const b = new Float64Array(n).map(() => (rng.chance(0.1) ? NaN : rng.normal()));
  const y = new Uint8Array(n).map((_, i) => (rng.chance(a[i]! > 0.4 ? 0.7 : 0.2 + (b[i]! > 0 ? 0.2 : 0)) ? 1 : 0));
  const fa = numericFeature('a', a);
  const fb = numericFeature('b', b);
  const tree = fitCart([fa, fb], y, { maxDepth: 4, minLeaf: 25 });

  it('matches columns by name and agrees between raw values and training-edge codes', () => {
    const raw = predictProba(tree, [
      { name: 'noise', kind: 'raw', values: new Float64Array(n) },
      { name: 'b', kind: 'raw', values: b },
      { name: 'a', kind: 'raw', values: a },
    ]);
    const coded = predictProba(tree, [fb, { ...fa, codes: binWithEdges(a, fa.upperEdges) }]);
    expect(Array.from(coded)).toEqual(Array.from(raw));
    const leaves = predictLeaf(tree, [fa, fb]);
    leaves.forEach((leaf, i) => expect(raw[i]).toBe(tree.nodes[leaf]!.proba));
    // Every training row lands in a leaf whose counts include it: leaf populations add up.
    const counts = new Map<number, number>();
    for (const leaf of leaves) counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
    for (const [leaf, count] of counts) expect(count).toBe(tree.nodes[leaf]!.rows);
  });

  it('refuses codes binned with different edges and a missing column', () => {
    const other = quantileBins(a, 7);
    expect(() => predictProba(tree, [{ name: 'a', kind: 'numeric', ...other }, fb])).toThrow(/bin edges/);
    expect(() => predictProba(tree, [fa])).toThrow(/missing/);
  });
});
