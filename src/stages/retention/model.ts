/**
 * One retention model (churn or lead) end to end on the three snapshots: grow a tree on `train`, choose how much of
 * it to keep by AUC on `valid` (cost-complexity pruning, chooseByValidationAuc), keep that tree's holdout scores for
 * the evaluation, then refit on `valid` — the latest labelled window — with the same settings, prune it at the
 * chosen cost-complexity alpha (the geometric middle of the alpha interval that selected subtree is optimal for) and
 * score `score`. The holdout figures describe the train-window model on data it never saw; the refit, which is
 * what gets published, uses the most recent behaviour. Only typed arrays cross from DuckDB.
 */
import {
  chooseByValidationAuc,
  costComplexityPath,
  fitCart,
  predictLeaf,
  predictProba,
  pruneToAlpha,
  type CartOptions,
  type CartTree,
  type FeatureInput,
  type PruningChoice,
} from '../../analytics/cart/index.js';
import { bestF1Threshold } from '../../analytics/classification-cuts.js';
import type { Database } from '../../db/database.js';
import { matrixEdges, readMatrix, scoringInputs, trainingColumns, type FeatureSpec, type Matrix } from './matrix.js';
import type { Population } from './populations.js';

export interface ModelSettings {
  population: Population;
  /** Lead: the positive class is "buys"; churn: "does not buy". */
  positiveIsPurchase: boolean;
  cart: Pick<CartOptions, 'maxDepth' | 'minLeaf' | 'criterion' | 'classWeight'>;
}

/** What the evaluation needs of a snapshot once the trees are fitted: not its feature columns. */
export type MatrixSummary = Pick<Matrix, 'rows' | 'y' | 'recency'>;

export interface FittedModel {
  /** The train-window tree after validation pruning (what the holdout figures describe). */
  holdoutTree: CartTree;
  choice: PruningChoice;
  /** The alpha the refit was pruned at. */
  refitAlpha: number;
  /** The published model: refit on the valid window, pruned. */
  tree: CartTree;
  train: MatrixSummary;
  valid: MatrixSummary;
  score: MatrixSummary;
  /** Holdout scores of holdoutTree on `valid`. */
  holdoutScores: Float64Array;
  trainScores: Float64Array;
  /** Chosen on the training window (max F1) and judged on the holdout. */
  threshold: number;
  /** Leaf node id of every `score` row (customer_key order). */
  scoreLeaves: Int32Array;
  fitSeconds: number;
}

const summarise = ({ rows, y, recency }: Matrix): MatrixSummary => ({ rows, y, recency });

/** Geometric middle of the alpha interval in which the chosen subtree is the optimal one. */
function transferAlpha(tree: CartTree, chosen: number): number {
  const alphas = [...new Set(costComplexityPath(tree).alphas)].sort((a, b) => a - b);
  const next = alphas.find((a) => a > chosen);
  if (chosen <= 0) return 0;
  return next === undefined ? chosen : Math.sqrt(chosen * next);
}

/** The train window's part: grow, prune by AUC on `valid`, score the train rows with the pruned tree. */
async function holdoutOnTrain(db: Database, specs: readonly FeatureSpec[], settings: ModelSettings, validInputs: FeatureInput[], validY: Uint8Array) {
  const read = performance.now();
  const train = await readMatrix(db, specs, 'train', settings.population, settings.positiveIsPurchase);
  const readSeconds = (performance.now() - read) / 1000;
  const grown = fitCart(trainingColumns(specs, train, matrixEdges(specs, train)), train.y, settings.cart);
  const choice = chooseByValidationAuc(grown, validInputs, validY);
  return { grown, choice, train: summarise(train), trainScores: predictProba(choice.tree, scoringInputs(specs, train)), readSeconds };
}

/** Both labelled windows: the holdout tree from `train`, then the refit on `valid`, pruned at the transferred alpha. */
async function fitWindows(db: Database, specs: readonly FeatureSpec[], settings: ModelSettings) {
  const valid = await readMatrix(db, specs, 'valid', settings.population, settings.positiveIsPurchase);
  const started = performance.now();
  const validInputs = scoringInputs(specs, valid);
  const { grown, choice, train, trainScores, readSeconds } = await holdoutOnTrain(db, specs, settings, validInputs, valid.y);
  const holdoutScores = predictProba(choice.tree, validInputs);
  const refitAlpha = transferAlpha(grown, choice.alpha ?? 0);
  const tree = pruneToAlpha(fitCart(trainingColumns(specs, valid, matrixEdges(specs, valid)), valid.y, settings.cart), refitAlpha);
  // The fit's time, without the reads of the snapshots from DuckDB.
  const fitSeconds = (performance.now() - started) / 1000 - readSeconds;
  return { choice, refitAlpha, tree, train, valid: summarise(valid), holdoutScores, trainScores, fitSeconds };
}

/**
 * Each snapshot's feature columns (about 150 MB at 1M customers) live only in the helper that uses them, so the
 * garbage collector can take them once it returns: `score` is read after both fits. At 1M customers V8's external
 * memory in retention peaked at 279 MiB this way against 502–526 MiB with all three held to the end. The stage's peak
 * RSS did not move (3,989 against 3,973 MiB): that is DuckDB's share and what its accounting leaves out.
 */
export async function fitModel(db: Database, specs: readonly FeatureSpec[], settings: ModelSettings): Promise<FittedModel> {
  const { choice, refitAlpha, tree, train, valid, holdoutScores, trainScores, fitSeconds } = await fitWindows(db, specs, settings);
  const score = await readMatrix(db, specs, 'score', settings.population, settings.positiveIsPurchase);
  const scoreLeaves = score.rows > 0 ? predictLeaf(tree, scoringInputs(specs, score)) : new Int32Array(0);
  return {
    holdoutTree: choice.tree, choice, refitAlpha, tree, train, valid, score: summarise(score), holdoutScores, trainScores,
    threshold: bestF1Threshold(trainScores, train.y).threshold, scoreLeaves, fitSeconds,
  };
}

/** Share of the total impurity decrease each feature's splits achieve in a tree (features without splits: 0). */
export function featureImportance(tree: CartTree): { feature: string; share: number; firstDepth: number }[] {
  const gain = new Map<string, number>();
  const depth = new Map<string, number>();
  for (const n of tree.nodes) {
    if (!n.split) continue;
    gain.set(n.split.feature, (gain.get(n.split.feature) ?? 0) + n.gain);
    depth.set(n.split.feature, Math.min(depth.get(n.split.feature) ?? Infinity, n.depth));
  }
  const total = [...gain.values()].reduce((s, g) => s + g, 0);
  return [...gain]
    .map(([feature, g]) => ({ feature, share: total > 0 ? g / total : 0, firstDepth: depth.get(feature)! }))
    .sort((a, b) => b.share - a.share || a.feature.localeCompare(b.feature));
}
