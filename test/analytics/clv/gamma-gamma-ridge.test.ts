// Gamma-Gamma on its p → ∞ ridge, on spend shaped like the demo's archetypes: a third of customers spend ~150 a
// transaction and have 1–4 repeats, the others spend ~8 or ~800 and have 10–19 repeats. Means of many transactions
// then vary *more* across customers than means of few, the opposite of what within-customer variation does, so the
// likelihood is maximised only in the limit p → ∞, v → 0 with p·v = c: no within-customer variation, and each
// customer's mean m distributed as an inverse-gamma, density c^q m^(−q−1) e^(−c/m) / Γ(q). The fit must run along the
// ridge to the box edge, recognise that the likelihood has flattened out there, name p and v weakly identified,
// evaluate the log-likelihood without the cancellation the literal form suffers at p ~ e^20 (it must equal the limit
// density's, and be that model's maximum), and predict each repeat buyer's spend as their own mean.
import { describe, expect, it } from 'vitest';
import { fitGammaGamma, gammaGammaExpectedSpend } from '../../../src/analytics/clv/gamma-gamma.js';
import { lgamma } from '../../../src/analytics/clv/special-functions.js';
import { createRng, deriveSeed } from '../../../src/analytics/random.js';

const n = 1500;
const x = new Float64Array(n);
const m = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const rng = createRng(deriveSeed(31, i));
  const k = i % 3;
  x[i] = k === 0 ? 1 + rng.int(4) : 10 + rng.int(10);
  m[i] = (k === 0 ? 150 : k === 1 ? 8 : 800) * rng.gamma(25, 1 / 25);
}
/** Log-likelihood of the p → ∞ limit: m ~ inverse-gamma(shape q, scale c). */
const limitLogLik = (qq: number, cc: number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += qq * Math.log(cc) - lgamma(qq) - (qq + 1) * Math.log(m[i] as number) - cc / (m[i] as number);
  return s;
};

describe('Gamma-Gamma when spend does not vary within a customer', () => {
  const fit = fitGammaGamma(x, m);
  const cHat = fit.params.p * fit.params.v;

  it('converges on the ridge with p and v weakly identified, q identified and below 1', () => {
    expect(fit.diagnostics).toEqual([]);
    expect(fit.weaklyIdentified).toEqual(['p', 'v']);
    expect(fit.notes.join(' ')).toMatch(/supremum is a limit/);
    expect(fit.params.p).toBeGreaterThan(Math.exp(18));
    expect(fit.stdErrors?.p).toBeNaN();
    expect((fit.stdErrors?.q ?? 0) / fit.params.q).toBeLessThan(0.05);
    expect(fit.params.q).toBeLessThan(1);
  });

  it('evaluates the log-likelihood of the limit model there, at its maximum', () => {
    // O(1/p) from the limit; the literal formula's rounding alone would be ~1e-3 here.
    expect(Math.abs(fit.logLik - limitLogLik(fit.params.q, cHat))).toBeLessThan(1e-4);
    // No nearby (q, c) does better under the limit model: the ridge point is its maximum likelihood estimate.
    for (const [dq, dc] of [[0.01, 0], [-0.01, 0], [0, 0.01], [0, -0.01], [0.01, 0.01], [-0.01, -0.01]] as const) {
      expect(limitLogLik(fit.params.q + dq, cHat * (1 + dc))).toBeLessThan(fit.logLik);
    }
  });

  it("predicts each repeat buyer's spend as their own mean, and none for a customer without repeats", () => {
    const e = gammaGammaExpectedSpend(fit.params, x, m);
    for (let i = 0; i < n; i++) expect(Math.abs((e[i] as number) / (m[i] as number) - 1)).toBeLessThan(1e-4);
    expect(gammaGammaExpectedSpend(fit.params, Float64Array.of(0), Float64Array.of(0))[0]).toBeNaN();
  });
});
