/**
 * The sample the CLV fits' coarse searches run on when there are many customers (fit-common.ts).
 *
 * A multi-start fit spends most of its likelihood evaluations in the coarse searches, which only have to find each
 * start's basin to 1e-2 in log-parameters: at 1M customers, 1,092 of BG/NBD's 1,249 Nelder–Mead iterations. Those
 * searches run on every k-th customer, so that about COARSE_CUSTOMERS remain (they minimise the mean negative
 * log-likelihood per customer, whose scale a sample keeps); the polishes, the confirming restart, the tail and ridge
 * checks and the Hessian all use every customer, and each coarse end point is scored on every customer before the best
 * two are chosen. The sample is a fixed stride over the input order, so the same inputs give the same fit. Up to four
 * times COARSE_CUSTOMERS nothing is sampled, and a fit is what it always was.
 *
 * On the 1M bench inputs alone: BG/NBD 6.7 s against 12.3 s, Gamma-Gamma 2.9 s against 7.0 s, the log-likelihoods the
 * same within 1e-6 (docs/decisions.md). Samples of 20,000 and 100,000 took 6.5 and 7.6 s: a smaller sample leaves the
 * polishes more to do.
 */

/** About this many customers remain in the coarse searches' sample. */
export const COARSE_CUSTOMERS = 50_000;

export interface CoarseSample {
  /** The stride: customers 0, k, 2k, … are kept. */
  k: number;
  /** The kept rows' indices into the inputs. */
  rows: Int32Array;
}

/** The stride sample of `n` customers for about `target` of them, or null up to 4 × target customers (none taken). */
export function coarseSample(n: number, target = COARSE_CUSTOMERS): CoarseSample | null {
  if (!(target >= 1) || !(n > 4 * target)) return null;
  const k = Math.ceil(n / target);
  return { k, rows: Int32Array.from({ length: Math.ceil(n / k) }, (_, j) => j * k) };
}

/** The kept rows of a column. */
export function sampleColumn(column: Float64Array, sample: CoarseSample): Float64Array;
export function sampleColumn(column: Float64Array | undefined, sample: CoarseSample): Float64Array | undefined;
export function sampleColumn(column: Float64Array | undefined, sample: CoarseSample): Float64Array | undefined {
  if (!column) return undefined;
  return Float64Array.from(sample.rows, (i) => column[i] as number);
}

/** The coarse sample of a fit's customers: their repeat counts, and the same rows of any other column. */
export interface SampleRows {
  x: Float64Array;
  pick(column: Float64Array): Float64Array;
  pick(column: Float64Array | undefined): Float64Array | undefined;
}

/**
 * The coarse sample of the customers whose repeat counts are `x` (about `target` of them), or null when none is taken
 * (up to 4 × target customers) or it holds no repeat customer: a likelihood without one peaks only at a parameter's
 * limit, so it would locate no basin.
 */
export function coarseRows(x: Float64Array, target?: number): SampleRows | null {
  const sample = coarseSample(x.length, target);
  if (!sample) return null;
  const sampled = sampleColumn(x, sample);
  if (!sampled.some((v) => v > 0)) return null;
  return { x: sampled, pick: ((column?: Float64Array) => sampleColumn(column, sample)) as SampleRows['pick'] };
}
