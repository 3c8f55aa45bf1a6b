/**
 * The satisfaction stage on a hand-made case (test/fixtures/satisfaction): every figure below is worked out by hand
 * from the fixture's rows (as_of 2024-06-30, period 365 days, FCR window 7 days, churn horizon 90 days → cutoff
 * 2024-04-01). Also: the breakdown by RFM segment agrees with the per-customer call counts, and the stage says what
 * it could not do without phone data, and skips with the reason when there is neither phone nor email data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyFixture, readParquet, runFile } from '../helpers.js';

type Metric = { metric: string; dimension: string; dimension_value: string; value: number };

async function satisfaction(dir: string): Promise<Map<string, number>> {
  const rows = await readParquet<Metric>(path.join(dir, 'out', 'satisfaction', 'latest', 'model_metrics.parquet'),
    "SELECT metric, dimension, dimension_value, value FROM t WHERE model = 'satisfaction'");
  return new Map(rows.map((r) => [`${r.dimension}/${r.dimension_value}/${r.metric}`, r.value]));
}

describe('satisfaction stage on a hand-computed case', () => {
  let m = new Map<string, number>();
  let dir = '';
  beforeAll(async () => {
    dir = copyFixture('satisfaction');
    const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['stages=[satisfaction]'] });
    expect(manifest.stages.find((s) => s.name === 'satisfaction')?.status).toBe('success');
    expect(manifest.models.satisfaction).toMatchObject({ phone: true, email: true, groups: [] });
    m = await satisfaction(dir);
  }, 60_000);

  it('counts calls, complaints and CSAT in the period only', () => {
    // c01 (2023-06-01) is before the 365-day period; c02–c12 are in it, c09 anonymous.
    expect(m.get('overall/all/calls')).toBe(11);
    expect(m.get('overall/all/identified_calls')).toBe(10);
    expect(m.get('overall/all/complaints')).toBe(3); // c02, c03, c08
    expect(m.get('overall/all/complaint_rate')).toBeCloseTo(3 / 11, 12);
    // Rated: c12=1; c02, c11=2; c05, c08=3; c04, c09=4; c06, c07=5.
    expect([1, 2, 3, 4, 5].map((s) => m.get(`csat/${s}/csat_responses`))).toEqual([1, 2, 2, 2, 2]);
    expect(m.get('overall/all/csat_responses')).toBe(9);
    expect(m.get('overall/all/csat_mean')).toBeCloseTo(29 / 9, 12);
    expect(['billing', 'complaint', 'other', 'sales', 'support'].map((r) => m.get(`reason/${r}/calls`))).toEqual([1, 3, 2, 1, 4]);
    expect(m.get('reason/complaint/csat_mean')).toBeCloseTo(2.5, 12); // c02=2, c08=3 (c03 unrated)
    expect(m.get('reason/support/csat_mean')).toBeCloseTo(3.5, 12); // 3, 5, 5, 1
  });

  it('measures first-contact resolution on first contacts with a complete follow-up window', () => {
    // Eligible: c02, c04, c05, c06, c07 (c06 was 10 days earlier), c08, c12. Not: c03 (repeat of c02 within 7 days),
    // c09 (anonymous), c10 (window runs past as_of), c11 (resolved unknown).
    expect(m.get('overall/all/first_contacts')).toBe(7);
    // Resolved at first contact: c04, c06 (next support call 10 days later), c07, c12. Not: c02 (repeated by c03), c05, c08 (unresolved).
    expect(m.get('overall/all/fcr_resolved')).toBe(4);
    expect(m.get('overall/all/fcr_rate')).toBeCloseTo(4 / 7, 12);
  });

  it('relates CSAT band at as_of − 90 days to churn since', () => {
    // Active buyers on 2024-04-01: a, b, c, d, g (e last bought in 2022). Churned (no order after): a, d.
    // Bands from rated calls up to then: a (1, 2) → 1-2; g (1) → 1-2; d (3) → 3; b (4, 3 → 3.5) → 4-5; c none → no rating.
    const band = (b: string, metric: string): number | undefined => m.get(`csat_band/${b}/${metric}`);
    expect(['1-2', '3', '4-5', 'no rating'].map((b) => [band(b, 'active_buyers'), band(b, 'churned'), band(b, 'churn_rate')]))
      .toEqual([[2, 1, 0.5], [1, 1, 1], [1, 0, 0], [1, 0, 0]]);
  });

  it('counts email unsubscribes and complaints by campaign, per sent email', () => {
    // CMP-0 is before the period and the complaint of 2024-07-01 after as_of; d's unsubscribe has no campaign.
    expect(m.has('campaign/CMP-0/email_sent')).toBe(false);
    const c = (id: string, metric: string): number | undefined => m.get(`campaign/${id}/${metric}`);
    expect(['email_sent', 'email_delivered', 'email_unsubscribes', 'email_complaints'].map((x) => c('CMP-1', x))).toEqual([4, 3, 1, 1]);
    expect([c('CMP-1', 'email_unsubscribe_rate'), c('CMP-1', 'email_complaint_rate')]).toEqual([0.25, 0.25]);
    expect(['email_sent', 'email_unsubscribes', 'email_complaints'].map((x) => c('CMP-2', x))).toEqual([3, 1, 0]);
    expect(c('CMP-2', 'email_unsubscribe_rate')).toBeCloseTo(1 / 3, 12);
    expect(c('(none)', 'email_unsubscribes')).toBe(1);
    expect(c('(none)', 'email_unsubscribe_rate')).toBeUndefined(); // no sends: no rate
    expect(['email_sent', 'email_unsubscribes', 'email_complaints'].map((x) => m.get(`overall/all/${x}`))).toEqual([7, 3, 1]);
  });

  it('breaks calls down by RFM segment when the value stage ran', async () => {
    const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['stages=[value, satisfaction]'] });
    expect(manifest.models.satisfaction).toMatchObject({ groups: ['rfm_segment'] });
    const groups = await satisfaction(dir);
    // Identified calls in the period per customer (complaints in brackets): a 2 (2), b 2, c 2, d 1 (1), e 1, g 1; f is no buyer.
    const calls: Record<string, [number, number]> = { a: [2, 2], b: [2, 0], c: [2, 0], d: [1, 1], e: [1, 0], g: [1, 0] };
    const latest = path.join(dir, 'out', 'satisfaction', 'latest');
    const segments = await readParquet<{ email: string; rfm_segment: string }>(path.join(latest, 'customer_value.parquet'),
      `SELECT c.email, t.rfm_segment FROM t JOIN read_parquet('${path.join(latest, 'customers.parquet')}') c USING (customer_key)`);
    expect(segments).toHaveLength(6);
    const expected = new Map<string, { customers: number; calls: number; complaints: number }>();
    for (const s of segments) {
      const e = expected.get(s.rfm_segment) ?? { customers: 0, calls: 0, complaints: 0 };
      const [n, k] = calls[s.email[0]!]!;
      expected.set(s.rfm_segment, { customers: e.customers + 1, calls: e.calls + n, complaints: e.complaints + k });
    }
    for (const [segment, e] of expected) {
      expect(groups.get(`rfm_segment/${segment}/customers`)).toBe(e.customers);
      expect(groups.get(`rfm_segment/${segment}/calls`)).toBe(e.calls);
      expect(groups.get(`rfm_segment/${segment}/complaint_rate`)).toBeCloseTo(e.complaints / e.calls, 12);
    }
  }, 60_000);
});

describe('satisfaction stage without phone (or any service) data', () => {
  function withSources(keep: string[]): string {
    const dir = copyFixture('satisfaction');
    const file = path.join(dir, 'pipeline.yaml');
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('channel:') || keep.some((k) => l.includes(`channel: ${k}`)));
    writeFileSync(file, lines.join('\n'));
    return file;
  }

  it('leaves the phone figures out and says so', async () => {
    const file = withSources(['web_orders', 'email_events']);
    const { manifest } = await runFile(file, { overrides: ['stages=[satisfaction]'] });
    expect(manifest.models.satisfaction).toMatchObject({ phone: false, email: true });
    const m = await satisfaction(path.dirname(file));
    expect(m.get('overall/all/email_sent')).toBe(7);
    expect(m.has('overall/all/calls')).toBe(false);
    expect([...m.keys()].some((k) => k.startsWith('csat'))).toBe(false);
  }, 60_000);

  it('is skipped with the reason when there is neither phone nor email data', async () => {
    const { manifest } = await runFile(withSources(['web_orders']), { overrides: ['stages=[satisfaction]'] });
    const record = manifest.stages.find((s) => s.name === 'satisfaction');
    expect(record?.status).toBe('skipped');
    expect(record?.reason).toMatch(/no phone calls and no email events/);
  }, 60_000);
});
