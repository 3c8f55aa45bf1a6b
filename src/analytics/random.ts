/**
 * Seeded pseudo-random numbers for every random choice cra makes (k-means seeding, sampling, the synthetic
 * data generator). One small, fast generator (sfc32, seeded through splitmix32) so that a seed from the
 * pipeline file gives the same stream on every platform and Node version; Math.random is never used.
 *
 * `deriveSeed(seed, ...keys)` gives independent sub-streams (per customer, per restart) without sharing
 * state, so work can be split or reordered and still produce identical output.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Gamma(shape, scale) (Marsaglia–Tsang). */
  gamma(shape: number, scale?: number): number;
  /** Beta(a, b) via two gammas. */
  beta(a: number, b: number): number;
  /** Poisson(lambda) (Knuth for small lambda, normal approximation above 50). */
  poisson(lambda: number): number;
  /** Exponential with the given rate. */
  exponential(rate: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes integer keys into one 32-bit seed; stable across runs and platforms. */
export function deriveSeed(seed: number, ...keys: number[]): number {
  let h = splitmix32(seed >>> 0)();
  for (const key of keys) {
    h = splitmix32((h ^ Math.imul(key >>> 0, 0x27d4eb2d)) >>> 0)();
    h = (h ^ (Math.floor(key / 0x100000000) >>> 0)) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextU32();

  const next = (): number => nextU32() / 4294967296;
  let spareNormal: number | null = null;
  const normal = (): number => {
    if (spareNormal !== null) {
      const v = spareNormal;
      spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number, scale = 1): number => {
    if (shape < 1) {
      const u = next() || Number.MIN_VALUE;
      return gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x * x * x * x) return dd * v * scale;
      if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v * scale;
    }
  };
  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal,
    gamma,
    beta: (x, y) => {
      const g1 = gamma(x);
      return g1 / (g1 + gamma(y));
    },
    poisson,
    exponential: (rate) => -Math.log(1 - next()) / rate,
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick() needs a non-empty array');
      return item;
    },
    chance: (p) => next() < p,
  };
}
