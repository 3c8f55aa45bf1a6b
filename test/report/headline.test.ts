// Headline facts (executive summary and summary.md) on hand-made out_* tables: every figure is counted by hand
// below, facts from later stages appear only when their table exists, and the Markdown is exactly as expected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import type { ReportContext } from '../../src/report/context.js';
import { computeHeadline } from '../../src/report/headline.js';
import { overviewSection } from '../../src/report/sections/overview.js';
import { renderSummaryMarkdown } from '../../src/report/summary-md.js';

let db: Database;

const BASE = `
CREATE TEMP TABLE out_customers AS SELECT * FROM (VALUES
  ('K1', true, true, 'London'), ('K2', true, false, 'Leeds'), ('K3', true, true, NULL), ('K4', false, true, 'Leeds'), ('K5', false, false, NULL)
) t(customer_key, is_buyer, is_contactable, city);
CREATE TEMP TABLE out_orders AS SELECT * FROM (VALUES
  ('shop', 'O1', 'K1', TIMESTAMP '2024-05-02 10:00', 100.0), ('shop', 'O1', 'K1', TIMESTAMP '2024-05-02 10:00', 20.5),
  ('shop', 'O2', 'K2', TIMESTAMP '2024-06-10 09:00', 50.0), ('shop', 'O3', 'K3', TIMESTAMP '2024-06-11 09:00', -10.0),
  ('shop', 'O4', NULL, TIMESTAMP '2024-06-12 09:00', 30.0)
) t(source, order_id, customer_key, ordered_at, revenue);
CREATE TEMP TABLE out_data_quality AS SELECT * FROM (VALUES ('reject_rate', 'warn'), ('rows_read', 'ok'), ('accounting', 'fail'), ('x', 'warn')) t(check_name, status);`;

const LATER = `
CREATE TEMP TABLE out_customer_value AS SELECT * FROM (VALUES ('K1', 60.0, 50.0, 200.0), ('K2', 20.0, -5.0, NULL), ('K3', 0.0, -2.5, 10.0)) t(customer_key, gross_margin, net_contribution, clv);
CREATE TEMP TABLE out_churn_scores AS SELECT * FROM (VALUES ('K1', 0.9, 'high'), ('K2', 0.8, 'high'), ('K3', 0.1, 'low')) t(customer_key, churn_probability, risk_band);
CREATE TEMP TABLE out_segment_profiles AS SELECT * FROM (VALUES (1, 'Loyal <b>big</b> spenders', 2, 0.7), (2, 'New', 5, 0.2), (3, 'Lapsed', 9, 0.06), (4, 'Tiny', 1, 0.04)) t(segment_id, segment_name, customers, revenue_share);
CREATE TEMP TABLE out_lead_scores AS SELECT * FROM (VALUES ('K4', 0.7, true), ('K5', 0.9, false), ('K6', 0.5, true), ('K7', 0.2, true)) t(customer_key, purchase_probability, is_contactable);
CREATE TEMP TABLE out_recommendations AS SELECT * FROM (VALUES ('K1', 'P1'), ('K1', 'P2'), ('K3', 'P1')) t(customer_key, product_id);
CREATE TEMP TABLE out_anomalies AS SELECT * FROM (VALUES ('K2', 'spend'), ('K2', 'calls')) t(customer_key, metric);`;

function context(stages: ReportContext['stages'] = []): ReportContext {
  return {
    db, pipeline: 'shop', asOf: '2024-06-30', runId: 'r1', models: {}, stages,
    inputs: [
      { source: 'shop', path: 'a.csv', sha256: '', rows_read: 10, rows_loaded: 7, rows_rejected: 2, rows_duplicate: 1 },
      { source: 'crm', path: 'b.csv', sha256: '', rows_read: 5, rows_loaded: 5, rows_rejected: 0, rows_duplicate: 0 },
    ],
    has: (table) => db.tableExists(`out_${table}`),
  };
}

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.run(BASE);
});
afterAll(() => db.close());

describe('headline facts', () => {
  it('counts customers, revenue, orders and data quality; leaves later-stage facts out when their tables are missing', async () => {
    const f = await computeHeadline(context([{ name: 'retention', status: 'skipped', reason: 'one class only' }]));
    expect(f.people).toEqual({ customers: 5, buyers: 3, contactable: 3, revenue: 190.5, orders: 4, guestOrders: 1 });
    expect(f.quality).toEqual({ files: 2, read: 15, loaded: 12, rejected: 2, duplicate: 1, warnings: 2, failures: 1 });
    expect(f.skipped).toEqual([{ name: 'retention', reason: 'one class only' }]);
    expect(f.value).toBeUndefined();
    expect(f.churn).toBeUndefined();
    expect(f.segments).toBeUndefined();
    expect(f.actions).toEqual([]);
  });

  it('adds profit, churn risk, top segments and actions when those tables exist', async () => {
    await db.run(LATER);
    const f = await computeHeadline(context());
    // K2 has no CLV: the sum covers 2 of the 3 buyers, and says so.
    expect(f.value).toEqual({ netContribution: 42.5, grossMargin: 80, clv: 210, clvBuyers: 2, buyers: 3, negative: 2 });
    // K1 and K2 are high risk; only K1 is contactable.
    expect(f.churn).toEqual({ scored: 3, high: 2, highContactable: 1, bands: [
      { band: 'high', customers: 2, meanProbability: expect.closeTo(0.85, 12) }, { band: 'low', customers: 1, meanProbability: expect.closeTo(0.1, 12) },
    ] });
    expect(f.segments?.map((s) => s.name)).toEqual(['Loyal <b>big</b> spenders', 'New', 'Lapsed']);
    expect(f.actions).toEqual([
      'Win back 1 contactable active buyer at high churn risk (2 buyers at high risk in all; list in churn_scores.parquet).',
      'Follow up 2 contactable prospects with a purchase probability of 50 % or more (lead_scores.parquet).',
      'Send 3 product recommendations to 2 customers (recommendations.parquet).',
      'Review the cost to serve of 2 buyers whose net contribution is negative (customer_value.parquet).',
      'Check 1 customer whose behaviour changed unusually (anomalies.parquet).',
    ]);
  });

  it('writes summary.md from the same facts', async () => {
    const md = await renderSummaryMarkdown(context([
      { name: 'ingest', status: 'success', seconds: 1.5 }, { name: 'retention', status: 'skipped', reason: 'one class only' },
    ]));
    expect(md).toBe([
      '# shop: customer analytics as of 2024-06-30', '',
      '- **5 customers**: 3 buyers, 3 contactable',
      '- **190.50 net revenue** from 4 orders (1 by guests)',
      '- **42.50 net contribution** (profit after product cost and cost to serve); expected CLV 210.00 over the 2 of 3 buyers that have one',
      '- **2 of 3 active buyers at high churn risk** (1 contactable)',
      '- Top segments by revenue: Loyal <b>big</b> spenders (70.0 %, 2 customers); New (20.0 %, 5 customers); Lapsed (6.0 %, 9 customers)', '',
      'Data quality: 2 files, 15 rows read = 12 loaded + 2 rejected (13.33 %) + 1 duplicate; 2 checks warn, 1 fail.', '',
      'Skipped stages:', '- retention: one class only', '',
      '## What to do next', '',
      '1. Win back 1 contactable active buyer at high churn risk (2 buyers at high risk in all; list in churn_scores.parquet).',
      '2. Follow up 2 contactable prospects with a purchase probability of 50 % or more (lead_scores.parquet).',
      '3. Send 3 product recommendations to 2 customers (recommendations.parquet).',
      '4. Review the cost to serve of 2 buyers whose net contribution is negative (customer_value.parquet).',
      '5. Check 1 customer whose behaviour changed unusually (anomalies.parquet).', '',
      'Stages: ingest (success), retention (skipped), report. Details in report.html.', '',
    ].join('\n'));
  });

  it('shows the same facts in the executive summary, escaped, with a monthly revenue chart', async () => {
    const content = await overviewSection.render(context());
    const html = typeof content === 'string' ? content : content.map((c) => c.html).join('');
    expect(html).toContain('Loyal &lt;b&gt;big&lt;/b&gt; spenders (70.0 % of revenue, 2 customers)');
    expect(html).not.toContain('<b>big</b>');
    expect(html).toContain('<div class="value">2 of 3</div><div class="label">active buyers at high churn risk</div>');
    expect(html).toContain('<div class="value">42.50</div><div class="label">net contribution (profit)</div>');
    expect(html).toContain('Win back 1 contactable active buyer at high churn risk');
    // May 120.50 and June 70.00 (50 − 10 + 30): two points on the line.
    expect(html).toMatch(/aria-label="month: May 2024; net revenue: 121"/);
    expect(html).toMatch(/aria-label="month: Jun 2024; net revenue: 70"/);
    expect(html).toContain('<div class="value">210.00</div><div class="label">expected CLV (2 of 3 buyers)</div>');
  });

  it('calls the CLV sum that of buyers only when every buyer has one', async () => {
    await db.run('UPDATE out_customer_value SET clv = 5 WHERE clv IS NULL');
    const md = await renderSummaryMarkdown(context());
    expect(md).toContain('(profit after product cost and cost to serve); expected CLV of buyers 215.00\n');
    const content = await overviewSection.render(context());
    const html = typeof content === 'string' ? content : content.map((c) => c.html).join('');
    expect(html).toContain('<div class="value">215.00</div><div class="label">expected CLV of buyers</div>');
  });
});
