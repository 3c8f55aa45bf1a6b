/**
 * Greedy k-means++ seeding, the variant scikit-learn uses: the first centre is a uniformly drawn row; each
 * next centre is the best (lowest resulting potential) of 2 + floor(ln k) rows drawn with probability
 * proportional to their squared distance to the nearest centre so far. The greedy trials make a bad seed
 * much rarer than plain k-means++, which is what lets a single restart match scikit-learn's inertia.
 *
 * Sampling walks the per-chunk potentials first and scans rows only inside the chunk that holds the draw,
 * so no n-long cumulative-sum array is built.
 */
import { localTrials, OP_SEED_TRIALS, OP_SEED_UPDATE } from './kmeans-kernels.js';
import type { Engine } from './kmeans-engine.js';
import type { Rng } from './random.js';

/** First row whose running sum of squared distances reaches r (numpy's searchsorted, side='left'). */
function drawRow(engine: Engine, r: number): number {
  const { ctx, nChunks } = engine;
  const closest = ctx.upper;
  let acc = 0;
  for (let c = 0; c < nChunks; c++) {
    const total = ctx.out[c * ctx.outStride]!;
    if (acc + total >= r) {
      const hi = Math.min(ctx.n, (c + 1) * ctx.chunkRows);
      for (let i = c * ctx.chunkRows; i < hi; i++) {
        acc += closest[i]!;
        if (acc >= r) return i;
      }
    } else acc += total;
  }
  return ctx.n - 1;
}

/** Writes k seeds into engine.ctx.centres. */
export function seedPlusPlus(engine: Engine, rng: Rng): void {
  const { ctx } = engine;
  const { data, d, k, cand, centres, params } = ctx;
  const nTrials = localTrials(k);
  const first = rng.int(ctx.n);
  cand.set(data.subarray(first * d, first * d + d), 0);
  centres.set(cand.subarray(0, d), 0);
  params[0] = 0;
  params[1] = 1;
  engine.run(OP_SEED_UPDATE);
  let potential = engine.sumOut(0);
  params[1] = 0;
  for (let c = 1; c < k; c++) {
    for (let t = 0; t < nTrials; t++) {
      const row = drawRow(engine, rng.next() * potential);
      cand.set(data.subarray(row * d, row * d + d), t * d);
    }
    engine.run(OP_SEED_TRIALS);
    let best = 0;
    let bestPot = Infinity;
    for (let t = 0; t < nTrials; t++) {
      const pot = engine.sumOut(t);
      if (pot < bestPot) {
        bestPot = pot;
        best = t;
      }
    }
    centres.set(cand.subarray(best * d, best * d + d), c * d);
    if (c === k - 1) break;
    params[0] = best;
    engine.run(OP_SEED_UPDATE);
    potential = engine.sumOut(0);
  }
}
