/**
 * RFM: the recency × frequency grid of buyer counts, and the segment rule table (printed from the very table the
 * stage joins, src/analytics/rfm-segments.ts) with each segment's buyers, revenue and profit.
 */
import { RFM_SEGMENTS } from '../../analytics/rfm-segments.js';
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { NOT_BUILT, pct } from './value-common.js';

const range = ([lo, hi]: readonly [number, number]): string => (lo === hi ? String(lo) : `${lo}–${hi}`);

async function grid(ctx: ReportContext): Promise<Html> {
  const rows = await ctx.db.all<{ r: number; f: number; n: number }>(
    'SELECT r_score AS r, f_score AS f, count(*) AS n FROM out_customer_value GROUP BY ALL',
  );
  const count = new Map(rows.map((x) => [`${x.r}/${x.f}`, x.n]));
  const head = h('tr', {}, h('th', {}, 'R \\ F'), ...[1, 2, 3, 4, 5].map((f) => h('th', {}, `F ${f}`)));
  const body = [5, 4, 3, 2, 1].map((r) =>
    h('tr', {}, h('th', {}, `R ${r}`), ...[1, 2, 3, 4, 5].map((f) => h('td', { class: 'num' }, formatNumber(count.get(`${r}/${f}`) ?? 0)))));
  return h('table', {}, h('thead', {}, head), h('tbody', {}, ...body));
}

export const valueRfmSection: ReportSection = {
  id: 'rfm',
  title: 'RFM segments',
  async render(ctx: ReportContext) {
    if (!(await ctx.has('customer_value'))) return NOT_BUILT;
    const stats = await ctx.db.all<{ rfm_segment: string; buyers: number; revenue: number; profit: number }>(
      `SELECT rfm_segment, count(*) AS buyers, sum(revenue) AS revenue, sum(net_contribution) AS profit FROM out_customer_value GROUP BY ALL`,
    );
    const total = stats.reduce((s, r) => s + r.buyers, 0);
    const totalRevenue = stats.reduce((s, r) => s + r.revenue, 0);
    const bySegment = new Map(stats.map((s) => [s.rfm_segment, s]));
    const rules = RFM_SEGMENTS.map((rule) => {
      const s = bySegment.get(rule.name);
      return {
        segment: rule.name, r: range(rule.r), f: range(rule.f), meaning: rule.meaning, buyers: s?.buyers ?? 0,
        share: pct(total > 0 ? (s?.buyers ?? 0) / total : null),
        revenue_share: pct(totalRevenue > 0 ? (s?.revenue ?? 0) / totalRevenue : null),
        avg_profit: s ? s.profit / s.buyers : null,
      };
    });
    return [
      h('p', {}, 'R, F and M are quintiles 1–5 among buyers (5 = most recent, most orders, highest net revenue). Buyers are ordered by ' +
        'the value and then by customer_key and cut into five groups as equal as possible, so equal values may land in adjacent ' +
        'scores, always the same way. Segments use R and F only; M stays visible in rfm_code.'),
      h('h3', {}, 'Buyers by recency (rows) and frequency (columns)'),
      await grid(ctx),
      h('h3', {}, 'Segment rules'),
      table([
        { key: 'segment', label: 'segment' }, { key: 'r', label: 'R' }, { key: 'f', label: 'F' }, { key: 'meaning', label: 'meaning' },
        { key: 'buyers', label: 'buyers' }, { key: 'share', label: 'share of buyers' }, { key: 'revenue_share', label: 'share of revenue' },
        { key: 'avg_profit', label: 'mean net contribution', digits: 2 },
      ], rules),
    ];
  },
};
