/**
 * Worker-thread entry for fit-aside.ts: fits Gamma-Gamma on the arrays it was started with and posts back the fit,
 * or the message of the error the fit threw (as the same fit on the calling thread would have thrown it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitGammaGamma } from './gamma-gamma.js';

const { x, m } = workerData as { x: Float64Array; m: Float64Array };
try {
  parentPort?.postMessage({ fit: fitGammaGamma(x, m) });
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message });
}
