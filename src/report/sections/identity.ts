/**
 * Identity resolution: how source identities joined into customers per source, how many identities each customer
 * has (a chart: a long tail of big clusters is the sign of over-merging), and what the guards held apart.
 */
import { barChart } from '../charts.js';
import { h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';

export const identitySection: ReportSection = {
  id: 'identity',
  title: 'Identity resolution',
  async render(ctx: ReportContext) {
    if (!(await ctx.has('customer_crosswalk'))) return 'Identity resolution did not run.';
    const bySource = await ctx.db.all(`SELECT source, count(*) AS identities, count(DISTINCT customer_key) AS customers,
                                              avg(CASE WHEN match_rule <> 'singleton' THEN 1.0 ELSE 0 END) * 100 AS matched_pct
                                       FROM out_customer_crosswalk GROUP BY source ORDER BY source`);
    const sizes = await ctx.db.all(`SELECT CASE WHEN n >= 10 THEN '10+' ELSE CAST(n AS VARCHAR) END AS identities, count(*) AS customers
                                    FROM (SELECT customer_key, count(*) AS n FROM out_customer_crosswalk GROUP BY ALL) GROUP BY ALL ORDER BY min(n)`);
    const guards = await ctx.db.all(`SELECT check_name, table_name AS key_type, value AS identifiers FROM out_data_quality
                                     WHERE check_name LIKE 'identity_guard_%' OR check_name IN ('identity_junk_identities', 'identity_unusable_emails', 'identity_unusable_phones')
                                     ORDER BY check_name, table_name`);
    return [
      table([{ key: 'source', label: 'source' }, { key: 'identities', label: 'identities' }, { key: 'customers', label: 'customers' }, { key: 'matched_pct', label: '% matched', digits: 1 }], bySource),
      await barChart(sizes.map((r) => ({ label: String(r.identities), value: Number(r.customers) })), {
        title: 'Identities per customer', labelTitle: 'source identities joined into one customer', valueTitle: 'customers', format: ',.0f',
        note: 'A customer usually has a few identities (CRM id, email, shop account, phone); a long tail of large clusters would point to over-merging.',
      }),
      h('details', {}, h('summary', {}, 'Identities per customer as a table'),
        table([{ key: 'identities', label: 'identities' }, { key: 'customers', label: 'customers' }], sizes)),
      h('h3', {}, 'Guards and unusable identifiers'),
      table([{ key: 'check_name', label: 'check' }, { key: 'key_type', label: 'about' }, { key: 'identifiers', label: 'count' }], guards),
    ];
  },
};
