// Reference fit on the public CDNOW sample (2,357 customers, weeks; see test/fixtures/cdnow/README.md): lifetimes
// publishes BG/NBD r=0.2426, alpha=4.4136, a=0.7929, b=2.4259 (log-likelihood ≈ −9582.43) and, on the 946 repeat
// buyers, Gamma-Gamma p=6.2490, q=3.7443, v=15.4472. We must reproduce them to 3 significant figures (relative error
// < 5e-4) and the log-likelihood to 0.01.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bgnbdLogLik, fitBgNbd } from '../../../src/analytics/clv/bgnbd.js';
import { fitGammaGamma } from '../../../src/analytics/clv/gamma-gamma.js';

function loadCdnow() {
  const text = readFileSync(new URL('../../fixtures/cdnow/cdnow_summary.csv', import.meta.url), 'utf8');
  const rows = text.trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
  const col = (k: number) => Float64Array.from(rows, (r) => r[k] as number);
  return { x: col(1), tx: col(2), T: col(3), m: col(4) };
}

const expectSigFigs = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThan(5e-4);

describe('CDNOW reference fit', () => {
  const d = loadCdnow();

  it('has the published shape', () => {
    expect(d.x.length).toBe(2357);
    expect(d.x.filter((v) => v > 0).length).toBe(946);
    expect(d.x.reduce((a, b) => a + b, 0)).toBe(2457);
  });

  it('BG/NBD reproduces the lifetimes parameters and log-likelihood', () => {
    const fit = fitBgNbd(d.x, d.tx, d.T);
    expect(fit.converged).toBe(true);
    expectSigFigs(fit.params.r, 0.2426);
    expectSigFigs(fit.params.alpha, 4.4136);
    expectSigFigs(fit.params.a, 0.7929);
    expectSigFigs(fit.params.b, 2.4259);
    expect(Math.abs(fit.logLik - -9582.43)).toBeLessThan(0.01);
    expect(Math.abs(bgnbdLogLik(fit.params, d.x, d.tx, d.T) - -9582.43)).toBeLessThan(0.01);
    // Customers sharing (x, tx, T) collapse into weighted rows.
    expect(fit.rows).toBeLessThan(1100);
  });

  it('Gamma-Gamma reproduces the lifetimes parameters on the repeat buyers', () => {
    const fit = fitGammaGamma(d.x, d.m);
    expect(fit.converged).toBe(true);
    expectSigFigs(fit.params.p, 6.249);
    expectSigFigs(fit.params.q, 3.7443);
    expectSigFigs(fit.params.v, 15.4472);
  });
});
