// The ridge rule (identification.ts and fit-judge.ts, used by fit-common's multiStartFit) on objectives whose
// geometry is known exactly: a true flat ridge whose predictions agree is a converged fit with the ridge's parameters
// named weakly identified; the same ridge under a prediction that moves along it is not converged; a likelihood that
// keeps rising to the search-box edge is not converged even when its predictions agree, while one that has flattened
// out there is; and the helpers on hand-made numbers.
import { describe, expect, it } from 'vitest';
import { multiStartFit } from '../../../src/analytics/clv/fit-common.js';
import { tailTolerance } from '../../../src/analytics/clv/fit-judge.js';
import { blockStdErrors, predictionGap, spreadCoordinates } from '../../../src/analytics/clv/identification.js';

type P = { u: number; v: number; w: number };
const toParams = (lp: Float64Array): P => ({ u: Math.exp(lp[0] as number), v: Math.exp(lp[1] as number), w: Math.exp(lp[2] as number) });
const N = 100;
// Well apart along the ridge log v + log w = 2, so the polished runs stop at different points of it.
const starts = [[0, 0, 0], [2, 4, -4], [-1, -3, 6], [1, 6, 1]].map((s) => Float64Array.from(s));
/** Minimised at log u = 1; flat along log v + log w = 2 (only the product v·w is determined). */
const ridge = (x: Float64Array): number => ((x[0] as number) - 1) ** 2 + ((x[1] as number) + (x[2] as number) - 2) ** 2;

describe('a flat likelihood ridge', () => {
  it('is converged with the ridge parameters weakly identified when the predictions agree', () => {
    const fit = multiStartFit(ridge, starts, N, toParams, N, {}, (p) => Float64Array.of(p.u, p.v * p.w));
    const polished = fit.starts.filter((s) => s.polished);
    // The premise: the two polished runs really stopped far apart on the ridge.
    expect(Math.abs(Math.log((polished[0]?.params.v ?? 1) / (polished[1]?.params.v ?? 1)))).toBeGreaterThan(0.1);
    expect(fit.diagnostics).toEqual([]);
    expect(fit.converged).toBe(true);
    expect(fit.weaklyIdentified).toEqual(['v', 'w']);
    expect(fit.notes[0]).toMatch(/^v, w weakly identified: \d points reach the same log-likelihood .* predictions agree/);
    expect(fit.params.u).toBeCloseTo(Math.E, 5);
    expect(fit.params.v * fit.params.w).toBeCloseTo(Math.E ** 2, 4);
    // u's standard error from the Hessian block without v, w: the mean objective has curvature 2 in log u, so
    // var(log u) = 1 / (2N) and se(u) = e / √(2N) by the delta method. The weak parameters get none.
    expect(fit.stdErrors?.u).toBeCloseTo(Math.E / Math.sqrt(2 * N), 6);
    expect(fit.stdErrors?.v).toBeNaN();
    expect(fit.stdErrors?.w).toBeNaN();
  });

  it('is not converged when a prediction moves along the ridge', () => {
    const fit = multiStartFit(ridge, starts, N, toParams, N, {}, (p) => Float64Array.of(p.u, p.v));
    expect(fit.converged).toBe(false);
    expect(fit.diagnostics.join(' ')).toMatch(/second-best start disagrees .*, and the predictions change along it/);
    expect(fit.weaklyIdentified).toEqual([]);
    expect(fit.notes).toEqual([]);
  });

  it('is not converged when no predictions are given to compare', () => {
    const fit = multiStartFit(ridge, starts, N, toParams, N);
    expect(fit.converged).toBe(false);
    expect(fit.diagnostics.join(' ')).toMatch(/second-best start disagrees/);
  });

  it('is not converged when the likelihood keeps rising to the box edge, even with agreeing predictions', () => {
    // Unbounded as log v → ∞ (it gains 0.01 per log unit forever): the box stops it, not the objective.
    const rising = (x: Float64Array): number => ((x[0] as number) - 1) ** 2 - 0.01 * (x[1] as number) + ((x[2] as number) - 1) ** 2;
    const fit = multiStartFit(rising, starts, N, toParams, N, {}, (p) => Float64Array.of(p.u));
    expect(fit.converged).toBe(false);
    // The total rise over the last 2 log units is 0.01 · 2 · N = 2.
    expect(fit.diagnostics.join(' ')).toMatch(/edge of the search box \(estimate diverges: the log-likelihood still rises by 2\.00e\+0 over the last 2 log units\)/);
  });

  it('is converged at the box edge when the likelihood has flattened out there and the predictions agree', () => {
    // Supremum only as log v → ∞, but approached like e^−log v: over the last 2 log units before the edge it gains
    // N·(e^−18 − e^−20) ≈ 1e-6 in total, far below the 1e-4 tolerance, so the box truncates a limit, not a divergence.
    const flat = (x: Float64Array): number => ((x[0] as number) - 1) ** 2 + Math.exp(-(x[1] as number)) + ((x[2] as number) - 1) ** 2;
    const fit = multiStartFit(flat, starts, N, toParams, N, {}, (p) => Float64Array.of(p.u, p.w));
    expect(fit.diagnostics).toEqual([]);
    expect(fit.params.v).toBeGreaterThan(Math.exp(18));
    expect(fit.weaklyIdentified).toEqual(['v']);
    expect(fit.notes.join(' ')).toMatch(/towards the search-box edge in v, so its supremum is a limit/);
    expect(fit.params.u).toBeCloseTo(Math.E, 5);
    expect(fit.params.w).toBeCloseTo(Math.E, 5);
    // The same tail with a prediction that moves along it is not converged.
    const moving = multiStartFit(flat, starts, N, toParams, N, {}, (p) => Float64Array.of(p.u, p.v));
    expect(moving.converged).toBe(false);
    expect(moving.diagnostics.join(' ')).toMatch(/edge of the search box along a flat likelihood, and the predictions change along it/);
  });
});

describe('a likelihood still rising at the box edge', () => {
  it('is a limit when its rises shrink fast enough that what is left beyond the edge is within tolerance', () => {
    // As above but 150 times steeper: the last 2 log units gain N·150·(e^−18 − e^−20) ≈ 2.0e-4, over the 1e-4
    // tolerance, yet each 2 log units gain e^−2 times the previous, so 2.0e-4 · e^−2/(1 − e^−2) ≈ 3.1e-5 is left.
    const steep = (x: Float64Array): number => ((x[0] as number) - 1) ** 2 + 150 * Math.exp(-(x[1] as number)) + ((x[2] as number) - 1) ** 2;
    const fit = multiStartFit(steep, starts, N, toParams, N, {}, (p) => Float64Array.of(p.u, p.w));
    expect(fit.diagnostics).toEqual([]);
    expect(fit.converged).toBe(true);
    // The tail point is on the plateau by extrapolation, not within the tolerance, and the note says so.
    expect(fit.notes.join(' ')).toMatch(/reach the same log-likelihood \(within 0\.0001; the point 2 log units inside the edge within 1\.9\de-4\)/);
    expect(fit.notes.join(' ')).toMatch(/rises by only 1\.9\de-4 over the last 2 log units towards the search-box edge in v and less each time \(3\.\d\de-5 left beyond it\)/);
    // Approached like 1/log v instead, the rises shrink by only 0.8 per 2 log units: 4 times the last rise is left
    // (and 5e-3 in all), so the box truncates a likelihood still far from its supremum.
    const slow = (x: Float64Array): number => ((x[0] as number) - 1) ** 2 + 1e-3 / Math.max(x[1] as number, 1) + ((x[2] as number) - 1) ** 2;
    const slowFit = multiStartFit(slow, starts, N, toParams, N, {}, (p) => Float64Array.of(p.u, p.w));
    expect(slowFit.converged).toBe(false);
    expect(slowFit.diagnostics.join(' ')).toMatch(/edge of the search box \(estimate diverges: the log-likelihood still rises by 5\.\d\de-4 over the last 2 log units\)/);
  });
});

describe('a likelihood flattening towards the box edge over many customers', () => {
  // The same shape per customer as `steep` above, at 1M and 4M customers (the total weight): k·e^−log v with
  // k = 150 · 100 / 1e6, so that at 1M the last 2 log units gain 2.0e-4 in total and 3.1e-5 is left beyond the edge.
  // At 4M the same ridge leaves 1.2e-4: over LL_TOLERANCE, within tailTolerance (4e-4). Four times steeper it leaves
  // 1.2e-4 at 1M and 4.9e-4 at 4M, over the bound at both sizes.
  const shaped = (k: number) => (x: Float64Array): number => ((x[0] as number) - 1) ** 2 + k * Math.exp(-(x[1] as number)) + ((x[2] as number) - 1) ** 2;
  const predict = (p: P) => Float64Array.of(p.u, p.w);

  it('holds what is left beyond the edge to 1e-4 up to a million customers, then to 1e-10 a customer', () => {
    expect(tailTolerance(100)).toBe(1e-4);
    expect(tailTolerance(1e6)).toBe(1e-4);
    expect(tailTolerance(3.5e6)).toBeCloseTo(3.5e-4, 15);
  });

  it('is a limit at 4M customers when it is one at 1M, and a divergence at both when it is one at 1M', () => {
    const at1M = multiStartFit(shaped(0.015), starts, 1e6, toParams, 1e6, {}, predict);
    expect(at1M.converged).toBe(true);
    expect(at1M.notes.join(' ')).toMatch(/and less each time \(3\.\d\de-5 left beyond it\)/);
    const at4M = multiStartFit(shaped(0.015), starts, 4e6, toParams, 4e6, {}, predict);
    expect(at4M.diagnostics).toEqual([]);
    expect(at4M.converged).toBe(true);
    expect(at4M.notes.join(' ')).toMatch(/and less each time \(1\.2\de-4 left beyond it\)/);
    for (const W of [1e6, 4e6]) {
      const steeper = multiStartFit(shaped(0.06), starts, W, toParams, W, {}, predict);
      expect(steeper.converged).toBe(false);
      expect(steeper.diagnostics.join(' ')).toMatch(/edge of the search box \(estimate diverges/);
    }
  });
});

describe('a worse local optimum', () => {
  it('does not stop a confirmed best: the best is restarted from its own end point instead', () => {
    // Two basins in log u: around 1 (value 0) and around −3 (value 0.05 per customer, 5 in total: clearly worse).
    const twoBasins = (x: Float64Array): number =>
      Math.min(((x[0] as number) - 1) ** 2, ((x[0] as number) + 3) ** 2 + 0.05) + ((x[1] as number) - 1) ** 2 + ((x[2] as number) - 1) ** 2;
    // One start in the good basin, three in the bad one: the two best coarse runs end in different basins.
    const mixed = [[1.3, 0, 0], [-3.2, 0.5, 2], [-2.8, 2, 1], [-3.5, 1, 0]].map((v) => Float64Array.from(v));
    const fit = multiStartFit(twoBasins, mixed, N, toParams, N);
    expect(fit.starts.filter((st) => st.polished).map((st) => Math.round(Math.log(st.params.u)))).toEqual([1, -3]);
    expect(fit.diagnostics).toEqual([]);
    expect(fit.converged).toBe(true);
    expect(fit.params.u).toBeCloseTo(Math.E, 5);
    expect(fit.notes).toEqual(['another start stopped at a worse local optimum (log-likelihood lower by 5.00); a restart from the best point confirmed it']);
  });
});

describe('identification helpers', () => {
  it('predictionGap: relative tolerance 1e-3 with an absolute floor 1e-6, NaN only matches NaN', () => {
    expect(predictionGap(Float64Array.of(1000, 0), Float64Array.of(1000.9, 5e-7))).toEqual({ worst: expect.closeTo(0.9 / (1000.9 + 1e-3), 12), agree: true });
    expect(predictionGap(Float64Array.of(1000), Float64Array.of(1001.2)).agree).toBe(false);
    expect(predictionGap(Float64Array.of(0), Float64Array.of(2e-6)).agree).toBe(false);
    expect(predictionGap(Float64Array.of(NaN, 1), Float64Array.of(NaN, 1)).agree).toBe(true);
    expect(predictionGap(Float64Array.of(NaN), Float64Array.of(1))).toEqual({ worst: Infinity, agree: false });
  });

  it('spreadCoordinates names the coordinates that differ by more than 1e-3', () => {
    expect(spreadCoordinates([Float64Array.of(1, 2, 3), Float64Array.of(1.0005, 2.5, 3), Float64Array.of(1, 2, 1)])).toEqual([1, 2]);
    expect(spreadCoordinates([])).toEqual([]);
  });

  it('blockStdErrors inverts the kept block only', () => {
    // H = [[2, 1, 0], [1, 2, 0], [0, 0, 0]] is singular; without coordinate 2 the block inverse is [[2, −1], [−1, 2]] / 3.
    const H = Float64Array.of(2, 1, 0, 1, 2, 0, 0, 0, 0);
    const lp = Float64Array.of(0, Math.log(2), 5);
    expect(blockStdErrors(H, lp, 1)).toBeNull();
    const se = blockStdErrors(H, lp, 4, [2]);
    expect(se?.[0]).toBeCloseTo(Math.sqrt(2 / 3 / 4), 12);
    expect(se?.[1]).toBeCloseTo(2 * Math.sqrt(2 / 3 / 4), 12);
    expect(se?.[2]).toBeNaN();
  });
});
