/**
 * Runs the blocks of a generation either on the calling thread or on a small pool of worker threads, and
 * hands finished blocks to `consume` strictly in index order (a block that finishes early waits), so the
 * output bytes are the same for any number of workers. At most two blocks per worker are unconsumed at any
 * time, which bounds memory however many persons are generated.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../module-worker.js';
import { generateBlock } from './block.js';
import type { GenContext } from './context.js';
import type { BlockAgg } from './truth-agg.js';

export interface WorkerOptions {
  customers: number;
  seed: number;
  days: number;
  endDate?: string;
  blockSize: number;
}

export interface BlockRequest {
  index: number;
}

export interface EncodedBlock {
  index: number;
  /** Encoded bytes per file id (each with its own ArrayBuffer, so it can be transferred). */
  chunks: Uint8Array[];
  rows: Int32Array;
  duplicates: Int32Array;
  rejects: Int32Array;
  agg: BlockAgg;
}

export function encodeBlock(ctx: GenContext, index: number, blockSize: number): EncodedBlock {
  const from = index * blockSize;
  const { sink, agg } = generateBlock(ctx, from, Math.min(ctx.customers, from + blockSize));
  return { index, chunks: sink.finish(), rows: sink.rows, duplicates: sink.duplicates, rejects: sink.rejects, agg };
}

function spawn(data: WorkerOptions): Worker {
  // A larger young generation: a block's short-lived strings then die in scavenges instead of being promoted.
  return spawnModuleWorker(import.meta.url, './worker', { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
}

export async function runBlocks(
  opts: Omit<WorkerOptions, 'blockSize'>,
  ctx: GenContext,
  nBlocks: number,
  blockSize: number,
  workers: number | undefined,
  consume: (block: EncodedBlock, index: number) => void,
): Promise<void> {
  const n = Math.min(workers ?? Math.min(2, availableParallelism()), nBlocks > 2 ? nBlocks : 0);
  if (n <= 0) {
    for (let i = 0; i < nBlocks; i++) consume(encodeBlock(ctx, i, blockSize), i);
    return;
  }
  const data: WorkerOptions = { customers: opts.customers, seed: opts.seed, days: opts.days, endDate: opts.endDate, blockSize };
  const pool = Array.from({ length: n }, () => spawn(data));
  const done = new Map<number, EncodedBlock>();
  const outstanding = new Map<Worker, number>(pool.map((w) => [w, 0]));
  const window = 2 * n;
  let next = 0;
  let consumed = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      // Hand out blocks while fewer than `window` are unconsumed, so a slow block cannot make the finished
      // blocks queued behind it grow without bound.
      const feed = (): void => {
        for (const w of pool) {
          while (next < nBlocks && next - consumed < window && (outstanding.get(w) ?? 0) < 2) {
            w.postMessage({ index: next++ } satisfies BlockRequest);
            outstanding.set(w, (outstanding.get(w) ?? 0) + 1);
          }
        }
      };
      for (const w of pool) {
        w.on('error', reject);
        w.on('exit', (code) => {
          if (consumed < nBlocks) reject(new Error(`generator worker exited early (code ${code})`));
        });
        w.on('message', (block: EncodedBlock) => {
          outstanding.set(w, (outstanding.get(w) ?? 1) - 1);
          done.set(block.index, block);
          try {
            for (let b = done.get(consumed); b; b = done.get(consumed)) {
              done.delete(consumed);
              consume(b, consumed++);
            }
          } catch (err) {
            reject(err);
            return;
          }
          if (consumed === nBlocks) resolve();
          else feed();
        });
      }
      feed();
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
