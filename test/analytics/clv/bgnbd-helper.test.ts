// BG/NBD's likelihood summed on two threads (bgnbd-helper.ts, served by Gamma-Gamma's worker once its fit is done) must
// be the one-thread sum to the last bit, so that the thread count never changes a fit; the parts must add up to the
// literal formula; and a fit must not run with a helper opened on other data.
import { describe, expect, it } from 'vitest';
import { bgnbdLogLik, fitBgNbd } from '../../../src/analytics/clv/bgnbd.js';
import { openLikelihoodHelper, type LikelihoodHelper } from '../../../src/analytics/clv/bgnbd-helper.js';
import { compressBgNbdRows, partSummer } from '../../../src/analytics/clv/bgnbd-parts.js';
import { fitGammaGammaAside } from '../../../src/analytics/clv/fit-aside.js';
import { fitGammaGamma } from '../../../src/analytics/clv/gamma-gamma.js';
import { simulateCustomers } from '../../../src/analytics/clv/simulate.js';

const s = simulateCustomers({ n: 20_000, seed: 23, bgnbd: { r: 0.5, alpha: 5, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 }, resolution: 1 / 7 });
const inputs = { x: s.x, tx: s.tx, T: s.T };

async function whenReady(helper: LikelihoodHelper): Promise<void> {
  const deadline = Date.now() + 50_000;
  while (!helper.ready()) {
    if (Date.now() > deadline) throw new Error('the helper worker did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const logParams = (r: number, alpha: number, a: number, b: number): Float64Array => Float64Array.from([r, alpha, a, b].map(Math.log));

describe('the BG/NBD likelihood in two parts', () => {
  it('adds up to the literal per-customer formula', () => {
    const summer = partSummer(compressBgNbdRows(s.x, s.tx, s.T));
    for (const p of [{ r: 0.5, alpha: 5, a: 0.8, b: 2.5 }, { r: 2, alpha: 0.7, a: 40, b: 900 }]) {
      const lp = logParams(p.r, p.alpha, p.a, p.b);
      const parts = summer(lp, 0) + summer(lp, 1);
      expect(Math.abs(parts - bgnbdLogLik(p, s.x, s.tx, s.T))).toBeLessThan(1e-8 * s.x.length);
    }
  });

  it('sums part 1 on the worker with exactly the bits of the calling thread, after the worker fitted Gamma-Gamma', async () => {
    const aside = fitGammaGammaAside(s.x, s.m, true, inputs);
    const helper = aside.helper!;
    try {
      await whenReady(helper);
      const summer = partSummer(compressBgNbdRows(s.x, s.tx, s.T));
      for (const [i, lp] of [logParams(0.5, 5, 0.8, 2.5), logParams(0.1, 30, 3, 0.2), logParams(7, 0.01, 1e4, 1e7)].entries()) {
        expect(helper.sum(lp, summer)).toBe(summer(lp, 0) + summer(lp, 1));
        expect(helper.workerSums()).toBe(i + 1);
      }
    } finally {
      helper.stop();
    }
    expect(helper.ready()).toBe(false);
    expect(await aside.result()).toStrictEqual(fitGammaGamma(s.x, s.m));
    expect(aside.fromWorker()).toBe(true);
    // Stopped, the helper sums alone, to the same bits.
    const summer = partSummer(compressBgNbdRows(s.x, s.tx, s.T));
    const lp = logParams(0.5, 5, 0.8, 2.5);
    expect(helper.sum(lp, summer)).toBe(summer(lp, 0) + summer(lp, 1));
    expect(helper.workerSums()).toBe(3);
  }, 60_000);

  it('gives a fit equal to the one-thread fit, with the worker taking part', async () => {
    const aside = fitGammaGammaAside(s.x, s.m, true, inputs);
    const helper = aside.helper!;
    let two;
    try {
      await whenReady(helper);
      two = fitBgNbd(s.x, s.tx, s.T, { horizon: 52, helper });
      // Every likelihood the fit asked for (its count leaves out the standard errors' numerical Hessian) had its part 1 from the worker.
      expect(helper.workerSums()).toBeGreaterThanOrEqual(two.evaluations);
    } finally {
      aside.cancel();
    }
    const one = fitBgNbd(s.x, s.tx, s.T, { horizon: 52 });
    expect(one.converged).toBe(true);
    expect(two).toStrictEqual(one);
  }, 60_000);

  it('refuses a helper opened on other arrays', () => {
    const { helper } = openLikelihoodHelper(inputs);
    expect(() => fitBgNbd(s.x, s.tx, s.T.slice(), { helper })).toThrow(/other arrays/);
  });
});
