/**
 * Cohort retention: the share of each monthly acquisition cohort (month of the first completed order) that bought
 * again in each later month, as a heatmap (cohorts down, months since the first purchase across), plus the cohort
 * sizes. Read from out_cohort_retention; the latest 36 cohorts at most, so the grid stays legible.
 */
import { heatmap } from '../charts.js';
import { formatNumber, h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { pct } from './retention-common.js';

const MAX_COHORTS = 36;

export const retentionCohortsSection: ReportSection = {
  id: 'cohorts',
  title: 'Cohort retention',
  async render(ctx: ReportContext) {
    const record = ctx.stages.find((s) => s.name === 'retention');
    if (record?.status === 'skipped') return `The retention stage was skipped: ${record.reason ?? 'no reason given'}.`;
    if (!(await ctx.has('cohort_retention'))) return 'The retention stage did not run in this run.';
    const rows = await ctx.db.all<{ cohort: string; k: number; customers: number; retained: number; rate: number }>(
      `WITH recent AS (SELECT DISTINCT cohort_month FROM out_cohort_retention ORDER BY cohort_month DESC LIMIT ${MAX_COHORTS})
       SELECT strftime(cohort_month, '%Y-%m') AS cohort, months_since_first AS k, customers, retained, retention_rate AS rate
       FROM out_cohort_retention JOIN recent USING (cohort_month) ORDER BY cohort_month, k`);
    if (rows.length === 0) return 'No identified customer has a completed order up to as_of, so there are no cohorts.';
    const cohorts = [...new Set(rows.map((r) => r.cohort))];
    const maxK = Math.max(...rows.map((r) => r.k));
    const sizes = cohorts.map((c) => {
      const first = rows.find((r) => r.cohort === c && r.k === 1);
      return { cohort: c, customers: rows.find((r) => r.cohort === c)!.customers, month1: first ? pct(first.rate) : '—' };
    });
    return [
      h('p', {}, 'Each row is the buyers whose first completed order fell in that month; each cell the share of them who completed an ' +
        `order in the month that many months later (month 0 is 100 % by definition). The last column of each row is ${ctx.asOf.slice(0, 7)}, ` +
        'partial unless as_of is a month end. Guests are left out: they have no history to follow.'),
      await heatmap(rows.filter((r) => r.k > 0).map((r) => ({ x: String(r.k), y: r.cohort, value: r.rate })), {
        title: 'Share of each cohort buying again, by months since the first purchase', xTitle: 'months since first purchase', yTitle: 'cohort',
        valueTitle: 'retained', format: '.0%', xOrder: Array.from({ length: maxK }, (_, i) => String(i + 1)), yOrder: cohorts,
      }),
      h('h3', {}, 'Cohort sizes'),
      table([{ key: 'cohort', label: 'cohort' }, { key: 'customers', label: 'buyers' }, { key: 'month1', label: 'bought again in month 1' }], sizes),
      h('p', { class: 'meta' }, `${formatNumber(cohorts.length)} cohorts shown; every cell is in cohort_retention.parquet.`),
    ];
  },
};
