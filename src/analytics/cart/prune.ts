/**
 * Minimal cost-complexity pruning (Breiman et al. 1984, as in scikit-learn's ccp_alpha). A node's risk is
 * R(t) = weight(t) · impurity(t) / weight(root); the weakest link is the internal node with the smallest
 * g(t) = (R(t) - R(leaves under t)) / (leaves under t - 1). Pruning weakest links one alpha at a time gives
 * the nested sequence of optimal subtrees; pruneToAlpha replays that same sequence up to an alpha, so any
 * alpha from the path reproduces exactly the tree on the path. O(nodes²) at worst, fine for trees.
 */
import type { CartNode, CartTree } from './types.js';

export interface PruningPath {
  /** Increasing; alphas[0] = 0 is the full tree, the last one leaves only the root. */
  readonly alphas: number[];
  /** Total leaf risk of the subtree at each alpha (non-decreasing). */
  readonly impurities: number[];
  readonly leaves: number[];
}

interface TreeState {
  readonly impurity: number;
  readonly leaves: number;
}

interface PruneStep extends TreeState {
  readonly alpha: number;
  /** Node ids that become leaves at this step. */
  readonly pruned: number[];
}

/** The full tree's totals and the weakest-link steps (equal g within rounding are pruned together). */
function weakestLinks(tree: CartTree): { full: TreeState; steps: PruneStep[] } {
  const nodes = tree.nodes;
  const m = nodes.length;
  const rootWeight = nodes[0]!.weight;
  const risk = Float64Array.from(nodes, (n) => (rootWeight > 0 ? (n.weight * n.impurity) / rootWeight : 0));
  const leaf = Uint8Array.from(nodes, (n) => (n.left < 0 ? 1 : 0));
  const live = new Uint8Array(m);
  const leafRisk = new Float64Array(m);
  const leafCount = new Int32Array(m);
  const g = new Float64Array(m);
  const steps: PruneStep[] = [];
  let full: TreeState | null = null;
  let pending: { alpha: number; pruned: number[] } | null = null;
  for (;;) {
    // Preorder ids: a forward sweep marks the nodes still in the tree, a backward one is a post-order.
    live.fill(0);
    live[0] = 1;
    for (let k = 0; k < m; k++) {
      if (live[k] === 1 && leaf[k] === 0) live[nodes[k]!.left] = live[nodes[k]!.right] = 1;
    }
    let minG = Infinity;
    for (let k = m - 1; k >= 0; k--) {
      g[k] = Infinity;
      if (live[k] === 0) continue;
      if (leaf[k] === 1) {
        leafRisk[k] = risk[k]!;
        leafCount[k] = 1;
        continue;
      }
      const n = nodes[k]!;
      leafRisk[k] = leafRisk[n.left]! + leafRisk[n.right]!;
      leafCount[k] = leafCount[n.left]! + leafCount[n.right]!;
      g[k] = (risk[k]! - leafRisk[k]!) / (leafCount[k]! - 1);
      if (g[k]! < minG) minG = g[k]!;
    }
    const state = { impurity: leafRisk[0]!, leaves: leafCount[0]! };
    if (pending) steps.push({ ...pending, ...state });
    else full = state;
    if (minG === Infinity) return { full: full!, steps };
    const tolerance = 1e-12 * Math.abs(minG);
    const pruned: number[] = [];
    for (let k = 0; k < m; k++) if (g[k]! <= minG + tolerance) pruned.push(k);
    for (const k of pruned) leaf[k] = 1;
    // Breiman: the weakest-link alphas never decrease; max() only absorbs rounding.
    const previous = steps.length > 0 ? steps[steps.length - 1]!.alpha : 0;
    pending = { alpha: Math.max(previous, minG), pruned };
  }
}

type MutableNode = { -readonly [K in keyof CartNode]: CartNode[K] };

/** Copy of the tree where nodes flagged by `makeLeaf` (and so everything below them) become leaves. */
function rebuild(tree: CartTree, makeLeaf: (node: CartNode) => boolean): CartTree {
  const out: CartNode[] = [];
  const visit = (k: number): number => {
    const n = tree.nodes[k]!;
    const id = out.length;
    if (n.left < 0 || makeLeaf(n)) {
      out.push({ ...n, id, split: null, left: -1, right: -1, gain: 0 });
      return id;
    }
    const copy: MutableNode = { ...n, id };
    out.push(copy);
    copy.left = visit(n.left);
    copy.right = visit(n.right);
    return id;
  };
  visit(0);
  return { ...tree, nodes: out };
}

export function costComplexityPath(tree: CartTree): PruningPath {
  const { full, steps } = weakestLinks(tree);
  return {
    alphas: [0, ...steps.map((s) => s.alpha)],
    impurities: [full.impurity, ...steps.map((s) => s.impurity)],
    leaves: [full.leaves, ...steps.map((s) => s.leaves)],
  };
}

/** The optimal subtree for cost-complexity `alpha`: every weakest link with g ≤ alpha is pruned. */
export function pruneToAlpha(tree: CartTree, alpha: number): CartTree {
  const leaf = new Uint8Array(tree.nodes.length);
  for (const step of weakestLinks(tree).steps) {
    if (step.alpha > alpha) break;
    for (const k of step.pruned) leaf[k] = 1;
  }
  return rebuild(tree, (n) => leaf[n.id] === 1);
}

/** The tree cut at `depth` (depth 0 = the root alone). */
export function pruneToDepth(tree: CartTree, depth: number): CartTree {
  return rebuild(tree, (n) => n.depth >= depth);
}
