/**
 * Cross-sell rules: what was mined (transactions, thresholds, itemsets, rules by length), the strongest rules
 * in the published order with every metric, and the item pairs that co-occur most (by lift and by support).
 */
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { basketMetrics, basketModel, fmtRatio, labelsCte } from './basket-common.js';

const TOP_RULES = 20;

export const basketRulesSection: ReportSection = {
  id: 'basket',
  title: 'Cross-sell: association rules',
  async render(ctx: ReportContext) {
    const model = await basketModel(ctx, 'association_rules');
    if (typeof model === 'string') return model;
    const m = await basketMetrics(ctx);
    const unit = model.transaction === 'order' ? 'orders' : 'customers';
    const what = model.item === 'product_id' ? 'products' : 'categories';
    const out: Html[] = [];
    const intro = `${formatNumber(model.transactions)} transactions (${unit}) over ${formatNumber(m.get('items'))} ${what}; ` +
      `an itemset is frequent in at least ${formatNumber(m.get('min_support_count'))} transactions. ` +
      `${formatNumber(model.itemsets)} frequent itemsets, ${formatNumber(model.rules)} rules` +
      (m.get('rules_published')! < model.rules ? `, the first ${formatNumber(m.get('rules_published'))} published.` : '.');
    out.push(h('p', {}, intro));
    if (model.transaction === 'customer') out.push(h('p', { class: 'meta' }, `${formatNumber(m.get('guest_orders_excluded'))} guest orders left out (no customer).`));
    if ((m.get('lines_without_item') ?? 0) > 0) out.push(h('p', { class: 'meta' }, `${formatNumber(m.get('lines_without_item'))} order lines without a category left out.`));

    const lengths = await ctx.db.all(`SELECT CAST(dimension_value AS INTEGER) AS items, value AS rules FROM out_model_metrics
                                      WHERE model = 'basket' AND metric = 'rules' AND dimension = 'rule_length' ORDER BY items`);
    if (lengths.length > 0) out.push(h('h3', {}, 'Rules by length (items in the rule)'), table([{ key: 'items', label: 'items' }, { key: 'rules', label: 'rules' }], lengths));

    const labels = await labelsCte(ctx, model);
    const rules = await ctx.db.all<Record<string, unknown> & { conviction: number }>(
      `WITH top AS (SELECT * FROM out_association_rules ORDER BY "rank" LIMIT ${TOP_RULES}),
            ${labels},
            sides AS (SELECT a."rank", string_agg(l.label, ' + ' ORDER BY a.pos) AS lhs
                      FROM (SELECT "rank", unnest(antecedent) AS item, unnest(range(1, len(antecedent) + 1)) AS pos FROM top) a
                      JOIN labels l USING (item) GROUP BY a."rank")
       SELECT t."rank", s.lhs || ' → ' || l.label AS rule, t."count", t.support, t.confidence, t.lift, t.leverage, t.conviction
       FROM top t JOIN sides s USING ("rank") JOIN labels l ON l.item = t.consequent ORDER BY t."rank"`);
    if (rules.length === 0) out.push(h('p', { class: 'empty' }, 'No rule reaches basket.min_confidence (and basket.min_lift) among the frequent itemsets.'));
    else {
      out.push(h('h3', {}, `Top rules (lift, then confidence)`), table([
        { key: 'rank', label: '#' }, { key: 'rule', label: 'rule' }, { key: 'count', label: 'transactions' },
        { key: 'support', label: 'support', digits: 4 }, { key: 'confidence', label: 'confidence', digits: 3 },
        { key: 'lift', label: 'lift', digits: 2 }, { key: 'leverage', label: 'leverage', digits: 4 }, { key: 'conviction', label: 'conviction' },
      ], rules.map((r) => ({ ...r, conviction: fmtRatio(r.conviction) }))));
    }

    const pairs = await ctx.db.all(
      `WITH ${labels}
       SELECT a.label AS item_a, b.label AS item_b, p.pair_count, p.support, p.lift, p.by_lift, p.by_support
       FROM int_basket_pairs p JOIN int_basket_items ia ON ia.item_code = p.a_code JOIN int_basket_items ib ON ib.item_code = p.b_code
       JOIN labels a ON a.item = ia.item JOIN labels b ON b.item = ib.item`);
    const pairColumns = [{ key: 'item_a', label: 'item' }, { key: 'item_b', label: 'with' }, { key: 'pair_count', label: 'transactions' },
      { key: 'support', label: 'support', digits: 4 }, { key: 'lift', label: 'lift', digits: 2 }];
    const ranked = (key: 'by_lift' | 'by_support') => pairs.filter((p) => p[key] !== null).sort((p, q) => Number(p[key]) - Number(q[key]));
    out.push(h('h3', {}, 'Items bought together: strongest pairs by lift'), table(pairColumns, ranked('by_lift')));
    out.push(h('h3', {}, 'Items bought together: most frequent pairs'), table(pairColumns, ranked('by_support')));
    return out;
  },
};
