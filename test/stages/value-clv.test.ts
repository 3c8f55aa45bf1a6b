/**
 * Predictive CLV end to end on planted truth: an order export of 2000 customers simulated from known BG/NBD
 * (r 0.25, α 4 weeks, a 0.8, b 2.5) and Gamma-Gamma (p 6, q 4, v 15) parameters (clv-exports.ts), calibration
 * up to 2023-12-31 and a 182-day holdout to as_of. The stage must converge, recover the parameters within
 * three standard errors, predict the holdout (in total, per frequency bucket, and better than predicting no
 * purchases at all by MAE), publish p_alive in [0, 1], and export the fit to manifest.models.clv in the contract's
 * shape, equal to the model_metrics rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/pipeline/manifest.js';
import { readParquet, runFile, tempDir } from '../helpers.js';
import { writeClvExport } from './clv-exports.js';

const PLANTED = { bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 } };
let dir = '';
let manifest: Manifest;
let metric: (name: string, dimension?: string, value?: string) => number | undefined;
const latest = (file: string): string => path.join(dir, 'out', 'sim', 'latest', file);

beforeAll(async () => {
  dir = tempDir('cra-clv-');
  const file = writeClvExport({ dir, customers: 2000, seed: 7, ...PLANTED });
  manifest = (await runFile(file)).manifest;
  const rows = await readParquet<{ metric: string; dimension: string; dimension_value: string; value: number }>(latest('model_metrics.parquet'),
    "SELECT metric, dimension, dimension_value, value FROM t WHERE model = 'clv'");
  metric = (name, dimension = 'overall', value = 'all') => rows.find((r) => r.metric === name && r.dimension === dimension && r.dimension_value === value)?.value;
}, 60_000);

describe('value stage: predictive CLV on simulated BG/NBD customers', () => {
  it('converges and recovers the planted parameters; the manifest carries them in the contract shape', () => {
    const clv = manifest.models.clv as Record<string, Record<string, number> | boolean | string>;
    expect(Object.keys(clv)).toEqual(['time_unit', 'converged', 'bgnbd', 'gamma_gamma']);
    expect(clv.time_unit).toBe('week');
    expect(clv.converged).toBe(true);
    const bg = clv.bgnbd as Record<string, number>;
    const gg = clv.gamma_gamma as Record<string, number>;
    expect(Object.keys(bg)).toEqual(['r', 'alpha', 'a', 'b', 'loglik']);
    expect(Object.keys(gg)).toEqual(['p', 'q', 'v', 'loglik']);
    for (const [fit, params, planted] of [['bgnbd', bg, PLANTED.bgnbd], ['gamma_gamma', gg, PLANTED.gammaGamma]] as const) {
      for (const [name, truth] of Object.entries(planted)) {
        const se = metric(`${fit}_${name}_se`)!;
        expect(se, `${fit}.${name} se`).toBeGreaterThan(0);
        expect(Math.abs(params[name]! - truth), `${fit}.${name} = ${params[name]} vs ${truth} ± ${se}`).toBeLessThan(3 * se);
        expect(metric(`${fit}_${name}`)).toBe(params[name]);
      }
      expect(metric(`${fit}_loglik`)).toBe(params.loglik);
      expect(params.loglik).toBeLessThan(0);
    }
    expect(metric('converged')).toBe(1);
  });

  it('predicts the holdout period', () => {
    const actual = metric('holdout_actual_total')!;
    const predicted = metric('holdout_predicted_total')!;
    const customers = metric('holdout_customers')!;
    expect(customers).toBe(2000);
    expect(metric('holdout_days')).toBe(182);
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.1);
    // For absolute error the best constant is the median, 0 here: the model must beat "nobody buys again".
    expect(metric('holdout_mae')!).toBeLessThan(actual / customers);
    let bucketCustomers = 0;
    for (const bucket of ['0', '1', '2', '3', '4', '5', '6', '7+']) {
      const n = metric('holdout_customers', 'calibration_frequency', bucket)!;
      bucketCustomers += n;
      const a = metric('holdout_actual_mean', 'calibration_frequency', bucket)!;
      const p = metric('holdout_predicted_mean', 'calibration_frequency', bucket)!;
      if (n >= 100) expect(Math.abs(p - a), `bucket ${bucket}: predicted ${p} vs actual ${a}`).toBeLessThan(0.15 * Math.max(1, a));
    }
    expect(bucketCustomers).toBe(customers);
  });

  it('publishes the per-customer holdout pairs behind those figures', async () => {
    const pairs = await readParquet<{ holdout_actual: number; holdout_predicted: number }>(latest('customer_value.parquet'),
      'SELECT holdout_actual, holdout_predicted FROM t WHERE holdout_predicted IS NOT NULL');
    expect(pairs.length).toBe(2000);
    const sum = (f: (p: (typeof pairs)[number]) => number): number => pairs.reduce((s, p) => s + f(p), 0);
    expect(sum((p) => p.holdout_actual)).toBe(metric('holdout_actual_total'));
    expect(sum((p) => p.holdout_predicted)).toBeCloseTo(metric('holdout_predicted_total')!, 6);
    expect(sum((p) => Math.abs(p.holdout_predicted - p.holdout_actual)) / pairs.length).toBeCloseTo(metric('holdout_mae')!, 9);
  });

  it('publishes p_alive, expected purchases and CLV for every buyer', async () => {
    const [s] = await readParquet<Record<string, number>>(latest('customer_value.parquet'), `SELECT count(*) AS n, count(clv) AS with_clv,
      min(p_alive) AS p_min, max(p_alive) AS p_max, min(expected_purchases) AS e_min, min(clv) AS clv_min,
      count(*) FILTER (WHERE clv_frequency = 0 AND p_alive <> 1) AS zero_not_alive,
      corr(expected_purchases, clv_frequency / (clv_age + 1)) AS rate_corr FROM t`);
    expect(s).toMatchObject({ n: 2000, with_clv: 2000, zero_not_alive: 0 });
    expect(s!.p_min).toBeGreaterThanOrEqual(0);
    expect(s!.p_max).toBeLessThanOrEqual(1);
    expect(s!.e_min).toBeGreaterThanOrEqual(0);
    expect(s!.clv_min).toBeGreaterThanOrEqual(0);
    expect(s!.rate_corr).toBeGreaterThan(0.5);
    const html = readFileSync(latest('report.html'), 'utf8');
    expect(html).toContain('Holdout check');
    expect(html).toContain('repeat purchases in calibration');
  });
});
