/**
 * Public surface of the CART engine used by the churn and lead models: binning, fitting, scoring,
 * pruning, and the explanations (rules, SQL, JSON). See fit.ts for the algorithm.
 */
export type {
  CartFeatureMeta,
  CartNode,
  CartOptions,
  CartSplit,
  CartTree,
  CategoricalFeature,
  CategoricalSplit,
  Codes,
  Criterion,
  FeatureColumn,
  FeatureInput,
  NumericFeature,
  NumericSplit,
  RawNumericFeature,
} from './types.js';
export {
  binWithEdges,
  categoricalFeature,
  exactBins,
  numericFeature,
  quantileBins,
  quantileEdges,
  quantileRanks,
  type BinnedValues,
} from './binning.js';
export { binFeatures, fitCart } from './fit.js';
export { predictLeaf, predictProba } from './predict.js';
export { costComplexityPath, pruneToAlpha, pruneToDepth, type PruningPath } from './prune.js';
export { chooseByValidationAuc, type PruningCandidate, type PruningChoice } from './select.js';
export { treeToRules, type CartRule, type RuleOptions } from './rules.js';
export { quoteIdent, quoteString, sqlDouble, treeToSql, treeToSqlExpression, type TreeSqlOptions } from './to-sql.js';
export { treeFromJson, treeToJson, type CartTreeJson } from './serialize.js';
