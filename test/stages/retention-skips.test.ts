/**
 * When retention cannot model churn, it says why and skips (contract §1): one class only (every active buyer comes
 * back), too little history for two windows; under --strict the skip fails the run. A lead model without prospects
 * is left out with its reason (model_metrics, manifest, report) while churn is published (under --strict that fails
 * the run too), and profiling opt-outs are never scored.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { retentionLeadsSection } from '../../src/report/sections/retention-leads.js';
import { readParquet, runFile } from '../helpers.js';
import { day, writeFixture, type Person } from './retention-fixture.js';

/** Buyers ordering every `every` days from `from` until `to` (exclusive). */
function buyer(id: string, from: string, to: string, every = 15): Person {
  const orders: string[] = [];
  for (let t = 0; day(from, t) < to; t += every) orders.push(day(from, t));
  return { id, orders };
}

describe('retention skips', () => {
  it('skips with "one class only" when every active buyer buys again, and fails under --strict', async () => {
    const people = Array.from({ length: 30 }, (_, i) => buyer(`A${i}`, day('2023-03-01', i), '2024-07-01', 20));
    const file = writeFixture(people);
    const { manifest } = await runFile(file, { overrides: ['stages=[retention]'] });
    const record = manifest.stages.find((s) => s.name === 'retention');
    expect(record?.status).toBe('skipped');
    expect(record?.reason).toMatch(/^one class only: none of the 30 active buyers at the training cutoff 2024-01-02 churned/);
    expect(manifest.outputs.map((o) => o.table)).not.toContain('churn_scores');
    await expect(runFile(file, { overrides: ['stages=[retention]'], strict: true })).rejects.toThrow(/retention.*one class only/s);
  }, 60_000);

  it('skips with "too little history" when the orders start after as_of − 2h', async () => {
    const people = Array.from({ length: 20 }, (_, i) => buyer(`B${i}`, day('2024-02-01', i), day('2024-04-01', 3 * i), 10));
    const { manifest } = await runFile(writeFixture(people), { overrides: ['stages=[retention]'] });
    const record = manifest.stages.find((s) => s.name === 'retention');
    expect(record?.status).toBe('skipped');
    expect(record?.reason).toContain('too little history for two 90-day windows');
    expect(record?.reason).toContain('as_of − 2 × retention.churn_horizon_days = 2024-01-02, but the first completed order is on 2024-02-01');
  }, 60_000);

  it('publishes churn when the lead model has no prospects, and leaves out profiling opt-outs', async () => {
    // Even buyers never stop; odd ones stop one after another from November 2023 to June 2024, so both windows
    // hold churners and returning buyers. Nobody is a prospect. C1 opted out of profiling.
    const people = Array.from({ length: 60 }, (_, i) =>
      buyer(`C${i}`, day('2023-06-01', i % 7), i % 2 === 0 ? '2024-07-01' : day('2023-06-01', 150 + 8 * i)));
    people[1]!.profilingOptOut = true;
    const file = writeFixture(people);
    const { manifest, runDir } = await runFile(file, { overrides: ['stages=[retention]'] });
    expect(manifest.status).toBe('success');
    const lead = manifest.models.lead as { skipped: boolean; reason: string };
    expect(manifest.stages.find((s) => s.name === 'retention')).toMatchObject({ status: 'success', reason: `lead model skipped: ${lead.reason}` });
    expect(lead.skipped).toBe(true);
    expect(lead.reason).toMatch(/^too few prospects or first purchases: 0 prospects in the training window/);
    const metrics = await readParquet<{ model: string; metric: string; dimension_value: string }>(path.join(runDir, 'model_metrics.parquet'));
    expect(metrics.some((m) => m.model === 'lead' && m.metric === 'skipped' && m.dimension_value === lead.reason)).toBe(true);
    expect(metrics.some((m) => m.model === 'churn' && m.metric === 'auc')).toBe(true);
    expect(await readParquet(path.join(runDir, 'lead_scores.parquet'))).toEqual([]);

    const scores = await readParquet<{ customer_key: string }>(path.join(runDir, 'churn_scores.parquet'));
    const customers = await readParquet<{ customer_key: string; profiling_opt_out: boolean }>(path.join(runDir, 'customers.parquet'));
    const optedOut = customers.filter((c) => c.profiling_opt_out).map((c) => c.customer_key);
    expect(optedOut).toHaveLength(1);
    // Active at as_of: the 30 who never stop and the odd ones whose last order is within 365 days; minus C1.
    const active = people.filter((p) => !p.profilingOptOut && p.orders!.some((d) => d > '2023-07-01'));
    expect(scores).toHaveLength(active.length);
    expect(scores.map((s) => s.customer_key)).not.toContain(optedOut[0]);
    // The report's lead section says why, from the manifest alone.
    const rendered = await retentionLeadsSection.render({
      db: null as never, pipeline: 'retention', asOf: '2024-06-30', runId: 'x', stages: manifest.stages, inputs: [], models: manifest.models,
      has: async () => true,
    });
    expect(rendered).toBe(`The lead model was not fitted: ${lead.reason}. Churn scores are unaffected; lead_scores is empty.`);
    // Under --strict a model left out fails the run, as a CLV model that cannot be fitted does.
    await expect(runFile(file, { overrides: ['stages=[retention]'], strict: true })).rejects.toThrow(/lead model could not be fitted: too few prospects/);
  }, 60_000);
});
