/**
 * Simulates customers from known BG/NBD and Gamma-Gamma parameters, for parameter-recovery and holdout tests and
 * for the benchmark.
 *
 * Each customer makes a first purchase at time 0 and is observed for an age T drawn uniformly in [minAge, maxAge],
 * then for a holdout period. Purchase rate λ ~ Gamma(r, 1/α), dropout probability p ~ Beta(a, b); purchases follow a
 * Poisson process with rate λ and after each repeat purchase the customer leaves with probability p (the BG/NBD
 * story). Transaction values are Gamma(p_gg, 1/ν) with ν ~ Gamma(q, 1/v). Every customer draws from its own stream
 * (deriveSeed(seed, i)), so results do not depend on n or order. With `resolution` > 0, tx and T are rounded to
 * that grid (e.g. 1/7 to get whole days when the unit is weeks), as real transaction dates are.
 */
import { createRng, deriveSeed } from '../random.js';
import type { BgNbdParams } from './bgnbd.js';
import type { GammaGammaParams } from './gamma-gamma.js';

export interface SimulateOptions {
  n: number;
  seed: number;
  bgnbd: BgNbdParams;
  gammaGamma?: GammaGammaParams;
  /** Calibration ages are uniform in [minAge, maxAge] (model time units; defaults 26 and 78). */
  minAge?: number;
  maxAge?: number;
  /** Length of the holdout period after T (default 39). */
  holdout?: number;
  /** Rounding grid for tx and T (default 0: continuous). */
  resolution?: number;
}

export interface SimulatedCustomers {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean value of the calibration repeat transactions (0 when x = 0). */
  m: Float64Array;
  /** Repeat purchases in (T, T + holdout]. */
  holdoutX: Float64Array;
  holdoutSpend: Float64Array;
  /** 1 if the customer had not dropped out by T. */
  aliveAtT: Uint8Array;
  /** The customer's true mean transaction value p_gg / ν (NaN without gammaGamma). */
  trueMeanValue: Float64Array;
}

export function simulateCustomers(opts: SimulateOptions): SimulatedCustomers {
  const { n, seed } = opts;
  const { r, alpha, a, b } = opts.bgnbd;
  const minAge = opts.minAge ?? 26;
  const maxAge = opts.maxAge ?? 78;
  const holdout = opts.holdout ?? 39;
  const res = opts.resolution ?? 0;
  if (!(n >= 0 && Number.isInteger(n))) throw new RangeError('n must be a non-negative integer');
  if (!(minAge >= 0 && maxAge >= minAge && holdout >= 0 && res >= 0)) throw new RangeError('invalid ages/holdout/resolution');
  const snap = (v: number): number => (res > 0 ? Math.round(v / res) * res : v);
  const out: SimulatedCustomers = {
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    m: new Float64Array(n),
    holdoutX: new Float64Array(n),
    holdoutSpend: new Float64Array(n),
    aliveAtT: new Uint8Array(n),
    trueMeanValue: new Float64Array(n).fill(NaN),
  };
  const gg = opts.gammaGamma;
  for (let i = 0; i < n; i++) {
    const rng = createRng(deriveSeed(seed, i));
    const lambda = rng.gamma(r, 1 / alpha);
    const pDrop = rng.beta(a, b);
    const nu = gg ? rng.gamma(gg.q, 1 / gg.v) : 0;
    const T = minAge + (maxAge - minAge) * rng.next();
    const end = T + holdout;
    let t = 0;
    let x = 0;
    let tx = 0;
    let spend = 0;
    let hx = 0;
    let hSpend = 0;
    let alive = 1;
    for (;;) {
      t += rng.exponential(lambda);
      if (!(t <= end)) break;
      const value = gg ? rng.gamma(gg.p, 1 / nu) : 0;
      if (t <= T) {
        x++;
        tx = t;
        spend += value;
      } else {
        hx++;
        hSpend += value;
      }
      if (rng.chance(pDrop)) {
        if (t <= T) alive = 0;
        break;
      }
    }
    out.x[i] = x;
    out.T[i] = snap(T);
    out.tx[i] = x > 0 ? Math.min(snap(tx), out.T[i] as number) : 0;
    out.m[i] = x > 0 ? spend / x : 0;
    out.holdoutX[i] = hx;
    out.holdoutSpend[i] = hSpend;
    out.aliveAtT[i] = alive;
    if (gg) out.trueMeanValue[i] = gg.p / nu;
  }
  return out;
}
