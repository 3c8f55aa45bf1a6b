/**
 * Runs k-means chunk passes (and the sampled silhouette's, silhouette.ts) on the main thread plus optional worker
 * threads sharing memory.
 *
 * Workers are inline (`eval: true`) scripts built from the kernels' own source text, so the same code runs
 * under tsx/vitest (TypeScript sources) and from dist/ (compiled JS) without resolving a worker file. The
 * pool is created once per process, unref'd (it never keeps the process alive), and reused by every fit.
 *
 * Synchronisation is one shared Int32Array: the driver resets the chunk counter, opens a numbered job and
 * posts it to each worker; every thread (the main one too) claims chunks with Atomics.add until none are
 * left; the main thread closes the job and blocks in Atomics.wait only for workers still inside it. A worker
 * registers (ACTIVE += 1) before checking that its job is still open, so one that the OS scheduled late
 * simply finds the job closed and the main thread never waits for it: on a loaded machine the fit degrades
 * to single-threaded speed instead of stalling. Blocking is fine: a fit is synchronous and workers never
 * need the main event loop. Worker errors come back over a MessageChannel read with receiveMessageOnPort.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { kernelSource, kernelsFor, type KernelContext } from './kmeans-kernels.js';

/** Runs one chunk of a job: the k-means kernels' shape, over any context. */
export type PoolChunk<C> = (ctx: C, op: number, chunk: number) => void;

/** A kernel the pool can run besides k-means': its source (a function body returning the runner) and the runner. */
export interface PoolKernel<C> {
  source: string;
  runChunk: PoolChunk<C>;
}

const NEXT = 0, ACTIVE = 1, FAILED = 2, JOB = 3, WORKER_CHUNKS = 4, READY = 5;
const STALL_MS = 120_000;

// Kernels arrive as source with each bound context (they are generated per d and k).
const WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
let ctx = null, ctl = null, errors = null, src = '', runChunk = null;
parentPort.on('message', (m) => {
  if (m.setup) { ctl = m.ctl; errors = m.errors; Atomics.add(ctl, ${READY}, 1); Atomics.notify(ctl, ${READY}); return; }
  if (m.bind !== undefined) {
    ctx = m.bind;
    if (m.src && m.src !== src) { src = m.src; runChunk = new Function(src)(); }
    return;
  }
  Atomics.add(ctl, ${ACTIVE}, 1);
  if (Atomics.load(ctl, ${JOB}) === m.job) {
    try {
      for (;;) { const c = Atomics.add(ctl, ${NEXT}, 1); if (c >= m.nChunks) break; runChunk(ctx, m.op, c); Atomics.add(ctl, ${WORKER_CHUNKS}, 1); }
    } catch (e) {
      Atomics.store(ctl, ${FAILED}, 1);
      errors.postMessage(String((e && e.stack) || e));
    }
  }
  Atomics.sub(ctl, ${ACTIVE}, 1);
  Atomics.notify(ctl, ${ACTIVE});
});
`;

class Pool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(32));
  private readonly errors: MessagePort[] = [];
  private bound: object | null = null;
  private runChunk: PoolChunk<object> | null = null;
  private job = 0;

  constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      const { port1, port2 } = new MessageChannel();
      port1.unref();
      this.errors.push(port1);
      w.postMessage({ setup: true, ctl: this.ctl, errors: port2 }, [port2]);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Chunks processed by workers so far (wraps at 2³¹; for tests and diagnostics). */
  get workerChunks(): number {
    return Atomics.load(this.ctl, WORKER_CHUNKS);
  }

  /** Blocks until every worker has booted (or the timeout passes); for tests that need workers to take part. */
  waitUntilReady(timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    for (let r = Atomics.load(this.ctl, READY); r < this.workers.length; r = Atomics.load(this.ctl, READY)) {
      if (Date.now() > deadline) return false;
      Atomics.wait(this.ctl, READY, r, 100);
    }
    return true;
  }

  /** Runs op over all chunks of a k-means fit's ctx, using `helpers` workers besides the main thread. */
  run(ctx: KernelContext, op: number, nChunks: number, helpers: number): void {
    if (this.bound !== ctx) this.bind(ctx, kernelSource(ctx.d, ctx.k), kernelsFor(ctx.d, ctx.k) as PoolChunk<object>);
    this.runBound(op, nChunks, helpers);
  }

  /**
   * Runs op over all chunks of another kernel's ctx (the silhouette's, say): `kernel.source` is the body of a
   * function returning the chunk runner, and `kernel.runChunk` that runner compiled on this thread. The typed arrays a
   * chunk writes must live on SharedArrayBuffers; the others are copied to the workers once per ctx.
   */
  runKernel<C extends object>(ctx: C, kernel: PoolKernel<C>, op: number, nChunks: number, helpers: number): void {
    if (this.bound !== ctx) this.bind(ctx, kernel.source, kernel.runChunk as PoolChunk<object>);
    this.runBound(op, nChunks, helpers);
  }

  private bind(ctx: object, src: string, runChunk: PoolChunk<object>): void {
    for (const w of this.workers) w.postMessage({ bind: ctx, src });
    this.bound = ctx;
    this.runChunk = runChunk;
  }

  private runBound(op: number, nChunks: number, helpers: number): void {
    const used = this.workers.slice(0, Math.min(helpers, this.workers.length));
    const ctx = this.bound!;
    const runChunk = this.runChunk!;
    const job = (this.job = (this.job % 0x3fffffff) + 1);
    Atomics.store(this.ctl, NEXT, 0);
    Atomics.store(this.ctl, JOB, job);
    for (const w of used) w.postMessage({ op, nChunks, job });
    for (;;) {
      const c = Atomics.add(this.ctl, NEXT, 1);
      if (c >= nChunks) break;
      runChunk(ctx, op, c);
    }
    Atomics.store(this.ctl, JOB, 0);
    // A chunk takes milliseconds; a worker silent this long has died (e.g. out of memory) mid-chunk.
    const deadline = Date.now() + STALL_MS;
    for (let a = Atomics.load(this.ctl, ACTIVE); a !== 0; a = Atomics.load(this.ctl, ACTIVE)) {
      if (Date.now() > deadline) throw new Error('a worker of the k-means pool stopped responding');
      Atomics.wait(this.ctl, ACTIVE, a, 1000);
    }
    if (Atomics.load(this.ctl, FAILED) !== 0) {
      const msgs = this.errors.map((p) => receiveMessageOnPort(p)?.message as string | undefined);
      Atomics.store(this.ctl, FAILED, 0);
      throw new Error(`a worker of the k-means pool failed: ${msgs.find((m) => m !== undefined) ?? 'unknown error'}`);
    }
  }

  /** Drops the workers' references to a finished fit so its buffers can be collected. */
  release(ctx: object): void {
    if (this.bound !== ctx) return;
    for (const w of this.workers) w.postMessage({ bind: null });
    this.bound = null;
  }
}

let pool: Pool | null | undefined;

/** The shared pool (created on first use with one worker per extra core), or null when workers are unavailable. */
export function getPool(): Pool | null {
  if (pool !== undefined) return pool;
  const count = Math.min(7, availableParallelism() - 1);
  try {
    const workers: Worker[] = [];
    for (let i = 0; i < count; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
      w.unref();
      workers.push(w);
    }
    pool = workers.length > 0 ? new Pool(workers) : null;
  } catch {
    pool = null;
  }
  return pool;
}

export type { Pool };
