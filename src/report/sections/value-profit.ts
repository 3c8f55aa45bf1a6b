/**
 * Customer profitability: how profit is made and where it is lost. A Pareto summary (share of net contribution
 * from the top 10 % / 20 % of buyers, from model_metrics), the profit deciles, and the unprofitable buyers with
 * the reason each loses money. Definitions are spelled out because "profit" means different things to people.
 */
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { kpi, NOT_BUILT, pct, stageMetrics } from './value-common.js';

const TOP_LOSSES = 20;

async function deciles(ctx: ReportContext, total: number): Promise<Html> {
  const rows = await ctx.db.all(`SELECT profit_decile, count(*) AS buyers, sum(revenue) AS revenue, sum(gross_margin) AS gross_margin,
                                        sum(cost_to_serve) AS cost_to_serve, sum(net_contribution) AS net, min(net_contribution) AS low,
                                        max(net_contribution) AS high
                                 FROM out_customer_value GROUP BY profit_decile ORDER BY profit_decile`);
  let running = 0;
  for (const r of rows) {
    running += Number(r.net);
    r.share = total > 0 ? pct(Number(r.net) / total) : '—';
    r.cumulative = total > 0 ? pct(running / total) : '—';
  }
  return table([
    { key: 'profit_decile', label: 'decile (1 = most profitable)' }, { key: 'buyers', label: 'buyers' },
    { key: 'revenue', label: 'revenue', digits: 2 }, { key: 'gross_margin', label: 'gross margin', digits: 2 },
    { key: 'cost_to_serve', label: 'cost to serve', digits: 2 }, { key: 'net', label: 'net contribution', digits: 2 },
    { key: 'share', label: 'share of profit' }, { key: 'cumulative', label: 'cumulative share' },
    { key: 'low', label: 'lowest buyer', digits: 2 }, { key: 'high', label: 'highest buyer', digits: 2 },
  ], rows);
}

async function unprofitable(ctx: ReportContext): Promise<Html[]> {
  const byReason = await ctx.db.all(`SELECT unprofitable_reason AS reason, count(*) AS buyers, -sum(net_contribution) AS loss
                                     FROM out_customer_value WHERE net_contribution < 0 GROUP BY ALL ORDER BY loss DESC, reason`);
  if (byReason.length === 0) return [h('p', { class: 'empty' }, 'No buyer has a negative net contribution.')];
  const top = await ctx.db.all(`SELECT customer_key, revenue, returns, discounts, cost_of_goods, cost_to_serve, net_contribution, unprofitable_reason
                                FROM out_customer_value WHERE net_contribution < 0 ORDER BY net_contribution, customer_key LIMIT ${TOP_LOSSES}`);
  return [
    h('p', {}, 'The reason is the largest drain on the customer\'s margin: refunded returns (returned goods are not credited back), ' +
      'discounts, or the cost to serve (emails and call minutes); "product cost" when none of those applies.'),
    table([{ key: 'reason', label: 'reason' }, { key: 'buyers', label: 'buyers' }, { key: 'loss', label: 'total loss', digits: 2 }], byReason),
    h('h3', {}, `The ${formatNumber(Math.min(TOP_LOSSES, top.length))} largest losses`),
    table([
      { key: 'customer_key', label: 'customer' }, { key: 'revenue', label: 'revenue', digits: 2 }, { key: 'returns', label: 'returns', digits: 2 },
      { key: 'discounts', label: 'discounts', digits: 2 }, { key: 'cost_of_goods', label: 'cost of goods', digits: 2 },
      { key: 'cost_to_serve', label: 'cost to serve', digits: 2 }, { key: 'net_contribution', label: 'net contribution', digits: 2 },
      { key: 'unprofitable_reason', label: 'reason' },
    ], top),
  ];
}

export const valueProfitSection: ReportSection = {
  id: 'profitability',
  title: 'Customer profitability',
  async render(ctx: ReportContext) {
    if (!(await ctx.has('customer_value'))) return NOT_BUILT;
    const m = await stageMetrics(ctx, 'value');
    const total = m.get('profit/overall/all') ?? 0;
    const out: Html[] = [
      h('p', {}, 'Net contribution = revenue − cost of goods − cost to serve, per buyer up to as_of. Revenue is net of discounts and returns; ' +
        'cost of goods uses the catalogue\'s unit cost, else revenue × (1 − value.margin_rate); cost to serve is email sends and call minutes ' +
        'at the configured costs.'),
      h('div', { class: 'kpis' },
        kpi('buyers', formatNumber(m.get('buyers/overall/all'))),
        kpi('net contribution', formatNumber(total, 2)),
        kpi('profit from the top 10 % of buyers', pct(m.get('profit_share/top_buyers_pct/10'))),
        kpi('profit from the top 20 % of buyers', pct(m.get('profit_share/top_buyers_pct/20'))),
        kpi('unprofitable buyers', formatNumber(m.get('unprofitable/overall/all'))),
        kpi('lost on them', formatNumber(m.get('loss/overall/all'), 2))),
    ];
    if (!(total > 0)) out.push(h('p', { class: 'empty' }, 'Total net contribution is not positive, so profit shares are not defined.'));
    out.push(h('h3', {}, 'Profit deciles'), await deciles(ctx, total));
    out.push(h('h3', {}, 'Unprofitable customers'), ...(await unprofitable(ctx)));
    return out;
  },
};
