/**
 * Exact decimal thresholds for the basket stage (min_support, min_confidence, min_lift).
 *
 * A threshold written in the pipeline file as 0.07 is meant as the decimal 7/100, not as the binary double
 * nearest to it: `Math.ceil(0.07 * 100)` is 8 in floating point, while the count R arules and mlxtend users
 * expect is 7. So every threshold is read back from its shortest decimal representation (`String(x)`, which
 * round-trips) into an integer mantissa m and a scale d (x = m / 10^d), and every comparison is done as an
 * integer cross-multiplication — in plain numbers while the products stay below 2^53, in BigInt beyond.
 */

/** x = mantissa / 10^scale, exactly, for the shortest decimal that prints as x. */
export interface ExactDecimal {
  readonly mantissa: bigint;
  readonly scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/** Reads a finite, non-negative number as the exact decimal it prints as ("0.07", "1e-7", "1.5e+21"). */
export function parseDecimal(x: number): ExactDecimal {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`threshold must be a finite number >= 0, got ${x}`);
  const match = DECIMAL.exec(String(x));
  if (!match) throw new RangeError(`cannot read ${String(x)} as a decimal`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0');
  let mantissa = BigInt(whole + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    mantissa *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { mantissa, scale };
}

/**
 * The smallest integer count c with c / n >= minSupport, i.e. c * 10^d >= m * n. A support of 0 gives 0; the
 * miner treats any count below 1 as 1 (itemsets that never occur are not enumerated).
 */
export function minSupportCount(minSupport: number, nTransactions: number): number {
  if (!Number.isSafeInteger(nTransactions) || nTransactions < 0) {
    throw new RangeError(`nTransactions must be a non-negative integer, got ${nTransactions}`);
  }
  const { mantissa, scale } = parseDecimal(minSupport);
  const denominator = 10n ** BigInt(scale);
  const product = mantissa * BigInt(nTransactions);
  return Number((product + denominator - 1n) / denominator);
}

/** A fixed threshold t tested exactly against ratios of non-negative integers. */
export interface RatioThreshold {
  readonly value: number;
  /** numerator / denominator >= t, exactly; numerator and denominator are non-negative integers. */
  atLeast(numerator: number, denominator: number): boolean;
  /** (a * b) / (c * d) >= t, exactly, for non-negative integers. */
  atLeastProducts(a: number, b: number, c: number, d: number): boolean;
}

export function ratioThreshold(threshold: number): RatioThreshold {
  const { mantissa, scale } = parseDecimal(threshold);
  const power = 10n ** BigInt(scale);
  const m = Number(mantissa);
  const p = Number(power);
  const fastOk = Number.isSafeInteger(m) && Number.isSafeInteger(p);
  const atLeast = (numerator: number, denominator: number): boolean => {
    if (fastOk) {
      const left = numerator * p;
      const right = m * denominator;
      if (left <= Number.MAX_SAFE_INTEGER && right <= Number.MAX_SAFE_INTEGER) return left >= right;
    }
    return BigInt(numerator) * power >= mantissa * BigInt(denominator);
  };
  return {
    value: threshold,
    atLeast,
    atLeastProducts(a: number, b: number, c: number, d: number): boolean {
      const numerator = a * b;
      const denominator = c * d;
      if (numerator <= Number.MAX_SAFE_INTEGER && denominator <= Number.MAX_SAFE_INTEGER) {
        return atLeast(numerator, denominator);
      }
      return BigInt(a) * BigInt(b) * power >= mantissa * BigInt(c) * BigInt(d);
    },
  };
}

/**
 * The smallest decimal with at most `digits` significant digits that is >= count / n (count, n > 0), e.g.
 * 123/100000 -> 0.0013. Used to suggest a min_support a user can paste into the pipeline file: since the
 * value is >= count / n, minSupportCount(value, n) >= count.
 */
export function ceilCleanSupport(count: number, nTransactions: number, digits = 2): number {
  if (!(count > 0) || !(nTransactions > 0)) throw new RangeError('ceilCleanSupport needs count > 0 and n > 0');
  const c = BigInt(count);
  const n = BigInt(nTransactions);
  const low = 10n ** BigInt(digits - 1);
  // Pick the coarsest scale s (possibly negative) at which count/n * 10^s already has `digits` digits.
  let s = 0;
  while (c * 10n ** BigInt(Math.max(s, 0)) < low * n * 10n ** BigInt(Math.max(-s, 0))) s++;
  while (s > -30 && c * 10n ** BigInt(Math.max(s - 1, 0)) >= low * n * 10n ** BigInt(Math.max(1 - s, 0))) s--;
  const num = c * 10n ** BigInt(Math.max(s, 0));
  const den = n * 10n ** BigInt(Math.max(-s, 0));
  const k = (num + den - 1n) / den;
  return Number(`${k}e${-s}`);
}
