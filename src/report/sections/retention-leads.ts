/**
 * Lead scores: prospects (engagement but no completed order) ranked by the probability of a first purchase within
 * the horizon, from a tree checked on a time-based holdout like the churn model. Says why when the model was left
 * out (too few prospects or first purchases), shows how many prospects are worth a call and may be contacted, the
 * holdout figures, the drivers and the rules.
 */
import { formatNumber, h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { decileRows, driversTable, pct, retentionModel, rulesTable } from './retention-common.js';
import { kpi } from './value-common.js';

export const retentionLeadsSection: ReportSection = {
  id: 'leads',
  title: 'Lead scores',
  async render(ctx: ReportContext) {
    const m = await retentionModel(ctx, 'lead', 'lead_scores');
    if (typeof m === 'string') return m;
    if (m.skipped) return `The lead model was not fitted: ${m.reason ?? 'no reason given'}. Churn scores are unaffected; lead_scores is empty.`;
    // Leaves at least twice as likely to buy as the average prospect: the list worth working first.
    const hotLeaves = m.rules.filter((r) => r.lift >= 2).map((r) => r.leaf);
    const [t] = await ctx.db.all<{ n: number; contactable: number; hot: number; hot_contactable: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE is_contactable) AS contactable,
              count(*) FILTER (WHERE list_contains($leaves, CAST(leaf_id AS DOUBLE))) AS hot,
              count(*) FILTER (WHERE list_contains($leaves, CAST(leaf_id AS DOUBLE)) AND is_contactable) AS hot_contactable
       FROM out_lead_scores`, { leaves: hotLeaves.length > 0 ? hotLeaves : [-1] });
    const current = new Map((await ctx.db.all<{ leaf: number; n: number }>('SELECT leaf_id AS leaf, count(*) AS n FROM out_lead_scores GROUP BY ALL'))
      .map((r) => [Number(r.leaf), Number(r.n)]));
    const deciles = await decileRows(ctx, 'lead');
    return [
      h('p', {}, `A prospect has engaged (an email open or click, a web session or a call) but never completed an order; the label is a first ` +
        `purchase in the next ${m.horizon_days} days. Grown on prospects as of ${m.cutoffs.train} (${formatNumber(m.train.rows)}, ` +
        `${formatNumber(m.train.positives)} bought), checked on prospects as of ${m.cutoffs.valid} (${formatNumber(m.valid.rows)}, ` +
        `${formatNumber(m.valid.positives)} bought), refit on that window and applied to the prospects of ${m.cutoffs.score}. ` +
        'Prospects who may not be contacted are kept and flagged (is_contactable), so the list can be filtered.'),
      h('div', { class: 'kpis' }, kpi('prospects scored', formatNumber(t?.n)), kpi('contactable', formatNumber(t?.contactable)),
        kpi('in leaves with lift ≥ 2', formatNumber(t?.hot)), kpi('of them contactable', formatNumber(t?.hot_contactable)),
        kpi('holdout AUC', formatNumber(m.auc, 3))),
      h('p', {}, `On the holdout, precision ${pct(m.precision)} and recall ${pct(m.recall)} at purchase probability ≥ ${formatNumber(m.threshold, 3)} ` +
        '(the threshold with the best F1 on the training window); ' +
        `the top 10 % of prospects by score hold ${pct(m.capture_top_decile)} of the first purchases (lift ${formatNumber(m.lift_top_decile, 2)}).`),
      table([
        { key: 'decile', label: 'decile' }, { key: 'rows', label: 'prospects' }, { key: 'rate', label: 'first-purchase rate' },
        { key: 'lift', label: 'lift', digits: 2 }, { key: 'capture', label: 'cumulative capture' },
      ], deciles),
      h('h3', {}, 'Top drivers'), driversTable(m),
      h('h3', {}, 'Rules (one per leaf)'), rulesTable(m, current, 'first-purchase rate'),
    ];
  },
};
