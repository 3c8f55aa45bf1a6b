/**
 * Picks how much of a grown tree to keep by holdout AUC: either along the cost-complexity path (every
 * distinct optimal subtree) or by cutting at each depth. AUC rather than accuracy because the scores are
 * used to rank customers (who to call first), and holdout rather than cross-validation because the
 * pipeline already splits its data once. Ties go to the smaller tree.
 */
import { auc } from '../classification-metrics.js';
import { predictProba } from './predict.js';
import { costComplexityPath, pruneToAlpha, pruneToDepth } from './prune.js';
import type { CartTree, FeatureInput } from './types.js';

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
  const scored = trees.map((t) => ({
    ...t,
    leaves: t.tree.nodes.filter((n) => n.left < 0).length,
    auc: auc(predictProba(t.tree, features), y),
  }));
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
