// The value stage fits Gamma-Gamma on a worker beside BG/NBD when the calibration set is large (clv-model.ts). Forced
// onto that path, fitAndScoreClv must publish what it publishes with the two fits one after the other: the same
// summary, metrics and scores, to the last bit. The real fitGammaGammaAside is wrapped (not replaced) to record which
// path each call took, so the test fails if the stage never reaches the worker.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AsideFit } from '../../src/analytics/clv/fit-aside.js';
import type { GammaGammaParams } from '../../src/analytics/clv/gamma-gamma.js';

const asides = vi.hoisted(() => [] as AsideFit<GammaGammaParams>[]);
vi.mock('../../src/analytics/clv/fit-aside.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/analytics/clv/fit-aside.js')>();
  return {
    ...actual,
    fitGammaGammaAside: (...args: Parameters<typeof actual.fitGammaGammaAside>) => {
      const aside = actual.fitGammaGammaAside(...args);
      asides.push(aside);
      return aside;
    },
  };
});
import type { ClvSettings } from '../../src/stages/value/clv-model.js';
import { simulateCustomers } from '../../src/analytics/clv/simulate.js';
import { Database } from '../../src/db/database.js';

// test/setup.ts has loaded the stages already: the value model is imported afresh so that it sees the wrapper.
let fitAndScoreClv: typeof import('../../src/stages/value/clv-model.js').fitAndScoreClv;
beforeAll(async () => {
  vi.resetModules();
  ({ fitAndScoreClv } = await import('../../src/stages/value/clv-model.js'));
});

async function clvOn(settings: Partial<ClvSettings>) {
  const db = await Database.open(':memory:', { threads: 2 });
  try {
    const s = simulateCustomers({ n: 2500, seed: 5, bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 }, minAge: 26, maxAge: 78 });
    await db.run('CREATE TEMP TABLE int_clv_inputs (rid DOUBLE, x_cal DOUBLE, t_x_cal DOUBLE, t_age_cal DOUBLE, m_cal DOUBLE, x DOUBLE, t_x DOUBLE, t_age DOUBLE, m DOUBLE)');
    const rid = Array.from(s.x, (_, i) => i + 1);
    const m = Array.from(s.m, (v, i) => ((s.x[i] as number) > 0 ? v : null));
    await db.appendColumns('int_clv_inputs', [rid, [...s.x], [...s.tx], [...s.T], m, [...s.x], [...s.tx], [...s.T], m]);
    const outcome = await fitAndScoreClv(db, {
      asOf: '2024-06-30', calibrationEnd: '2024-06-30', timeUnit: 'week', horizonDays: 365, annualDiscountRate: 0.1, marginRate: 0.3, threads: 1, ...settings,
    });
    const scores = await db.all('SELECT * FROM int_clv_scores ORDER BY rid');
    return { outcome, scores };
  } finally {
    db.close();
  }
}

describe('value stage: Gamma-Gamma fitted beside BG/NBD', () => {
  it('publishes exactly what the fits one after the other publish', async () => {
    const sequential = await clvOn({ threads: 1 });
    expect(sequential.outcome.summary.converged).toBe(true);
    expect(sequential.outcome.summary.gamma_gamma).not.toBeNull();
    expect(asides.map((a) => a.fromWorker())).toEqual([false]);
    const aside = await clvOn({ threads: 2, asideMinCustomers: 0 });
    expect(asides.map((a) => a.fromWorker())).toEqual([false, true]);
    expect(aside.outcome).toStrictEqual(sequential.outcome);
    expect(aside.scores).toStrictEqual(sequential.scores);
    expect(aside.scores.length).toBe(2500);
  }, 60_000);
});
