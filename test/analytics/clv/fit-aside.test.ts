// The Gamma-Gamma fit on a worker thread (fit-aside.ts) must be the fit on the calling thread, to the last bit, and
// must fail the way it does: the value stage publishes whichever it gets.
import { describe, expect, it } from 'vitest';
import { fitGammaGammaAside } from '../../../src/analytics/clv/fit-aside.js';
import { fitGammaGamma } from '../../../src/analytics/clv/gamma-gamma.js';
import { simulateCustomers } from '../../../src/analytics/clv/simulate.js';

const s = simulateCustomers({ n: 3000, seed: 11, bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 }, minAge: 26, maxAge: 78 });

describe('Gamma-Gamma fitted aside', () => {
  it('on a worker gives exactly the fit made on the calling thread', async () => {
    const aside = fitGammaGammaAside(s.x, s.m, true);
    const fromWorker = await aside.result();
    expect(aside.fromWorker()).toBe(true);
    const here = fitGammaGamma(s.x, s.m);
    expect(here.converged).toBe(true);
    expect(fromWorker).toStrictEqual(here);
  }, 60_000);

  it('without a worker fits on the calling thread, when asked', async () => {
    const aside = fitGammaGammaAside(s.x, s.m, false);
    expect(await aside.result()).toStrictEqual(fitGammaGamma(s.x, s.m));
    expect(aside.fromWorker()).toBe(false);
  });

  it('on a worker fails with the message the fit throws', async () => {
    const m = s.m.slice();
    const repeat = s.x.findIndex((x) => x > 0);
    m[repeat] = 0;
    let thrown = '';
    try {
      fitGammaGamma(s.x, m);
    } catch (error) {
      thrown = (error as Error).message;
    }
    expect(thrown).toMatch(/monetary value must be > 0/);
    const aside = fitGammaGammaAside(s.x, m, true);
    await expect(aside.result()).rejects.toThrow(thrown);
    expect(aside.fromWorker()).toBe(true);
  }, 60_000);
});
