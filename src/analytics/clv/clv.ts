/**
 * Discounted customer lifetime value from a fitted BG/NBD (how many purchases) and Gamma-Gamma (how much each).
 *
 * Like lifetimes' `customer_lifetime_value` with monthly steps: the horizon is cut into months of 30.4375 days
 * (the last month ends at the horizon), the expected purchases in each month are the difference of the cumulative
 * conditional expectations at its ends, and each month's expected margin is discounted at the monthly rate
 * equivalent to the annual one, (1 + annual)^(1/12) − 1, raised to the month number:
 *   CLV = margin · E[Z | x, m] · Σ_i (E[Y(month_i)] − E[Y(month_{i−1})]) / (1 + monthly)^i.
 * Customers without repeat purchases get the population mean spend p·v/(q−1); where an expected spend does not
 * exist (that mean when q ≤ 1, see gammaGammaExpectedSpend) the CLV is NaN, which the stage publishes as NULL. The
 * expected purchases depend on (x, tx, T) only, so they are computed once per distinct triple (a few thousand for
 * daily data) and reused.
 */
import type { BgNbdParams } from './bgnbd.js';
import { checkRfm } from './rfm-input.js';
import { expectedPurchasesOne, triplesOf } from './bgnbd-predict.js';
import type { GroupedRows } from './compress.js';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma.js';

export const DAYS_PER_MONTH = 30.4375;

export interface ClvInput {
  bgnbd: BgNbdParams;
  gg: GammaGammaParams;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean repeat-transaction value (ignored where x = 0). */
  m: Float64Array;
  horizonDays: number;
  /** Days per model time unit: 7 when x/tx/T are in weeks, 1 when in days. */
  timeUnitDays: number;
  annualDiscountRate: number;
  /** Share of revenue kept as margin, in [0, 1]. */
  marginRate: number;
  /** rfmTriples(x, tx, T), when the caller has it already (the expected purchases use the same groups). */
  triples?: GroupedRows;
}

/** Monthly discount factor per month number 1..n, and each month's end in model time units. */
export function monthSchedule(horizonDays: number, timeUnitDays: number, annualDiscountRate: number) {
  if (!(horizonDays > 0) || !(timeUnitDays > 0)) throw new RangeError('horizonDays and timeUnitDays must be > 0');
  if (!(annualDiscountRate > -1)) throw new RangeError('annualDiscountRate must be > -1');
  const months = Math.ceil(horizonDays / DAYS_PER_MONTH - 1e-9);
  const monthly = Math.pow(1 + annualDiscountRate, 1 / 12) - 1;
  const ends = new Float64Array(months);
  const discount = new Float64Array(months);
  for (let i = 1; i <= months; i++) {
    ends[i - 1] = Math.min(i * DAYS_PER_MONTH, horizonDays) / timeUnitDays;
    discount[i - 1] = Math.pow(1 + monthly, -i);
  }
  return { ends, discount, monthlyRate: monthly };
}

/** Discounted expected margin over the horizon, per customer. */
export function discountedClv(input: ClvInput): Float64Array {
  const { bgnbd, gg, x, tx, T, m, marginRate } = input;
  checkRfm(x, tx, T);
  if (m.length !== x.length) throw new RangeError('m must have the same length as x');
  if (!(marginRate >= 0 && marginRate <= 1)) throw new RangeError('marginRate must be in [0, 1]');
  const { ends, discount } = monthSchedule(input.horizonDays, input.timeUnitDays, input.annualDiscountRate);
  const spend = gammaGammaExpectedSpend(gg, x, m);

  // tx carries no information when x = 0; those customers share groups by age alone.
  const groups = triplesOf(x, tx, T, input.triples);
  const discounted = new Float64Array(groups.first.length);
  for (let g = 0; g < groups.first.length; g++) {
    const i = groups.first[g] as number;
    const xi = x[i] as number;
    const ti = xi > 0 ? (tx[i] as number) : 0;
    const Ti = T[i] as number;
    let prev = 0;
    let sum = 0;
    for (let k = 0; k < ends.length; k++) {
      const cum = expectedPurchasesOne(bgnbd, ends[k] as number, xi, ti, Ti);
      sum += (cum - prev) * (discount[k] as number);
      prev = cum;
    }
    discounted[g] = sum;
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = marginRate * (spend[i] as number) * (discounted[groups.group[i] as number] as number);
  }
  return out;
}
