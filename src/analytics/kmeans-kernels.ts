/**
 * The inner loops of the k-means engine: one kernel per pass over a chunk of rows [lo, hi).
 *
 * Every pass (tolerance variances, k-means++ candidate scoring, the first full assignment, Hamerly steps, the
 * final labelling) is cut into fixed-size row chunks; a chunk writes only its own rows and its own slot of
 * `out`, and the driver merges slots in chunk order, so results are bit-identical whether chunks ran on the
 * main thread or on workers in any order.
 *
 * The kernels are generated as JavaScript source for the data's dimension d and the number of centres k,
 * and compiled with `new Function` (on the main thread and, from the same text, in each worker), so the
 * loops over coordinates, centres and k-means++ trials can be unrolled (kmeans-codegen.ts says why).
 */
import { snippets } from './kmeans-codegen.js';

/** Everything a kernel reads or writes; the arrays live on SharedArrayBuffers when workers are used. */
export interface KernelContext {
  data: Float64Array;
  n: number;
  d: number;
  k: number;
  chunkRows: number;
  /** Per-chunk output slot width: k*d sums, k counts, label changes, inertia. */
  outStride: number;
  labels: Int32Array;
  /** Hamerly upper bound (distance to own centre); k-means++ reuses it for the squared distance to the nearest seed. */
  upper: Float64Array;
  /** Hamerly lower bound (distance to the second-closest centre). */
  lower: Float64Array;
  centres: Float64Array;
  /** How far each centre moved in the last update, and the largest move among the other centres. */
  shift: Float64Array;
  shiftOther: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  half: Float64Array;
  /** k-means++ candidate centres, one row per local trial. */
  cand: Float64Array;
  /** [chosen trial, first seed (0/1), unused, final pass (0/1)] */
  params: Float64Array;
  out: Float64Array;
}

export type RunChunk = (ctx: KernelContext, op: number, chunk: number) => void;

export const OP_SEED_UPDATE = 1;
export const OP_SEED_TRIALS = 2;
export const OP_ASSIGN_FULL = 3;
export const OP_HAMERLY = 4;
/** Column sums, then squared deviations from ctx.centres[0..d) (the means): scikit-learn's tol scale. */
export const OP_COLUMN_SUMS = 5;
export const OP_SQUARED_DEVIATIONS = 6;

/** Number of k-means++ local trials per centre, as scikit-learn does it. */
export function localTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** Kernel source for dimension d and k centres: a function body returning runChunk(ctx, op, chunk). */
export function kernelSource(d: number, k: number): string {
  const { load, dist, add, scan } = snippets(d, k);
  const trials = Array.from({ length: localTrials(k) }, (_, t) => t);
  const ts = Array.from({ length: d }, (_, t) => t);
  const kd = k * d;
  return `'use strict';
function seedUpdate(ctx, lo, hi, o) {
  const data = ctx.data, cand = ctx.cand, closest = ctx.upper;
  const b = ctx.params[0] * ${d}, first = ctx.params[1] === 1;
  let total = 0, z = 0, s = 0;
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) {
    ${load}
    ${dist('cand', 'b', 's')}
    if (!first) { const c = closest[i]; if (c < s) s = c; }
    closest[i] = s;
    total += s;
  }
  ctx.out[o] = total;
}
function seedTrials(ctx, lo, hi, o) {
  const data = ctx.data, cand = ctx.cand, closest = ctx.upper;
  let z = 0, s = 0, ${trials.map((t) => `pot${t} = 0`).join(', ')};
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) {
    const c = closest[i];
    ${load}
    ${trials.map((t) => `${dist('cand', t * d, 's')} pot${t} += s < c ? s : c;`).join('\n')}
  }
  ${trials.map((t) => `ctx.out[o + ${t}] = pot${t};`).join(' ')}
}
function assignFull(ctx, lo, hi, o) {
  const data = ctx.data, centres = ctx.centres, out = ctx.out;
  const labels = ctx.labels, upper = ctx.upper, lower = ctx.lower;
  for (let j = 0; j < ctx.outStride; j++) out[o + j] = 0;
  let z = 0;
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) {
    ${load}
    ${scan}
    labels[i] = bj;
    upper[i] = Math.sqrt(best);
    lower[i] = Math.sqrt(second);
    const qb = o + bj * ${d};
    ${add('out', 'qb', '+')}
    out[o + ${kd} + bj] += 1;
  }
  out[o + ${kd + k}] = hi - lo;
}
// Hamerly step; bounds are first moved by the last centre shifts. A row whose upper bound stays below
// max(half distance to its centre's nearest other centre, lower bound) keeps its label untouched. out holds
// sum/count deltas of rows that moved. The final pass (params[3] = 1) computes every row's exact distance
// and sums the squared distances as inertia.
function hamerly(ctx, lo, hi, o) {
  const data = ctx.data, centres = ctx.centres, out = ctx.out;
  const labels = ctx.labels, upper = ctx.upper, lower = ctx.lower;
  const shift = ctx.shift, shiftOther = ctx.shiftOther, half = ctx.half, final = ctx.params[3] === 1;
  for (let j = 0; j < ctx.outStride; j++) out[o + j] = 0;
  let changes = 0, inertia = 0, z = 0, s = 0;
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) {
    const a = labels[i];
    let u = upper[i] + shift[a], l = lower[i] - shiftOther[a];
    const h = half[a], m = h > l ? h : l;
    if (u > m || final) {
      ${load}
      const qa = a * ${d};
      ${dist('centres', 'qa', 's')}
      u = Math.sqrt(s);
      if (u > m) {
        ${scan}
        s = best;
        u = Math.sqrt(best);
        l = Math.sqrt(second);
        if (bj !== a) {
          labels[i] = bj;
          changes++;
          const oa = o + a * ${d}, ob = o + bj * ${d};
          ${add('out', 'oa', '-')}
          ${add('out', 'ob', '+')}
          out[o + ${kd} + a] -= 1;
          out[o + ${kd} + bj] += 1;
        }
      }
      inertia += s;
    }
    upper[i] = u;
    lower[i] = l;
  }
  out[o + ${kd + k}] = changes;
  out[o + ${kd + k + 1}] = inertia;
}
${
  d <= 32
    ? `function columnSums(ctx, lo, hi, o) {
  const data = ctx.data;
  ${ts.map((t) => `let c${t} = 0;`).join(' ')}
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) {
    ${ts.map((t) => `c${t} += data[p + ${t}];`).join(' ')}
  }
  ${ts.map((t) => `ctx.out[o + ${t}] = c${t};`).join(' ')}
}
function squaredDeviations(ctx, lo, hi, o) {
  const data = ctx.data, mean = ctx.centres;
  let z = 0;
  ${ts.map((t) => `let c${t} = 0; const m${t} = mean[${t}];`).join(' ')}
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) {
    ${ts.map((t) => `z = data[p + ${t}] - m${t}; c${t} += z * z;`).join(' ')}
  }
  ${ts.map((t) => `ctx.out[o + ${t}] = c${t};`).join(' ')}
}`
    : `function columnSums(ctx, lo, hi, o) {
  const data = ctx.data, acc = new Float64Array(${d});
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) for (let t = 0; t < ${d}; t++) acc[t] += data[p + t];
  ctx.out.set(acc, o);
}
function squaredDeviations(ctx, lo, hi, o) {
  const data = ctx.data, mean = ctx.centres, acc = new Float64Array(${d});
  for (let i = lo, p = lo * ${d}; i < hi; i++, p += ${d}) {
    for (let t = 0; t < ${d}; t++) { const z = data[p + t] - mean[t]; acc[t] += z * z; }
  }
  ctx.out.set(acc, o);
}`
}
const kernels = [null, seedUpdate, seedTrials, assignFull, hamerly, columnSums, squaredDeviations];
return function runChunk(ctx, op, c) {
  const lo = c * ctx.chunkRows, hi = Math.min(ctx.n, lo + ctx.chunkRows);
  kernels[op](ctx, lo, hi, c * ctx.outStride);
};`;
}

const compiled = new Map<string, RunChunk>();

/** The compiled kernels for (d, k), cached per process. */
export function kernelsFor(d: number, k: number): RunChunk {
  const key = `${d}:${k}`;
  let run = compiled.get(key);
  if (!run) {
    run = new Function(kernelSource(d, k))() as RunChunk;
    compiled.set(key, run);
  }
  return run;
}
