/**
 * Worker-thread entry for fit-aside.ts: fits Gamma-Gamma on the arrays it was started with and posts back the fit,
 * or the message of the error the fit threw (as the same fit on the calling thread would have thrown it). Then, when
 * it was given a BG/NBD helper port, it sums half of BG/NBD's likelihood for the calling thread until told to stop
 * (bgnbd-helper.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitGammaGamma } from './gamma-gamma.js';
import { serveLikelihoodParts, type HelperPort } from './bgnbd-helper.js';

const { x, m, bgnbd } = workerData as { x: Float64Array; m: Float64Array; bgnbd?: HelperPort };
try {
  parentPort?.postMessage({ fit: fitGammaGamma(x, m) });
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message });
}
if (bgnbd) serveLikelihoodParts(bgnbd);
