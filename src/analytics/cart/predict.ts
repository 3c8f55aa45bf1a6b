/**
 * Scores rows with a fitted tree. Columns are matched by name, so a scoring set may hold more columns or
 * another order than the training set. Numeric splits accept either raw values (compared with the stored
 * threshold, NaN = missing) or bin codes; codes must come from edges that contain the threshold (normally
 * the training edges via binWithEdges) — anything else would silently shift the split, so it throws.
 * Categorical splits match category strings, so a test set may number its categories differently.
 *
 * The tree is first compiled into flat per-node arrays, then each row walks from the root: O(rows · depth).
 */
import type { CartTree, FeatureInput } from './types.js';

const NUMERIC_CODES = 0;
const RAW = 1;
const CATEGORICAL = 2;

interface Compiled {
  readonly rows: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly kind: Uint8Array;
  readonly missingLeft: Uint8Array;
  readonly codeLimit: Int32Array;
  readonly threshold: Float64Array;
  readonly masks: (Uint8Array | null)[];
  readonly codes: (Uint8Array | Uint16Array | null)[];
  readonly values: (Float64Array | null)[];
}

function findEdge(edges: Float64Array, threshold: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = edges[mid]!;
    if (e === threshold) return mid + 1;
    if (e < threshold) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function compile(tree: CartTree, features: readonly FeatureInput[]): Compiled {
  const byName = new Map(features.map((f) => [f.name, f] as const));
  const lengthOf = (f: FeatureInput): number => (f.kind === 'raw' ? f.values.length : f.codes.length);
  const rows = features.length > 0 ? lengthOf(features[0]!) : 0;
  const m = tree.nodes.length;
  const c: Compiled = {
    rows,
    left: new Int32Array(m),
    right: new Int32Array(m),
    kind: new Uint8Array(m),
    missingLeft: new Uint8Array(m),
    codeLimit: new Int32Array(m),
    threshold: new Float64Array(m),
    masks: new Array<Uint8Array | null>(m).fill(null),
    codes: new Array<Uint8Array | Uint16Array | null>(m).fill(null),
    values: new Array<Float64Array | null>(m).fill(null),
  };
  tree.nodes.forEach((node, k) => {
    c.left[k] = node.left;
    c.right[k] = node.right;
    const split = node.split;
    if (!split) return;
    const col = byName.get(split.feature);
    if (!col) throw new RangeError(`feature ${split.feature} is missing from the scoring columns`);
    if (lengthOf(col) !== rows) throw new RangeError(`feature ${col.name} has ${lengthOf(col)} rows, expected ${rows}`);
    c.missingLeft[k] = split.missingLeft ? 1 : 0;
    if (split.kind === 'categorical') {
      if (col.kind !== 'categorical') throw new RangeError(`feature ${col.name} must be categorical`);
      const left = new Set(split.leftCategories);
      const mask = new Uint8Array(col.categories.length + 1);
      col.categories.forEach((name, i) => (mask[i + 1] = left.has(name) ? 1 : 0));
      c.kind[k] = CATEGORICAL;
      c.masks[k] = mask;
      c.codes[k] = col.codes;
    } else if (col.kind === 'raw') {
      c.kind[k] = RAW;
      c.threshold[k] = split.threshold;
      c.values[k] = col.values;
    } else if (col.kind === 'numeric') {
      const limit = findEdge(col.upperEdges, split.threshold);
      if (limit < 0) {
        throw new RangeError(`feature ${col.name}: threshold ${split.threshold} is not one of its bin edges; bin with the training edges or pass raw values`);
      }
      c.kind[k] = NUMERIC_CODES;
      c.codeLimit[k] = limit;
      c.codes[k] = col.codes;
    } else {
      throw new RangeError(`feature ${col.name} must be numeric`);
    }
  });
  return c;
}

/** Leaf node id (index into tree.nodes) of every row. */
export function predictLeaf(tree: CartTree, features: readonly FeatureInput[]): Int32Array {
  const c = compile(tree, features);
  const out = new Int32Array(c.rows);
  for (let r = 0; r < c.rows; r++) {
    let k = 0;
    while (c.left[k]! >= 0) {
      let goLeft: boolean;
      const kind = c.kind[k]!;
      if (kind === RAW) {
        const v = c.values[k]![r]!;
        goLeft = v !== v ? c.missingLeft[k] === 1 : v <= c.threshold[k]!;
      } else {
        const code = c.codes[k]![r]!;
        if (code === 0) goLeft = c.missingLeft[k] === 1;
        else if (kind === NUMERIC_CODES) goLeft = code <= c.codeLimit[k]!;
        else goLeft = c.masks[k]![code] === 1;
      }
      k = goLeft ? c.left[k]! : c.right[k]!;
    }
    out[r] = k;
  }
  return out;
}

/** Class-1 probability (the leaf's unweighted training rate) of every row. */
export function predictProba(tree: CartTree, features: readonly FeatureInput[]): Float64Array {
  const leaves = predictLeaf(tree, features);
  const out = new Float64Array(leaves.length);
  for (let r = 0; r < leaves.length; r++) out[r] = tree.nodes[leaves[r]!]!.proba;
  return out;
}
