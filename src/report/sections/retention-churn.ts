/**
 * Churn risk: what churn means here and how the model was checked (time-based holdout), the model against the naive
 * recency baseline — saying plainly when it does not beat it — lift and capture by decile, the features that drive
 * the tree, its rules per leaf, calibration, and the risk bands of today's active buyers. Figures come from
 * manifest.models.churn and the published model_metrics rows, never recomputed here.
 */
import { barChart } from '../charts.js';
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { decileRows, driversTable, pct, retentionMetrics, retentionModel, rulesTable, type RetentionModel } from './retention-common.js';
import { kpi } from './value-common.js';

function verdict(m: RetentionModel): Html {
  const auc = formatNumber(m.auc, 3);
  const base = formatNumber(m.baseline_auc, 3);
  const rule = `"no purchase in the last ${formatNumber(m.baseline_days)} days ⇒ churn" (N chosen on the training window)`;
  const beats = m.baseline_auc !== undefined && m.auc > m.baseline_auc;
  const text = beats
    ? `The model beats the naive baseline: holdout AUC ${auc} against ${base} for the rule ${rule}.`
    : `The model does NOT beat the naive baseline: holdout AUC ${auc} against ${base} for the rule ${rule}; treat its scores with caution.`;
  const recency = m.recency_auc === undefined ? '' : m.auc > m.recency_auc
    ? ` It also ranks better than days since the last purchase on its own (AUC ${formatNumber(m.recency_auc, 3)}).`
    : ` Ranking buyers by days since their last purchase alone gives AUC ${formatNumber(m.recency_auc, 3)}, which the tree does not beat: its few leaves rank more coarsely than a continuous recency.`;
  return h('p', { class: beats ? '' : 'status-warn' }, text + recency);
}

async function bands(ctx: ReportContext, m: RetentionModel): Promise<Html> {
  const rows = await ctx.db.all<{ band: string; customers: number; p: number }>(
    `SELECT risk_band AS band, count(*) AS customers, avg(churn_probability) AS p FROM out_churn_scores GROUP BY ALL ORDER BY p DESC`);
  const cut = m.risk_bands ?? { high: 0.5, medium: 0.2 };
  const rule: Record<string, string> = { high: `≥ ${cut.high}`, medium: `${cut.medium} – ${cut.high}`, low: `< ${cut.medium}` };
  return table([
    { key: 'band', label: 'risk band' }, { key: 'rule', label: 'churn probability' }, { key: 'customers', label: 'active buyers' },
    { key: 'mean', label: 'mean probability' },
  ], rows.map((r) => ({ band: r.band, rule: rule[r.band] ?? '', customers: r.customers, mean: pct(r.p) })));
}

async function calibration(ctx: ReportContext): Promise<Html> {
  const m = await retentionMetrics(ctx, 'churn', 'calibration_bin');
  const bins = [...(m.get('count')?.keys() ?? [])].sort().filter((b) => (m.get('count')?.get(b) ?? 0) > 0);
  return table([
    { key: 'bin', label: 'predicted probability' }, { key: 'count', label: 'holdout buyers' },
    { key: 'predicted', label: 'mean predicted' }, { key: 'observed', label: 'observed churn rate' },
  ], bins.map((b) => ({ bin: b, count: m.get('count')?.get(b) ?? 0, predicted: pct(m.get('mean_score')?.get(b)), observed: pct(m.get('observed_rate')?.get(b)) })));
}

export const retentionChurnSection: ReportSection = {
  id: 'churn',
  title: 'Churn risk',
  async render(ctx: ReportContext) {
    const m = await retentionModel(ctx, 'churn', 'churn_scores');
    if (typeof m === 'string') return m;
    const [high] = await ctx.db.all<{ n: number }>(`SELECT count(*) AS n FROM out_churn_scores WHERE risk_band = 'high'`);
    const current = new Map((await ctx.db.all<{ leaf: number; n: number }>('SELECT leaf_id AS leaf, count(*) AS n FROM out_churn_scores GROUP BY ALL'))
      .map((r) => [Number(r.leaf), Number(r.n)]));
    const deciles = await decileRows(ctx, 'churn');
    const h2 = m.horizon_days;
    return [
      h('p', {}, `An active buyer (a completed order in the ${formatNumber(m.active_days)} days up to a cutoff) churns when they make no purchase in the ` +
        `next ${h2} days. The tree was grown on buyers as of ${m.cutoffs.train} (labels up to ${m.cutoffs.valid}: ${formatNumber(m.train.rows)} buyers, ` +
        `${pct(m.train.positives / m.train.rows)} churned), pruned and checked on buyers as of ${m.cutoffs.valid} (labels up to ${m.cutoffs.score}: ` +
        `${formatNumber(m.valid.rows)} buyers, ${pct(m.valid.positives / m.valid.rows)} churned), then refit on that latest window and applied to ` +
        `the ${formatNumber(m.scored)} active buyers of ${m.cutoffs.score}. Customers who opted out of profiling are left out. ` +
        'The holdout window also chose the pruning level, so its figures are slightly optimistic.'),
      h('div', { class: 'kpis' }, kpi('active buyers scored', formatNumber(m.scored)), kpi('at high risk', formatNumber(high?.n)),
        kpi('holdout AUC', formatNumber(m.auc, 3)), kpi('baseline AUC', formatNumber(m.baseline_auc, 3)),
        kpi('lift in the top decile', formatNumber(m.lift_top_decile, 2))),
      verdict(m),
      h('p', {}, `At the threshold chosen on the training window (churn probability ≥ ${formatNumber(m.threshold, 3)}), the holdout precision is ` +
        `${pct(m.precision)} and the recall ${pct(m.recall)}; the top 10 % of buyers by score hold ${pct(m.capture_top_decile)} of the churners.`),
      h('h3', {}, 'Risk bands today'), await bands(ctx, m),
      await barChart(deciles.map((d) => ({ label: `D${d.decile}`, value: Number.isFinite(d.lift) ? d.lift : 0 })), {
        title: 'Lift by score decile (holdout)', labelTitle: 'decile (D1 = highest churn score)', valueTitle: 'churn rate / overall rate', format: '.2f',
        note: 'A tied score that straddles a decile boundary is shared between the deciles pro rata.',
      }),
      table([
        { key: 'decile', label: 'decile' }, { key: 'rows', label: 'buyers' }, { key: 'rate', label: 'churn rate' },
        { key: 'lift', label: 'lift', digits: 2 }, { key: 'capture', label: 'cumulative capture' },
      ], deciles),
      h('h3', {}, 'Top drivers'), driversTable(m),
      h('h3', {}, 'Rules (one per leaf of the published tree)'), rulesTable(m, current, 'churn rate'),
      h('h3', {}, 'Calibration on the holdout'), await calibration(ctx),
    ];
  },
};
