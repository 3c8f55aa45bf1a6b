/**
 * The Gamma-Gamma fit, started on a worker thread so that it runs while the caller fits BG/NBD on its own thread.
 * The two fits are independent, pure JavaScript and single-threaded, and while they run DuckDB's threads sit idle:
 * side by side they take as long as the longer one instead of the sum (at 1M customers BG/NBD took 15.3 s and
 * Gamma-Gamma 8.6 s, one after the other). The worker runs the very same fit on copies of the same arrays, so the
 * result is the same to the last bit (a test compares them). An error the fit throws comes back as that error's
 * message; a worker that cannot start or dies falls back to fitting on the calling thread.
 *
 * Given BG/NBD's inputs, the worker then helps with BG/NBD's likelihood (bgnbd-helper.ts) until the caller stops the
 * helper: Gamma-Gamma is the shorter fit, and the second core would otherwise idle for the rest of BG/NBD's.
 */
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../../module-worker.js';
import { openLikelihoodHelper, type BgNbdInputs, type LikelihoodHelper } from './bgnbd-helper.js';
import type { FitResult } from './fit-common.js';
import { fitGammaGamma, type GammaGammaParams } from './gamma-gamma.js';

export interface AsideFit<P> {
  /** The fit's result: from the worker, or fitted here and now when there is none. */
  result(): Promise<FitResult<P>>;
  /** Stops the worker when the result is no longer wanted. */
  cancel(): void;
  /** After result(): whether the worker fitted it (false when there was none, or it failed to start or died). */
  fromWorker(): boolean;
  /** BG/NBD's likelihood helper served by the worker, when BG/NBD's inputs were given and there is a worker. */
  helper?: LikelihoodHelper;
}

type Reply = { fit: FitResult<GammaGammaParams> } | { error: string };

/**
 * With `inWorker` false nothing starts until result() is called, which then fits on the calling thread. `bgnbd`:
 * BG/NBD's inputs, for the helper.
 */
export function fitGammaGammaAside(x: Float64Array, m: Float64Array, inWorker: boolean, bgnbd?: BgNbdInputs): AsideFit<GammaGammaParams> {
  const here = async (): Promise<FitResult<GammaGammaParams>> => fitGammaGamma(x, m);
  if (!inWorker) return { result: here, cancel: () => {}, fromWorker: () => false };
  let worker: Worker | undefined;
  let fromWorker = false;
  const helping = bgnbd ? openLikelihoodHelper(bgnbd) : undefined;
  const outcome = new Promise<Reply | undefined>((resolve) => {
    try {
      worker = spawnModuleWorker(import.meta.url, './fit-worker', { workerData: { x, m, bgnbd: helping?.port } });
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (reply: Reply) => resolve(reply));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return {
    helper: helping?.helper,
    async result() {
      const reply = await outcome;
      helping?.helper.stop();
      void worker?.terminate();
      if (reply === undefined) return here();
      fromWorker = true;
      if ('error' in reply) throw new Error(reply.error);
      return reply.fit;
    },
    cancel() {
      helping?.helper.stop();
      void worker?.terminate();
    },
    fromWorker: () => fromWorker,
  };
}
