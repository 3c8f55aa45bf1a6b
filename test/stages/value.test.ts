/**
 * The value stage on the hand-made fixture test/fixtures/value (ten buyers, worked out by hand below): revenue,
 * cost of goods (catalogue cost, else the margin-rate fallback; returned goods written off), cost to serve, net
 * contribution, profit deciles, the Pareto shares, RFM quintiles with the customer_key tie rule, segment names,
 * the unprofitable reasons and the CLV inputs; then the CLV "too few repeat buyers" path (NULL scores, manifest
 * reason, --strict fails), mixed currencies, and the edge cases (no buyers, calibration_end after as_of).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rfmSegmentOf } from '../../src/analytics/rfm-segments.js';
import { copyFixture, readParquet, runFile } from '../helpers.js';

type Row = Record<string, unknown> & { customer_key: string };
const latest = (dir: string, file: string): string => path.join(dir, 'out', 'value', 'latest', file);

/** customer_value rows by the shop's customer id. */
async function valueByShopId(dir: string): Promise<Map<string, Row>> {
  const cw = await readParquet<{ source_record_id: string; customer_key: string }>(latest(dir, 'customer_crosswalk.parquet'),
    "SELECT source_record_id, customer_key FROM t WHERE source = 'shop' AND id_type = 'customer_id'");
  const rows = await readParquet<Row>(latest(dir, 'customer_value.parquet'));
  const byKey = new Map(rows.map((r) => [r.customer_key, r]));
  return new Map(cw.filter((c) => byKey.has(c.customer_key)).map((c) => [c.source_record_id, byKey.get(c.customer_key)!]));
}

// By hand (as_of 2024-06-01; emails 0.5 per send, calls 1 per minute; P1 costs 4, P2 12, P3 and P9 have no cost → 70 % of revenue).
// revenue, gross sales, discounts, returns, cost of goods, email cost, call cost, net, recency days, orders, R score.
const HAND: Record<string, [number, number, number, number, number, number, number, number, number, number, number]> = {
  C01: [78, 80, 2, 0, 40, 2, 0, 36, 2, 5, 5], //      4 sends; O105 has a discount of 2
  C02: [166, 170, 4, 0, 107.2, 1, 0, 57.8, 12, 4, 4], // 2×50 P3 → cost 70; P9 40−4 → cost 25.2
  C03: [40, 40, 0, 0, 24, 0, 0, 16, 7, 1, 5],
  C04: [50, 50, 0, 0, 24, 0, 10, 16, 92, 3, 2], //   two orders on 2024-01-05; a 10-minute call
  C05: [20, 20, 0, 0, 8, 0, 0, 12, 102, 2, 2], //    plus a cancelled order (no revenue, no cost)
  C06: [20, 20, 0, 0, 12, 0, 0, 8, 151, 1, 1],
  C07: [600, 600, 0, 0, 420, 0, 0, 180, 112, 6, 1],
  C08: [20, 60, 0, 40, 36, 1, 0, -17, 47, 2, 3], //   returns 2 × P2: refund 40, goods not credited back
  C09: [30, 30, 0, 0, 12, 0, 25, -7, 73, 1, 3], //    25 call minutes
  C10: [45, 50, 5, 0, 24, 0, 0, 21, 30, 3, 4],
};
// Tied values: the smaller customer_key gets the lower score (the values listed for each group, ascending keys).
const TIES = {
  f_score: [[['C03', 'C06', 'C09'], [1, 1, 2]], [['C05', 'C08'], [2, 3]], [['C04', 'C10'], [3, 4]]],
  m_score: [[['C05', 'C06', 'C08'], [1, 1, 2]]],
  profit_decile: [[['C03', 'C04'], [5, 6]]],
} as const;
const UNTIED = {
  f_score: { C01: 5, C02: 4, C07: 5 }, m_score: { C09: 2, C03: 3, C10: 3, C04: 4, C01: 4, C02: 5, C07: 5 },
  profit_decile: { C07: 1, C02: 2, C01: 3, C10: 4, C05: 7, C06: 8, C09: 9, C08: 10 },
} as const;

describe('value stage on a hand-made case', () => {
  it('computes profit, RFM, deciles, reasons and CLV inputs as worked out by hand', async () => {
    const dir = copyFixture('value');
    const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'));
    const v = await valueByShopId(dir);
    expect([...v.keys()].sort()).toEqual(Object.keys(HAND)); // C11 (emails only) and C12 (cancelled only) are not buyers
    for (const [id, [revenue, gross, disc, ret, cogs, email, call, net, recency, orders, r]] of Object.entries(HAND)) {
      const row = v.get(id)!;
      const want = { revenue, gross_sales: gross, discounts: disc, returns: ret, cost_of_goods: cogs, gross_margin: revenue - cogs,
        email_cost: email, call_cost: call, cost_to_serve: email + call, net_contribution: net };
      for (const [k, x] of Object.entries(want)) expect(row[k] as number, `${id}.${k}`).toBeCloseTo(x, 9);
      expect(row, id).toMatchObject({ recency_days: recency, frequency: orders, r_score: r });
    }
    const keyOf = (id: string): string => v.get(id)!.customer_key;
    for (const [column, groups] of Object.entries(TIES)) {
      for (const [ids, scores] of groups) {
        const byKey = [...ids].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
        byKey.forEach((id, i) => expect(v.get(id)![column], `${id}.${column}`).toBe(scores[i]));
      }
    }
    for (const [column, want] of Object.entries(UNTIED)) for (const [id, s] of Object.entries(want)) expect(v.get(id)![column], `${id}.${column}`).toBe(s);
    for (const [id, row] of v) {
      expect(row.rfm_code).toBe(`${row.r_score}${row.f_score}${row.m_score}`);
      expect(row.rfm_segment, id).toBe(rfmSegmentOf(row.r_score as number, row.f_score as number));
    }
    expect(Object.fromEntries(['C01', 'C02', 'C04', 'C06', 'C07', 'C09'].map((id) => [id, v.get(id)!.rfm_segment]))).toEqual({
      C01: 'Champions', C02: 'Loyal', C04: 'At risk', C06: 'Lost', C07: "Can't lose", C09: 'About to sleep',
    });
    expect(v.get('C08')!.unprofitable_reason).toBe('returns');
    expect(v.get('C09')!.unprofitable_reason).toBe('service cost');
    expect([...v.values()].filter((r) => r.unprofitable_reason !== null).length).toBe(2);

    // CLV inputs in weeks: C04's two orders on 2024-01-05 are one transaction; C08's return day is none.
    expect(v.get('C04')).toMatchObject({ clv_frequency: 1, clv_recency: 8, clv_monetary: 20 });
    expect(v.get('C04')!.clv_age).toBeCloseTo(148 / 7, 12);
    expect(v.get('C08')).toMatchObject({ clv_frequency: 1, clv_recency: 2, clv_monetary: 20 });
    expect(v.get('C01')).toMatchObject({ clv_frequency: 4, clv_monetary: 14.5 });
    // Seven repeat buyers by calibration_end: too few, so no scores and the reason is published.
    for (const row of v.values()) expect([row.p_alive, row.expected_purchases, row.clv]).toEqual([null, null, null]);
    expect(manifest.models.clv).toMatchObject({ time_unit: 'week', converged: false, bgnbd: null, gamma_gamma: null });
    expect((manifest.models.clv as { reason: string }).reason).toMatch(/too few repeat buyers.*7/);
    expect(manifest.stages.find((s) => s.name === 'value')).toMatchObject({ status: 'success', rows_out: 10 });

    const metrics = await readParquet<{ metric: string; dimension_value: string; value: number }>(latest(dir, 'model_metrics.parquet'),
      "SELECT metric, dimension_value, value FROM t WHERE model = 'value'");
    const metric = (name: string, dim = 'all'): number | undefined => metrics.find((m) => m.metric === name && m.dimension_value === dim)?.value;
    expect(metric('profit')).toBeCloseTo(322.8, 9);
    expect(metric('profit_share', '10')).toBeCloseTo(180 / 322.8, 12);
    expect(metric('profit_share', '20')).toBeCloseTo((180 + 57.8) / 322.8, 12);
    expect([metric('unprofitable'), metric('loss')]).toEqual([2, 24]);

    const html = readFileSync(latest(dir, 'report.html'), 'utf8');
    const sectionText = (id: string): string => (html.match(new RegExp(`<section id="${id}">(.*?)</section>`, 's'))?.[1] ?? '').replace(/<[^>]+>/g, ' ');
    expect(sectionText('profitability')).toMatch(new RegExp(`Unprofitable customers.*${keyOf('C08')} .*returns.*${keyOf('C09')} .*service cost`, 's'));
    expect(sectionText('rfm')).toContain('Potential loyalist');
    expect(sectionText('clv')).toContain('too few repeat buyers');
  });

  it('fails under --strict when the CLV model cannot be fitted', async () => {
    const dir = copyFixture('value');
    await expect(runFile(path.join(dir, 'pipeline.yaml'), { strict: true })).rejects.toThrow(/value.*skipped under --strict: CLV model could not be fitted/);
  });

  it('refuses mixed currencies without rates and converts them with value.currency_rates', async () => {
    const dir = copyFixture('value');
    writeFileSync(path.join(dir, 'orders', 'orders_eur.csv'), 'Order,Line,Date,Customer,Email,Sku,Qty,Price,Discount,Status,Currency\n' +
      'O302,1,2024-05-26 10:00:00,C03,c03@example.com,P1,1,10,0,completed,eur\n');
    const file = path.join(dir, 'pipeline.yaml');
    await expect(runFile(file)).rejects.toThrow(/2 currencies \(EUR 1 lines, GBP 32 lines\).*value\.currency_rates/s);
    await runFile(file, { overrides: ['value.currency_rates={GBP: 1, eur: 0.5}'] });
    const c03 = (await valueByShopId(dir)).get('C03')!;
    // 10 EUR at 0.5 → 5 more revenue; the catalogue cost (4, reporting currency) is not converted.
    expect([c03.revenue, c03.cost_of_goods, c03.frequency]).toEqual([45, 28, 2]);
  });

  it('skips without buyers and rejects a calibration_end after as_of', async () => {
    const dir = copyFixture('value');
    const file = path.join(dir, 'pipeline.yaml');
    const { manifest } = await runFile(file, { asOf: '2023-11-01', overrides: ['value.clv.calibration_end=2023-10-01'] });
    expect(manifest.stages.find((s) => s.name === 'value')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/no buyers/) });
    expect(readFileSync(latest(dir, 'report.html'), 'utf8')).toContain('Customer value was not built in this run');
    await expect(runFile(file, { asOf: '2024-04-15' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/calibration_end 2024-04-30 is after as_of 2024-04-15/) });
  });
});
