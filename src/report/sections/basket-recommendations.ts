/**
 * Next-best product: how many buyers can be reached (contactable, not opted out of profiling) and how many got
 * a recommendation, and the products recommended most. The score is confidence × lift of the best applicable
 * rule (docs/decisions.md).
 */
import { formatNumber, h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { basketMetrics, basketModel, labelsCte } from './basket-common.js';

const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—');

export const basketRecommendationsSection: ReportSection = {
  id: 'recommendations',
  title: 'Cross-sell: next-best product',
  async render(ctx: ReportContext) {
    const model = await basketModel(ctx, 'recommendations');
    if (typeof model === 'string') return model;
    if (model.item !== 'product_id') return 'Recommendations need product rules; this run mined categories (basket.item: category).';
    const m = await basketMetrics(ctx);
    const get = (k: string): number => m.get(k) ?? 0;
    const coverage = [
      { group: 'buyers up to as_of', customers: get('buyers'), share: '' },
      { group: 'not contactable (no recommendations)', customers: get('buyers_not_contactable'), share: pct(get('buyers_not_contactable'), get('buyers')) },
      { group: 'opted out of profiling (no recommendations)', customers: get('buyers_profiling_opt_out'), share: pct(get('buyers_profiling_opt_out'), get('buyers')) },
      { group: 'eligible', customers: get('buyers_eligible'), share: pct(get('buyers_eligible'), get('buyers')) },
      { group: 'with at least one recommendation', customers: get('customers_recommended'), share: pct(get('customers_recommended'), get('buyers_eligible')) + ' of eligible' },
    ];
    const intro = h('p', {}, `${formatNumber(get('recommendations'))} recommendations of ${formatNumber(get('products_recommended'))} products. ` +
      'A rule applies when the customer has bought every item on its left and not the one on its right; score = confidence × lift.');
    const labels = await labelsCte(ctx, model);
    const top = await ctx.db.all(
      `WITH ${labels}
       SELECT l.label AS product, count(*) AS customers, count(*) FILTER (WHERE r."rank" = 1) AS first_choice, avg(r.score) AS mean_score
       FROM out_recommendations r JOIN labels l ON l.item = r.product_id
       GROUP BY l.label ORDER BY customers DESC, product LIMIT 15`);
    return [
      intro,
      table([{ key: 'group', label: '' }, { key: 'customers', label: 'customers' }, { key: 'share', label: 'share' }], coverage),
      ...(top.length > 0
        ? [h('h3', {}, 'Products recommended most'), table([{ key: 'product', label: 'product' }, { key: 'customers', label: 'customers' },
            { key: 'first_choice', label: 'as first choice' }, { key: 'mean_score', label: 'mean score', digits: 2 }], top)]
        : [h('p', { class: 'empty' }, 'No eligible customer has bought the left side of a rule without its right side.')]),
    ];
  },
};
