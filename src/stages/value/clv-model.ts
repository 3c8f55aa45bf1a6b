/**
 * Fits the CLV models and scores every customer. Parameters are estimated on the calibration period (customers
 * whose first transaction is on or before calibration_end, their history up to it); every customer is then
 * scored on their whole history up to as_of, so p_alive and expected purchases describe the customer now while
 * the holdout (calibration_end, as_of] checks the very parameters that were used. Gamma-Gamma is fitted on repeat
 * buyers only (the engine skips x = 0). Nothing unconverged is published: a failed BG/NBD leaves every score
 * NULL, a failed Gamma-Gamma leaves clv NULL, and `reason` says why. A converged fit can still carry `notes`: which
 * parameters are only weakly identified (a likelihood ridge whose predictions agree, see analytics/clv/identification)
 * and, when Gamma-Gamma's q ≤ 1, that customers without a repeat purchase have no expected spend (the population
 * mean does not exist), so their clv is NULL while repeat buyers' is published.
 *
 * Inputs come from int_clv_inputs as Float64Arrays (rows ordered by rid); results go back by rid into
 * int_clv_scores and int_clv_holdout.
 */
import {
  bgnbdExpectedPurchases, bgnbdPAlive, discountedClv, fitBgNbd, rfmTriples,
  type BgNbdParams, type FitResult, type GammaGammaParams,
} from '../../analytics/clv/index.js';
import { fitGammaGammaAside } from '../../analytics/clv/fit-aside.js';
import type { Database } from '../../db/database.js';
import { overall, type MetricRow } from './metrics.js';

/** Fewer repeat buyers than this in the calibration period and the models are not fitted. */
export const MIN_REPEAT_BUYERS = 20;

/**
 * From this many calibration customers up, Gamma-Gamma is fitted on a worker thread beside BG/NBD (fit-aside.ts),
 * which then sums half of BG/NBD's likelihood (bgnbd-helper.ts); below, a worker's start-up costs more than it saves.
 */
export const ASIDE_MIN_CUSTOMERS = 20_000;

export interface ClvSettings {
  asOf: string;
  calibrationEnd: string;
  timeUnit: 'week' | 'day';
  horizonDays: number;
  annualDiscountRate: number;
  /** Margin on future spend (share of revenue). */
  marginRate: number;
  /** limits.threads: with 2 or more, the two fits run side by side on large inputs, then BG/NBD's on two threads. */
  threads: number;
  /** Overrides ASIDE_MIN_CUSTOMERS (tests). */
  asideMinCustomers?: number;
}

/** manifest.models.clv (contract §4); `reason` only when converged is false, `notes` only when there are any. */
export interface ClvSummary {
  time_unit: 'week' | 'day';
  converged: boolean;
  bgnbd: { r: number; alpha: number; a: number; b: number; loglik: number } | null;
  gamma_gamma: { p: number; q: number; v: number; loglik: number } | null;
  reason?: string;
  notes?: string[];
}

export interface ClvOutcome {
  summary: ClvSummary;
  metrics: MetricRow[];
  /** True when int_clv_holdout holds predictions for the holdout period. */
  holdout: boolean;
}

const dayDiff = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

function paramMetrics<P extends object>(prefix: string, fit: FitResult<P>): MetricRow[] {
  const rows: MetricRow[] = [overall('clv', `${prefix}_loglik`, fit.logLik), overall('clv', `${prefix}_converged`, fit.converged ? 1 : 0)];
  for (const [name, value] of Object.entries(fit.params)) {
    rows.push(overall('clv', `${prefix}_${name}`, value as number));
    // A weakly identified parameter has no standard error (NaN): no row rather than a NaN.
    const se = fit.stdErrors ? (fit.stdErrors as Record<string, number>)[name] : undefined;
    if (se !== undefined && Number.isFinite(se)) rows.push(overall('clv', `${prefix}_${name}_se`, se));
  }
  return rows;
}

export async function fitAndScoreClv(db: Database, s: ClvSettings): Promise<ClvOutcome> {
  await db.run('CREATE OR REPLACE TEMP TABLE int_clv_scores (rid DOUBLE, p_alive DOUBLE, expected_purchases DOUBLE, clv DOUBLE)');
  await db.run('CREATE OR REPLACE TEMP TABLE int_clv_holdout (rid DOUBLE, predicted DOUBLE)');
  const unitDays = s.timeUnit === 'week' ? 7 : 1;
  const summary: ClvSummary = { time_unit: s.timeUnit, converged: false, bgnbd: null, gamma_gamma: null };
  const cal = await db.numericColumns('SELECT rid, x_cal, t_x_cal, t_age_cal, coalesce(m_cal, 0) AS m_cal FROM int_clv_inputs WHERE x_cal IS NOT NULL ORDER BY rid');
  const c = cal.columns as Record<'rid' | 'x_cal' | 't_x_cal' | 't_age_cal' | 'm_cal', Float64Array>;
  const repeatBuyers = c.x_cal.reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
  const metrics: MetricRow[] = [
    overall('clv', 'calibration_customers', cal.rows),
    overall('clv', 'calibration_repeat_buyers', repeatBuyers),
    overall('clv', 'margin_rate', s.marginRate),
  ];
  const done = (reason: string, holdout = false): ClvOutcome => {
    summary.reason = reason;
    metrics.push(overall('clv', 'converged', 0));
    return { summary, metrics, holdout };
  };
  if (repeatBuyers < MIN_REPEAT_BUYERS) {
    return done(`too few repeat buyers to fit the CLV models: ${repeatBuyers} in the calibration period up to ${s.calibrationEnd} (at least ${MIN_REPEAT_BUYERS} needed)`);
  }

  // When the input is large enough, Gamma-Gamma fits on a worker while BG/NBD fits here; once done, that worker sums
  // half of BG/NBD's likelihood (bgnbd-helper.ts).
  const aside = s.threads >= 2 && cal.rows >= (s.asideMinCustomers ?? ASIDE_MIN_CUSTOMERS);
  const ggAside = fitGammaGammaAside(c.x_cal, c.m_cal, aside, { x: c.x_cal, tx: c.t_x_cal, T: c.t_age_cal });
  let bg: FitResult<BgNbdParams>;
  try {
    bg = fitBgNbd(c.x_cal, c.t_x_cal, c.t_age_cal, { horizon: s.horizonDays / unitDays, helper: ggAside.helper });
  } catch (error) {
    ggAside.cancel();
    return done(`BG/NBD could not be fitted: ${(error as Error).message}`);
  } finally {
    ggAside.helper?.stop();
  }
  metrics.push(...paramMetrics('bgnbd', bg));
  if (!bg.converged) {
    ggAside.cancel();
    return done(`BG/NBD did not converge: ${bg.diagnostics.join('; ')}`);
  }
  summary.bgnbd = { ...bg.params, loglik: bg.logLik };
  const notes = bg.notes.map((n) => `BG/NBD: ${n}`);

  let holdout = false;
  const holdoutDays = dayDiff(s.calibrationEnd, s.asOf);
  if (holdoutDays > 0) {
    const predicted = bgnbdExpectedPurchases(bg.params, holdoutDays / unitDays, c.x_cal, c.t_x_cal, c.t_age_cal);
    await db.appendTypedColumns('int_clv_holdout', [c.rid, predicted]);
    holdout = true;
  }

  let gg: FitResult<GammaGammaParams> | null = null;
  let ggReason = '';
  try {
    gg = await ggAside.result();
    metrics.push(...paramMetrics('gamma_gamma', gg));
  } catch (error) {
    ggReason = `Gamma-Gamma could not be fitted: ${(error as Error).message}`;
  }
  let spend: GammaGammaParams | null = null;
  if (!gg) ggReason ||= 'Gamma-Gamma was not fitted';
  else if (!gg.converged) ggReason = `Gamma-Gamma did not converge: ${gg.diagnostics.join('; ')}`;
  else spend = gg.params;
  if (spend && gg) {
    summary.gamma_gamma = { ...spend, loglik: gg.logLik };
    notes.push(...gg.notes.map((n) => `Gamma-Gamma: ${n}`));
  }

  const withoutSpend = await scoreAll(db, s, bg.params, spend, unitDays);
  if (notes.length > 0) summary.notes = notes;
  if (!spend) return done(`${ggReason}; p_alive and expected_purchases are published, clv is not`, holdout);
  if (withoutSpend.oneTime > 0) {
    notes.push(`Gamma-Gamma q = ${spend.q.toPrecision(3)} ≤ 1: spend levels differ so much between customers that the population mean ` +
      `spend does not exist, so the ${withoutSpend.oneTime} customers without a repeat purchase have no expected spend and their clv is NULL; ` +
      'repeat buyers are valued by their own conditional mean spend, which exists');
  }
  if (withoutSpend.repeat > 0) {
    notes.push(`${withoutSpend.repeat} repeat buyers have too few transactions for a conditional mean spend (p·x + q ≤ 1): their clv is NULL`);
  }
  if (notes.length > 0) summary.notes = notes;
  metrics.push(overall('clv', 'customers_without_clv', withoutSpend.oneTime + withoutSpend.repeat));
  summary.converged = true;
  metrics.push(overall('clv', 'converged', 1));
  return { summary, metrics, holdout };
}

/**
 * p_alive, expected purchases over the horizon and (with a spend model) CLV for every customer, at as_of. Returns
 * how many customers, without and with repeat purchases, get no CLV because their expected spend does not exist
 * (gammaGammaExpectedSpend: x = 0 with q ≤ 1, or p·x + q ≤ 1).
 */
async function scoreAll(db: Database, s: ClvSettings, bg: BgNbdParams, gg: GammaGammaParams | null, unitDays: number): Promise<{ oneTime: number; repeat: number }> {
  const all = await db.numericColumns('SELECT rid, x, t_x, t_age, coalesce(m, 0) AS m FROM int_clv_inputs ORDER BY rid');
  const { rid, x, t_x: tx, t_age: T, m } = all.columns as Record<'rid' | 'x' | 't_x' | 't_age' | 'm', Float64Array>;
  const pAlive = bgnbdPAlive(bg, x, tx, T);
  // The expected purchases and the CLV depend on (x, t_x, T) alone: both are computed once per distinct triple.
  const triples = rfmTriples(x, tx, T);
  const expected = bgnbdExpectedPurchases(bg, s.horizonDays / unitDays, x, tx, T, triples);
  const clv = gg
    ? discountedClv({ bgnbd: bg, gg, x, tx, T, m, horizonDays: s.horizonDays, timeUnitDays: unitDays, annualDiscountRate: s.annualDiscountRate, marginRate: s.marginRate, triples })
    : null;
  // Non-finite values are stored as NULL (appendTypedColumns), and so is every clv without a spend model.
  await db.appendTypedColumns('int_clv_scores', [rid, pAlive, expected, clv ?? new Float64Array(rid.length).fill(Number.NaN)]);
  const missing = { oneTime: 0, repeat: 0 };
  if (clv) clv.forEach((v, i) => Number.isNaN(v) && missing[(x[i] as number) > 0 ? 'repeat' : 'oneTime']++);
  return missing;
}
