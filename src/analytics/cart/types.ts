/**
 * Shared types of the CART engine (churn and lead models). Features arrive pre-binned, column by column, so
 * the growth loop only ever touches small integer codes: a numeric column carries its bin codes plus the
 * upper edge of every bin (so a split on bin b can be printed as `x <= edge` and re-applied to raw values),
 * a categorical column carries codes plus the category strings. Code 0 is always "missing" (SQL NULL).
 *
 * The fitted tree is a plain, JSON-safe object (no typed arrays, no Infinity/NaN), so it can be stored in the
 * run manifest as is; nodes sit in one array in preorder and refer to their children by index.
 */

/** Bin codes, one per row. */
export type Codes = Uint8Array | Uint16Array;

/**
 * Pre-binned numeric feature: bin b ≥ 1 holds values v with upperEdges[b-2] < v <= upperEdges[b-1]
 * (bin 1 has no lower bound; the last edge may be +Infinity); code 0 = missing.
 */
export interface NumericFeature {
  readonly name: string;
  readonly kind: 'numeric';
  readonly codes: Codes;
  readonly upperEdges: Float64Array;
}

/** Categorical feature: code c ≥ 1 means categories[c-1]; code 0 = missing. */
export interface CategoricalFeature {
  readonly name: string;
  readonly kind: 'categorical';
  readonly codes: Codes;
  readonly categories: readonly string[];
}

/** Raw numeric values (NaN = missing): binned by fitCart itself, or compared directly by predict. */
export interface RawNumericFeature {
  readonly name: string;
  readonly kind: 'raw';
  readonly values: Float64Array;
}

export type FeatureColumn = NumericFeature | CategoricalFeature;
export type FeatureInput = FeatureColumn | RawNumericFeature;

export type Criterion = 'gini' | 'entropy';

export interface CartOptions {
  /** Default 'gini'. */
  criterion?: Criterion;
  /** Root has depth 0; maxDepth 1 = a single split. */
  maxDepth: number;
  /** Minimum training rows (unweighted) in every leaf, ≥ 1. */
  minLeaf: number;
  /** 'balanced' = n / (2 · n_class) as in scikit-learn. Weights steer the split choice only. */
  classWeight?: 'balanced' | readonly [number, number];
  /** Weighted impurity decrease / total weight a split must reach (scikit-learn's semantics). Default 0. */
  minImpurityDecrease?: number;
  /** Bin `raw` inputs with one bin per distinct value instead of quantile bins. */
  exact?: boolean;
  /** Quantile bins for `raw` inputs (default 255). */
  maxBins?: number;
  /** Train on these rows only (indices into the columns). */
  rowIndices?: Int32Array;
}

export interface NumericSplit {
  readonly kind: 'numeric';
  readonly feature: string;
  readonly featureIndex: number;
  /** Training codes 1..bin go left. */
  readonly bin: number;
  /** Values <= threshold go left (threshold = upperEdges[bin-1]). */
  readonly threshold: number;
  readonly missingLeft: boolean;
  /** Training rows at this node with the feature missing; 0 means missing was routed to the larger child. */
  readonly missingRows: number;
}

export interface CategoricalSplit {
  readonly kind: 'categorical';
  readonly feature: string;
  readonly featureIndex: number;
  /** Categories going left; every other non-missing category (also unseen ones) goes right. */
  readonly leftCategories: readonly string[];
  readonly missingLeft: boolean;
  readonly missingRows: number;
}

export type CartSplit = NumericSplit | CategoricalSplit;

export interface CartNode {
  readonly id: number;
  readonly depth: number;
  /** Training rows reaching the node and how many of them are class 1 (unweighted). */
  readonly rows: number;
  readonly positives: number;
  /** Class-weighted row total and criterion impurity of the weighted class distribution. */
  readonly weight: number;
  readonly impurity: number;
  /** Unweighted class-1 rate: the node's predicted probability. */
  readonly proba: number;
  readonly split: CartSplit | null;
  /** Child node ids; -1 on leaves. */
  readonly left: number;
  readonly right: number;
  /** Weighted impurity decrease of the split (0 on leaves). */
  readonly gain: number;
}

export interface CartFeatureMeta {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
}

export interface CartTree {
  readonly format: 'cra-cart/1';
  readonly criterion: Criterion;
  readonly classWeights: readonly [number, number];
  readonly maxDepth: number;
  readonly minLeaf: number;
  readonly features: readonly CartFeatureMeta[];
  /** Preorder; nodes[0] is the root. */
  readonly nodes: readonly CartNode[];
}
