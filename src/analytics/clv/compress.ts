/**
 * Collapses per-customer summaries into distinct weighted rows before fitting.
 *
 * Real recency/age values are whole days, so 100k customers share far fewer distinct (x, t_x, T) triples (all
 * x = 0 customers with the same age collapse to one row), and the likelihood cost scales with distinct rows.
 * Each distinct coordinate also gets a small table of its own (unique x, unique t_x, unique T) so that per-evaluation
 * work such as log(alpha + T) is done once per distinct value instead of once per row.
 */

export interface UniqueValues {
  values: Float64Array;
  /** index[i] = position of input[i] in values. */
  index: Int32Array;
}

/** Distinct values of a column in first-seen order, with each element's index into them. */
export function uniqueValues(col: Float64Array): UniqueValues {
  const map = new Map<number, number>();
  const index = new Int32Array(col.length);
  const vals: number[] = [];
  for (let i = 0; i < col.length; i++) {
    const v = col[i] as number;
    let k = map.get(v);
    if (k === undefined) {
      k = vals.length;
      vals.push(v);
      map.set(v, k);
    }
    index[i] = k;
  }
  return { values: Float64Array.from(vals), index };
}

export interface GroupedRows {
  /** For each distinct row, the index of its first member in the input. */
  first: Int32Array;
  /** Summed weight of each distinct row. */
  weight: Float64Array;
  /** group[i] = distinct row of input row i. */
  group: Int32Array;
}

/**
 * Groups rows by a tuple of already-indexed coordinates (each in [0, sizes[k])) and sums their weights.
 * Only rows with include[i] !== 0 are grouped (group[i] = −1 otherwise).
 */
export function groupRows(
  coords: Int32Array[],
  sizes: number[],
  weights: Float64Array | undefined,
  include?: (i: number) => boolean,
): GroupedRows {
  const n = coords[0]?.length ?? 0;
  const exact = sizes.reduce((a, b) => a * b, 1) <= Number.MAX_SAFE_INTEGER;
  const map = new Map<number | string, number>();
  const group = new Int32Array(n).fill(-1);
  const first: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    if (include && !include(i)) continue;
    // Mixed-radix numeric key while the product of sizes fits in 2^53, else a (slower) string key.
    let key: number | string = 0;
    if (exact) {
      for (let k = 0; k < coords.length; k++) key = key * (sizes[k] as number) + ((coords[k] as Int32Array)[i] as number);
    } else {
      key = coords.map((c) => c[i] as number).join(',');
    }
    let g = map.get(key);
    if (g === undefined) {
      g = first.length;
      map.set(key, g);
      first.push(i);
      weight.push(0);
    }
    group[i] = g;
    weight[g] = (weight[g] as number) + (weights ? (weights[i] as number) : 1);
  }
  return { first: Int32Array.from(first), weight: Float64Array.from(weight), group };
}
