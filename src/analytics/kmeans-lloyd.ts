/**
 * Lloyd iterations accelerated with Hamerly's bounds, from the seeds in engine.ctx.centres.
 *
 * Same stopping rule as scikit-learn's Lloyd: stop when no label changed since the previous iteration
 * (strict convergence) or when the total squared centre shift falls to `tolAbs`; then, unless strictly
 * converged, one more assignment so labels and inertia are exactly those of the returned centres.
 *
 * Cluster sums are kept incrementally (each step only adds the rows that changed cluster), so a step costs
 * a bound check per row plus distances for the few rows near a boundary. An emptied cluster is re-seeded
 * at the row farthest from its centre (taken from a cluster that keeps at least one row).
 */
import { OP_ASSIGN_FULL, OP_HAMERLY, type KernelContext } from './kmeans-kernels.js';
import type { Engine } from './kmeans-engine.js';

export interface LloydResult {
  nIter: number;
  inertia: number;
}

/** Moves the farthest rows into empty clusters; returns how many rows moved. */
function repairEmpty(ctx: KernelContext, sums: Float64Array, counts: Float64Array): number {
  const { data, n, d, k, labels, centres } = ctx;
  let moved = 0;
  let dist: Float64Array | null = null;
  for (let j = 0; j < k; j++) {
    if (counts[j] !== 0) continue;
    if (!dist) {
      dist = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = labels[i]!;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const z = data[i * d + t]! - centres[a * d + t]!;
          s += z * z;
        }
        dist[i] = s;
      }
    }
    let far = -1;
    for (let i = 0; i < n; i++) {
      if (counts[labels[i]!]! > 1 && (far < 0 || dist[i]! > dist[far]!)) far = i;
    }
    if (far < 0) break;
    const a = labels[far]!;
    for (let t = 0; t < d; t++) {
      const x = data[far * d + t]!;
      sums[a * d + t]! -= x;
      sums[j * d + t] = x;
    }
    counts[a]! -= 1;
    counts[j] = 1;
    labels[far] = j;
    ctx.upper[far] = Infinity;
    ctx.lower[far] = 0;
    dist[far] = -1;
    moved++;
  }
  return moved;
}

/** New centres from the sums; records each centre's shift and the half-distances Hamerly's test needs. */
function moveCentres(ctx: KernelContext, sums: Float64Array, counts: Float64Array, next: Float64Array): number {
  const { d, k, centres, shift, shiftOther, half } = ctx;
  let total = 0, top = 0, second = 0, topJ = -1;
  for (let j = 0; j < k; j++) {
    const c = counts[j]!;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = c > 0 ? sums[j * d + t]! / c : centres[j * d + t]!;
      const z = v - centres[j * d + t]!;
      next[j * d + t] = v;
      s += z * z;
    }
    total += s;
    const p = Math.sqrt(s);
    shift[j] = p;
    if (p > top) {
      second = top;
      top = p;
      topJ = j;
    } else if (p > second) second = p;
  }
  for (let j = 0; j < k; j++) shiftOther[j] = j === topJ ? second : top;
  for (let j = 0; j < k; j++) {
    let m = Infinity;
    for (let i = 0; i < k; i++) {
      if (i === j) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const z = next[j * d + t]! - next[i * d + t]!;
        s += z * z;
      }
      if (s < m) m = s;
    }
    half[j] = 0.5 * Math.sqrt(m);
  }
  centres.set(next);
  return total;
}

export function runLloyd(engine: Engine, maxIter: number, tolAbs: number): LloydResult {
  const { ctx, nChunks } = engine;
  const { d, k, out, outStride, params } = ctx;
  const kd = k * d;
  const sums = new Float64Array(kd);
  const counts = new Float64Array(k);
  const next = new Float64Array(kd);
  params[3] = 0;
  ctx.shift.fill(0);
  ctx.shiftOther.fill(0);
  let nIter = 0;
  let strict = false;
  for (let iter = 0; iter < maxIter; iter++) {
    engine.run(iter === 0 ? OP_ASSIGN_FULL : OP_HAMERLY);
    if (iter === 0) {
      sums.fill(0);
      counts.fill(0);
    }
    let changes = 0;
    for (let c = 0; c < nChunks; c++) {
      const o = c * outStride;
      for (let j = 0; j < kd; j++) sums[j]! += out[o + j]!;
      for (let j = 0; j < k; j++) counts[j]! += out[o + kd + j]!;
      changes += out[o + kd + k]!;
    }
    changes += repairEmpty(ctx, sums, counts);
    nIter = iter + 1;
    if (iter > 0 && changes === 0) {
      strict = true;
      break;
    }
    if (moveCentres(ctx, sums, counts, next) <= tolAbs) break;
  }
  if (strict) {
    ctx.shift.fill(0);
    ctx.shiftOther.fill(0);
  }
  params[3] = 1;
  engine.run(OP_HAMERLY);
  params[3] = 0;
  return { nIter, inertia: engine.sumOut(kd + k + 1) };
}
