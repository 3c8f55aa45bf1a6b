/**
 * Turns raw columns into the pre-binned FeatureColumns the tree grows on. The pipeline computes numeric
 * bin edges in DuckDB; this JS version exists for tests and the benchmark and is defined so that both give
 * the same edges:
 *
 *   upperEdges = distinct(quantile_disc(x, [k::DOUBLE / maxBins for k in 1..maxBins-1])) ++ [+Infinity]
 *
 * (NULL/NaN excluded). quantile_disc picks sorted index max(1, n - floor(n - n·q)) - 1, reproduced below
 * with the same double arithmetic. Edges are data values, so `x <= edge` in SQL bins exactly as here.
 * `exact` binning gives every distinct value its own bin, which turns the histogram search into the
 * classic exhaustive CART search (used as a test oracle).
 */
import { codesForEdges, selectRanks, valueRange } from './order-stats.js';
import type { CategoricalFeature, Codes, NumericFeature } from './types.js';

export interface BinnedValues {
  readonly upperEdges: Float64Array;
  readonly codes: Codes;
}

/** The quantile_disc ranks DuckDB uses for q = k / maxBins, k = 1..maxBins-1, over n values. */
export function quantileRanks(n: number, maxBins: number): Int32Array {
  const ranks = new Int32Array(maxBins - 1);
  for (let k = 1; k < maxBins; k++) {
    const q = k / maxBins;
    const floored = Math.floor(n - n * q);
    ranks[k - 1] = Math.max(1, n - floored) - 1;
  }
  return ranks;
}

/** Quantile bin edges (see the header for the exact definition). */
export function quantileEdges(values: Float64Array, maxBins = 255): Float64Array {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 65535) {
    throw new RangeError(`maxBins must be an integer in 2..65535, got ${maxBins}`);
  }
  const range = valueRange(values);
  if (range.count === 0) return Float64Array.of(Infinity);
  const picked = selectRanks(values, quantileRanks(range.count, maxBins), range);
  const edges: number[] = [];
  for (const v of picked) if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  if (edges[edges.length - 1] !== Infinity) edges.push(Infinity);
  return Float64Array.from(edges);
}

/** Quantile bins: edges plus the code of every value (NaN → 0). */
export function quantileBins(values: Float64Array, maxBins = 255): BinnedValues {
  const upperEdges = quantileEdges(values, maxBins);
  return { upperEdges, codes: codesForEdges(values, upperEdges) };
}

/** One bin per distinct non-NaN value (at most 65535 of them); the last edge is the maximum. */
export function exactBins(values: Float64Array): BinnedValues {
  const sorted = Float64Array.from(values.filter((v) => v === v)).sort();
  const distinct: number[] = [];
  for (const v of sorted) if (distinct.length === 0 || v > distinct[distinct.length - 1]!) distinct.push(v);
  const upperEdges = Float64Array.from(distinct);
  return { upperEdges, codes: codesForEdges(values, upperEdges) };
}

/** Codes of new values (e.g. a test set) against edges from training; above the last edge → last bin. */
export function binWithEdges(values: Float64Array, upperEdges: Float64Array): Codes {
  return codesForEdges(values, upperEdges);
}

export function numericFeature(
  name: string,
  values: Float64Array,
  options: { maxBins?: number; exact?: boolean } = {},
): NumericFeature {
  const { upperEdges, codes } = options.exact ? exactBins(values) : quantileBins(values, options.maxBins);
  return { name, kind: 'numeric', codes, upperEdges };
}

/**
 * Categorical column from strings (null/undefined = missing). Without `categories` they are the distinct
 * values in code-unit order; with them (e.g. the training list for a test set) unseen values are appended,
 * so predictions route them the way the SQL does (not in the left set → right), not as missing.
 */
export function categoricalFeature(
  name: string,
  values: ReadonlyArray<string | null | undefined>,
  categories?: readonly string[],
): CategoricalFeature {
  const list = categories
    ? [...categories]
    : [...new Set(values.filter((v): v is string => v !== null && v !== undefined))].sort();
  const codeOf = new Map<string, number>();
  list.forEach((c, i) => {
    if (codeOf.has(c)) throw new RangeError(`duplicate category ${JSON.stringify(c)}`);
    codeOf.set(c, i + 1);
  });
  for (const v of values) {
    if (v !== null && v !== undefined && !codeOf.has(v)) {
      list.push(v);
      codeOf.set(v, list.length);
    }
  }
  if (list.length > 65535) throw new RangeError(`${list.length} categories do not fit 16-bit codes`);
  const codes = list.length <= 255 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) codes[i] = codeOf.get(v)!;
  });
  return { name, kind: 'categorical', codes, categories: list };
}
