/**
 * A purchase model that fits and a spend model that does not: the simulated BG/NBD customers of
 * value-clv.test.ts, but every order at the same price, so the spend has no variation for Gamma-Gamma to
 * estimate and its fit diverges. The stage must publish p_alive and expected purchases from the converged BG/NBD,
 * leave clv NULL for everyone, say why in the manifest (gamma_gamma null, converged false), and still report the
 * holdout check, which needs only BG/NBD.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readParquet, runFile, tempDir } from '../helpers.js';
import { writeClvExport } from './clv-exports.js';

describe('value stage: CLV with a spend model that cannot be fitted', () => {
  it('publishes the purchase model and withholds clv', async () => {
    const dir = tempDir('cra-clv-partial-');
    const file = writeClvExport({ dir, customers: 2000, seed: 7, bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 }, fixedPrice: 25 });
    const { manifest } = await runFile(file);
    const clv = manifest.models.clv as { converged: boolean; reason: string; bgnbd: Record<string, number> | null; gamma_gamma: unknown };
    expect(clv.converged).toBe(false);
    expect(clv.gamma_gamma).toBeNull();
    expect(Object.keys(clv.bgnbd ?? {})).toEqual(['r', 'alpha', 'a', 'b', 'loglik']);
    expect(clv.reason).toMatch(/^Gamma-Gamma .*; p_alive and expected_purchases are published, clv is not$/);
    expect(manifest.stages.find((s) => s.name === 'value')?.status).toBe('success');

    const latest = (f: string): string => path.join(dir, 'out', 'sim', 'latest', f);
    const [s] = await readParquet<Record<string, number>>(latest('customer_value.parquet'),
      'SELECT count(*) AS n, count(clv) AS clv, count(p_alive) AS p, count(expected_purchases) AS e, min(p_alive) AS lo, max(p_alive) AS hi, count(holdout_predicted) AS h FROM t');
    expect(s).toMatchObject({ n: 2000, clv: 0, p: 2000, e: 2000, h: 2000 });
    expect(s!.lo).toBeGreaterThanOrEqual(0);
    expect(s!.hi).toBeLessThanOrEqual(1);
    const html = readFileSync(latest('report.html'), 'utf8');
    expect(html).toContain('clv is NULL in customer_value; p_alive and expected_purchases come from the fitted purchase model');
    expect(html).toContain('Mean absolute error per customer');
  });
});
