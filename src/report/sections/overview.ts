/** Executive summary: the headline numbers a manager reads first. */
import { formatNumber, h, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';

function kpi(label: string, value: string): Html {
  return h('div', { class: 'kpi' }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

export const overviewSection: ReportSection = {
  id: 'summary',
  title: 'Executive summary',
  async render(ctx: ReportContext) {
    if (!(await ctx.has('customers'))) return 'No customers were resolved in this run.';
    const [c] = await ctx.db.all(`SELECT count(*) AS customers, count(*) FILTER (WHERE is_buyer) AS buyers,
                                         count(*) FILTER (WHERE is_contactable) AS contactable FROM out_customers`);
    const [o] = await ctx.db.all(`SELECT coalesce(sum(revenue), 0) AS revenue, count(DISTINCT (source, order_id)) AS orders,
                                         count(DISTINCT (source, order_id)) FILTER (WHERE customer_key IS NULL) AS guest_orders FROM out_orders`);
    const items = [
      kpi('customers', formatNumber(c?.customers)),
      kpi('buyers', formatNumber(c?.buyers)),
      kpi('contactable', formatNumber(c?.contactable)),
      kpi('net revenue', formatNumber(o?.revenue, 2)),
      kpi('orders', formatNumber(o?.orders)),
      kpi('guest orders', formatNumber(o?.guest_orders)),
    ];
    return [h('div', { class: 'kpis' }, ...items)];
  },
};
