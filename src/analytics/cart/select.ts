/**
 * Picks how much of a grown tree to keep by holdout AUC: either along the cost-complexity path (every
 * distinct optimal subtree) or by cutting at each depth. AUC rather than accuracy because the scores are
 * used to rank customers (who to call first), and holdout rather than cross-validation because the
 * pipeline already splits its data once. Ties go to the smaller tree.
 */
import { auc, aucOfGroups, scoreGroupsFromCounts } from '../classification-metrics.js';
import { predictLeaf, predictProba } from './predict.js';
import { costComplexityPath, pruneToAlpha, pruneToDepth } from './prune.js';
import type { CartTree, FeatureInput } from './types.js';

/**
 * The probability of `pruned`, a copy of `full` with some subtrees collapsed into leaves (what pruneToAlpha and
 * pruneToDepth make), at each leaf of `full` (indexed by full's node; 0 elsewhere): walking both trees from the root,
 * every full-tree leaf under a pruned leaf takes that leaf's probability. So a row's score under any candidate is
 * read from its leaf in `full`, without a descent of each row through each candidate (37 candidates on 600k holdout
 * rows: predictProba took 1.5 s). Undefined when `pruned` does not have full's splits where it splits, so the caller
 * predicts the plain way.
 */
export function probaAtFullLeaves(full: CartTree, pruned: CartTree): Float64Array | undefined {
  const probaOfLeaf = new Float64Array(full.nodes.length);
  const fill = (f: number, proba: number): void => {
    const node = full.nodes[f]!;
    if (node.left < 0) probaOfLeaf[f] = proba;
    else {
      fill(node.left, proba);
      fill(node.right, proba);
    }
  };
  const walk = (p: number, f: number): boolean => {
    const pn = pruned.nodes[p]!;
    const fn = full.nodes[f]!;
    if (pn.left < 0) {
      fill(f, pn.proba);
      return true;
    }
    if (fn.left < 0 || JSON.stringify(pn.split) !== JSON.stringify(fn.split)) return false;
    return walk(pn.left, fn.left) && walk(pn.right, fn.right);
  };
  return walk(0, 0) ? probaOfLeaf : undefined;
}

export interface PruningCandidate {
  /** Set when choosing by alpha / by depth respectively. */
  readonly alpha: number | null;
  readonly depth: number | null;
  readonly leaves: number;
  readonly auc: number;
}

export interface PruningChoice extends PruningCandidate {
  readonly tree: CartTree;
  readonly candidates: PruningCandidate[];
}

export function chooseByValidationAuc(
  tree: CartTree,
  features: readonly FeatureInput[],
  y: Uint8Array,
  options: { by?: 'alpha' | 'depth' } = {},
): PruningChoice {
  const by = options.by ?? 'alpha';
  const trees: { tree: CartTree; alpha: number | null; depth: number | null }[] = [];
  if (by === 'alpha') {
    for (const alpha of new Set(costComplexityPath(tree).alphas)) trees.push({ tree: pruneToAlpha(tree, alpha), alpha, depth: null });
  } else {
    const maxDepth = Math.max(...tree.nodes.map((n) => n.depth));
    for (let depth = 0; depth <= maxDepth; depth++) trees.push({ tree: pruneToDepth(tree, depth), alpha: null, depth });
  }
  // A candidate's score is constant on each leaf of the full tree, so its AUC comes from the rows and positives
  // counted per full leaf once, not from the rows per candidate (37 candidates on 600k holdout rows: 1.0 s of
  // counting the rows' scores in a map). The groups, hence the AUCs, are the same to the last bit.
  const fullLeaf = predictLeaf(tree, features);
  if (y.length !== fullLeaf.length) throw new RangeError(`${fullLeaf.length} rows for ${y.length} labels`);
  const rowsAt = new Float64Array(tree.nodes.length);
  const positivesAt = new Float64Array(tree.nodes.length);
  for (let r = 0; r < fullLeaf.length; r++) {
    const label = y[r]!;
    if (label !== 0 && label !== 1) throw new RangeError('y must hold only 0 and 1');
    rowsAt[fullLeaf[r]!]! += 1;
    positivesAt[fullLeaf[r]!]! += label;
  }
  const scored = trees.map((t) => {
    const proba = probaAtFullLeaves(tree, t.tree);
    return {
      ...t,
      leaves: t.tree.nodes.filter((n) => n.left < 0).length,
      auc: proba ? aucOfGroups(scoreGroupsFromCounts(proba, rowsAt, positivesAt)) : auc(predictProba(t.tree, features), y),
    };
  });
  if (scored.some((s) => Number.isNaN(s.auc))) throw new RangeError('validation labels need both classes');
  let best = scored[0]!;
  for (const s of scored) {
    if (s.auc > best.auc + 1e-12 || (Math.abs(s.auc - best.auc) <= 1e-12 && s.leaves < best.leaves)) best = s;
  }
  return {
    tree: best.tree,
    alpha: best.alpha,
    depth: best.depth,
    leaves: best.leaves,
    auc: best.auc,
    candidates: scored.map(({ alpha, depth, leaves, auc: a }) => ({ alpha, depth, leaves, auc: a })),
  };
}
