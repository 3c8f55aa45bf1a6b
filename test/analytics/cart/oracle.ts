// Brute-force CART oracle for the tests: routes raw rows through a fitted tree and scores every possible
// split of a node by direct enumeration (all thresholds × missing left/right, all category subsets), with
// its own impurity code, so the engine's histogram search is checked against first principles.
import type { CartSplit, CartTree, Criterion } from '../../../src/analytics/cart/index.js';

export type RawColumn =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; values: (string | null)[] };

export interface OracleSettings {
  criterion: Criterion;
  weights: [number, number];
  minLeaf: number;
}

function impurityOf(criterion: Criterion, a: number, b: number): number {
  const w = a + b;
  if (w === 0) return 0;
  const ps = [a / w, b / w];
  if (criterion === 'gini') return 1 - ps.reduce((s, p) => s + p * p, 0);
  return -ps.reduce((s, p) => (p > 0 ? s + p * Math.log2(p) : s), 0);
}

/** Weighted impurity decrease of sending `left` rows left and the rest right. */
export function decrease(rows: number[], left: boolean[], y: Uint8Array, s: OracleSettings): number {
  const mass = [0, 0, 0, 0]; // left a, left b, right a, right b
  rows.forEach((r, i) => (mass[(left[i] ? 0 : 2) + y[r]!]! += s.weights[y[r]!]!));
  const [la, lb, ra, rb] = mass as [number, number, number, number];
  return (
    (la + lb + ra + rb) * impurityOf(s.criterion, la + ra, lb + rb) -
    (la + lb) * impurityOf(s.criterion, la, lb) -
    (ra + rb) * impurityOf(s.criterion, ra, rb)
  );
}

export function goesLeft(split: CartSplit, col: RawColumn, r: number): boolean {
  const v = col.values[r]!;
  if (v === null || (typeof v === 'number' && Number.isNaN(v))) return split.missingLeft;
  if (split.kind === 'numeric') return (v as number) <= split.threshold;
  return split.leftCategories.includes(v as string);
}

/** Best decrease over every valid split of `rows` (-Infinity when none respects minLeaf). */
export function bruteBestDecrease(rows: number[], cols: RawColumn[], y: Uint8Array, s: OracleSettings): number {
  let best = -Infinity;
  const tryLeft = (left: boolean[]): void => {
    const nl = left.filter(Boolean).length;
    if (nl < s.minLeaf || rows.length - nl < s.minLeaf) return;
    best = Math.max(best, decrease(rows, left, y, s));
  };
  for (const col of cols) {
    if (col.kind === 'numeric') {
      // Thresholds: every global distinct value but the largest (the exact-bin edges a split can use).
      const all = [...new Set(Array.from(col.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
      for (const t of all.slice(0, -1)) {
        for (const missingLeft of [false, true]) {
          tryLeft(rows.map((r) => (Number.isNaN(col.values[r]!) ? missingLeft : col.values[r]! <= t)));
        }
      }
    } else {
      const groups = [...new Set(rows.map((r) => col.values[r] ?? null))];
      for (let mask = 1; mask < 2 ** groups.length - 1; mask++) {
        const leftSet = new Set(groups.filter((_, i) => (mask >> i) & 1));
        tryLeft(rows.map((r) => leftSet.has(col.values[r] ?? null)));
      }
    }
  }
  return best;
}

/** Training rows reaching every node, found by routing raw values (independent of predictLeaf). */
export function rowsPerNode(tree: CartTree, cols: RawColumn[], rows: number[]): number[][] {
  const out: number[][] = tree.nodes.map(() => []);
  const byName = new Map(cols.map((c) => [c.name, c]));
  for (const r of rows) {
    let k = 0;
    out[0]!.push(r);
    for (let node = tree.nodes[0]!; node.split; node = tree.nodes[k]!) {
      k = goesLeft(node.split, byName.get(node.split.feature)!, r) ? node.left : node.right;
      out[k]!.push(r);
    }
  }
  return out;
}
