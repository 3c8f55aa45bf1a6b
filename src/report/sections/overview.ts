/**
 * Executive summary: the headline numbers a manager reads first, what to do next, and net revenue by month. The
 * figures come from headline.ts (shared with summary.md, so the two never disagree); profit, churn risk and
 * segments appear only when this run built their tables.
 */
import { lineChart } from '../charts.js';
import { computeHeadline, type Headline } from '../headline.js';
import { formatNumber, h, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';

function kpi(label: string, value: string): Html {
  return h('div', { class: 'kpi' }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

const pct = (share: number): string => `${formatNumber(share * 100, 1)} %`;

function kpis(f: Headline): Html {
  const items: Html[] = [];
  if (f.people) {
    items.push(kpi('customers', formatNumber(f.people.customers)), kpi('buyers', formatNumber(f.people.buyers)),
      kpi('contactable', formatNumber(f.people.contactable)), kpi('net revenue', formatNumber(f.people.revenue, 2)),
      kpi('orders', formatNumber(f.people.orders)), kpi('guest orders', formatNumber(f.people.guestOrders)));
  }
  if (f.value) {
    items.push(kpi('net contribution (profit)', formatNumber(f.value.netContribution, 2)));
    if (f.value.clv !== null) {
      const of = f.value.clvBuyers === f.value.buyers ? 'of buyers' : `(${formatNumber(f.value.clvBuyers)} of ${formatNumber(f.value.buyers)} buyers)`;
      items.push(kpi(`expected CLV ${of}`, formatNumber(f.value.clv, 2)));
    }
  }
  if (f.churn) items.push(kpi('active buyers at high churn risk', `${formatNumber(f.churn.high)} of ${formatNumber(f.churn.scored)}`));
  return h('div', { class: 'kpis' }, ...items);
}

function findings(f: Headline): Html[] {
  const lines: string[] = [];
  if (f.segments?.length) {
    lines.push(`Top segments by revenue: ${f.segments.map((s) => `${s.name} (${pct(s.revenueShare)} of revenue, ${formatNumber(s.customers)} customers)`).join('; ')}.`);
  }
  if (f.churn?.bands.length) {
    lines.push(`Churn risk of active buyers: ${f.churn.bands.map((b) => `${b.band} ${formatNumber(b.customers)} (mean ${pct(b.meanProbability)})`).join(', ')}.`);
  }
  const q = f.quality;
  const count = (n: number, noun: string): string => `${formatNumber(n)} ${noun}${n === 1 ? '' : 's'}`;
  lines.push(`Data: ${count(q.read, 'row')} read from ${count(q.files, 'file')}; ${formatNumber(q.rejected)} rejected, ${count(q.duplicate, 'duplicate')}`
    + (q.warnings || q.failures ? `; ${count(q.warnings, 'check')} warn, ${formatNumber(q.failures)} fail.` : '; every check passed.'));
  for (const s of f.skipped) lines.push(`Stage ${s.name} was skipped: ${s.reason}`);
  const out = [h('ul', { class: 'headline' }, ...lines.map((l) => h('li', {}, l)))];
  if (f.actions.length) out.push(h('h3', {}, 'What to do next'), h('ol', { class: 'headline' }, ...f.actions.map((a) => h('li', {}, a))));
  return out;
}

async function revenueByMonth(ctx: ReportContext): Promise<Html> {
  const rows = await ctx.db.all(`SELECT strftime(date_trunc('month', ordered_at), '%Y-%m-%d') AS month, sum(revenue) AS revenue
                                 FROM out_orders WHERE ordered_at >= date_trunc('month', CAST($as_of AS DATE) - INTERVAL 23 MONTH)
                                 GROUP BY ALL ORDER BY month`, { as_of: ctx.asOf });
  return lineChart(rows.map((r) => ({ x: String(r.month), y: Number(r.revenue) })), {
    title: 'Net revenue by month (last 24 months, guests included)', xTitle: 'month', yTitle: 'net revenue', xType: 'temporal', monthly: true, format: ',.0f',
    note: ctx.asOf.endsWith(monthEnd(ctx.asOf)) ? undefined : 'The last month is partial: it ends at as_of.',
  });
}

/** The day of month that ends as_of's month, as 'DD', to tell a partial last month. */
function monthEnd(asOf: string): string {
  const [y, m] = asOf.split('-').map(Number);
  return String(new Date(Date.UTC(y ?? 1970, m ?? 1, 0)).getUTCDate()).padStart(2, '0');
}

export const overviewSection: ReportSection = {
  id: 'summary',
  title: 'Executive summary',
  async render(ctx: ReportContext) {
    const facts = await computeHeadline(ctx);
    if (!facts.people) return 'No customers were resolved in this run.';
    return [kpis(facts), ...findings(facts), await revenueByMonth(ctx)];
  },
};
