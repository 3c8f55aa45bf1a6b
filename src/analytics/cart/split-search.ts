/**
 * Best split of one node from its histogram. Numeric features: every bin boundary b (codes 1..b left),
 * each tried with the missing rows (code 0) sent right and then left. Categorical features: the groups
 * present at the node — the missing rows count as one more group — are ordered by class-1 rate and only
 * prefixes of that order are scored; for a binary target and a concave impurity (gini, entropy, any class
 * weights) Breiman's theorem makes the best prefix the best of all 2^k partitions, missing placement
 * included. Ties keep the first candidate (lower feature index, lower bin, missing right before left).
 */
import { childScore } from './impurity.js';
import type { HistLayout } from './histogram.js';

export interface SearchContext {
  readonly layout: HistLayout;
  /** 1 = categorical, 0 = numeric, per feature. */
  readonly categorical: Uint8Array;
  readonly w0: number;
  readonly w1: number;
  readonly entropy: boolean;
  readonly minLeaf: number;
}

export interface SplitCandidate {
  feature: number;
  score: number;
  /** Numeric: codes 1..bin go left. */
  bin: number;
  /** Categorical: codes (≥ 1) going left. */
  leftCodes: number[];
  missingLeft: boolean;
  missingRows: number;
  /** Unweighted class counts of the children. */
  l0: number;
  l1: number;
  r0: number;
  r1: number;
}

interface Groups {
  code: Int32Array;
  rate: Float64Array;
}

const scratchGroups: Groups = { code: new Int32Array(0), rate: new Float64Array(0) };

export function findBestSplit(ctx: SearchContext, hist: Int32Array, n0: number, n1: number): SplitCandidate | null {
  const { w0, w1, entropy, minLeaf } = ctx;
  const { offsets, nbins } = ctx.layout;
  const n = n0 + n1;
  let best: SplitCandidate | null = null;
  let bestScore = -Infinity;
  const consider = (f: number, l0: number, l1: number, missingLeft: boolean, bin: number, codes: number[] | null, missingRows: number): void => {
    const nl = l0 + l1;
    if (nl < minLeaf || n - nl < minLeaf) return;
    const r0 = n0 - l0;
    const r1 = n1 - l1;
    const s = childScore(entropy, w0 * l0, w1 * l1) + childScore(entropy, w0 * r0, w1 * r1);
    if (!(s > bestScore)) return;
    bestScore = s;
    best = { feature: f, score: s, bin, leftCodes: codes ? codes.slice() : [], missingLeft, missingRows, l0, l1, r0, r1 };
  };

  for (let f = 0; f < nbins.length; f++) {
    const o = offsets[f]!;
    const nb = nbins[f]!;
    const m0 = hist[o]!;
    const m1 = hist[o + 1]!;
    const missing = m0 + m1;
    if (ctx.categorical[f] === 0) {
      let l0 = 0;
      let l1 = 0;
      for (let b = 1; b < nb; b++) {
        l0 += hist[o + 2 * b]!;
        l1 += hist[o + 2 * b + 1]!;
        if (missing === 0) {
          const nl = l0 + l1;
          consider(f, l0, l1, nl >= n - nl, b, null, 0);
        } else {
          consider(f, l0, l1, false, b, null, missing);
          consider(f, l0 + m0, l1 + m1, true, b, null, missing);
        }
      }
      continue;
    }
    // Categorical: groups with rows at this node (code 0 = missing), ordered by weighted class-1 rate.
    if (scratchGroups.code.length < nb + 1) {
      scratchGroups.code = new Int32Array(nb + 1);
      scratchGroups.rate = new Float64Array(nb + 1);
    }
    const { code, rate } = scratchGroups;
    let g = 0;
    for (let c = 0; c <= nb; c++) {
      const c0 = hist[o + 2 * c]!;
      const c1 = hist[o + 2 * c + 1]!;
      if (c0 + c1 === 0) continue;
      code[g] = c;
      rate[c] = (w1 * c1) / (w0 * c0 + w1 * c1);
      g++;
    }
    if (g < 2) continue;
    const order = Array.from(code.subarray(0, g)).sort((a, b) => rate[a]! - rate[b]! || a - b);
    const prefix: number[] = [];
    let l0 = 0;
    let l1 = 0;
    let missingLeft = false;
    for (let k = 0; k < g - 1; k++) {
      const c = order[k]!;
      l0 += hist[o + 2 * c]!;
      l1 += hist[o + 2 * c + 1]!;
      if (c === 0) missingLeft = true;
      else prefix.push(c);
      const nl = l0 + l1;
      consider(f, l0, l1, missing === 0 ? nl >= n - nl : missingLeft, 0, prefix, missing);
    }
  }
  return best;
}
