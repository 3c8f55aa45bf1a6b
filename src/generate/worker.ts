/**
 * Worker-thread entry: rebuilds the run context from the options (cheap and deterministic), then turns each
 * requested block index into encoded bytes per file and posts them back with their buffers transferred, so
 * the main thread only appends bytes in block order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { contextFor } from './index.js';
import { encodeBlock, type BlockRequest, type WorkerOptions } from './pool.js';

const opts = workerData as WorkerOptions;
const ctx = contextFor(opts);
parentPort?.on('message', (req: BlockRequest) => {
  const block = encodeBlock(ctx, req.index, opts.blockSize);
  parentPort?.postMessage(block, block.chunks.map((c) => c.buffer as ArrayBuffer));
});
