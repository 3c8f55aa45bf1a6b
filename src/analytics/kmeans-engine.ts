/**
 * Working state of one k-means fit (bounds, labels, centres, per-chunk outputs) and the executor that runs a
 * kernel over every chunk, on the main thread alone or with the worker pool.
 *
 * Chunk size is a constant, never derived from the thread count, so summation order (and thus every bit of
 * the result) does not depend on how many threads ran. Buffers are SharedArrayBuffers only when workers are
 * used; the caller's data is copied into shared memory unless it already lives there.
 */
import { availableParallelism } from 'node:os';
import { kernelsFor, localTrials, type KernelContext } from './kmeans-kernels.js';
import { getPool, type Pool } from './kmeans-pool.js';

const CHUNK_ROWS = 8192;
/** Below this many multiply-adds per pass (n*k*d) thread hand-offs cost more than they save. */
const THREAD_MIN_WORK = 5e6;

export interface Engine {
  ctx: KernelContext;
  nChunks: number;
  run(op: number): void;
  /** Sums column `col` of every chunk's output slot, in chunk order. */
  sumOut(col: number): number;
  release(): void;
}

/** A zeroed n*d matrix on shared memory, so a fit using worker threads need not copy it. */
export function createSharedMatrix(n: number, d: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * d * 8));
}

function threadsFor(requested: number | undefined, work: number): number {
  const max = Math.max(1, Math.floor(requested ?? availableParallelism()));
  return work >= THREAD_MIN_WORK ? max : 1;
}

export function createEngine(data: Float64Array, n: number, d: number, k: number, threads?: number): Engine {
  const want = threadsFor(threads, n * k * d);
  const pool: Pool | null = want > 1 ? getPool() : null;
  const helpers = pool ? Math.min(want - 1, pool.size) : 0;
  const shared = helpers > 0;
  const f64 = (len: number): Float64Array =>
    shared ? new Float64Array(new SharedArrayBuffer(len * 8)) : new Float64Array(len);
  const nChunks = Math.max(1, Math.ceil(n / CHUNK_ROWS));
  const outStride = k * d + k + 2;
  let matrix = data.subarray(0, n * d);
  if (shared && !(matrix.buffer instanceof SharedArrayBuffer)) {
    const copy = f64(n * d);
    copy.set(matrix);
    matrix = copy;
  }
  const ctx: KernelContext = {
    data: matrix,
    n,
    d,
    k,
    chunkRows: CHUNK_ROWS,
    outStride,
    labels: shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n),
    upper: f64(n),
    lower: f64(n),
    centres: f64(k * d),
    shift: f64(k),
    shiftOther: f64(k),
    half: f64(k),
    cand: f64(localTrials(k) * d),
    params: f64(4),
    out: f64(nChunks * outStride),
  };
  const runChunk = kernelsFor(d, k);
  return {
    ctx,
    nChunks,
    run(op) {
      if (pool && helpers > 0) pool.run(ctx, op, nChunks, helpers);
      else for (let c = 0; c < nChunks; c++) runChunk(ctx, op, c);
    },
    sumOut(col) {
      let s = 0;
      for (let c = 0; c < nChunks; c++) s += ctx.out[c * outStride + col]!;
      return s;
    },
    release() {
      pool?.release(ctx);
    },
  };
}
