/**
 * Customer lifetime value: whether the BG/NBD and Gamma-Gamma models were fitted (and why not), their parameters,
 * the distribution of CLV and p_alive over buyers, and the holdout check — predicted against actual repeat
 * purchases after calibration_end by calibration frequency, the standard calibration/holdout table.
 */
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { kpi, NOT_BUILT, stageMetrics } from './value-common.js';

interface ClvModel {
  time_unit: string;
  converged: boolean;
  bgnbd: Record<string, number> | null;
  gamma_gamma: Record<string, number> | null;
  reason?: string;
  notes?: string[];
}

/** Parameters on a likelihood ridge run to 1e−6 or 1e6: fixed decimals would print 0.0000, so those get exponents. */
function estimate(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v) || v === 0 || (Math.abs(v) >= 1e-2 && Math.abs(v) < 1e6)) return formatNumber(v, 4);
  return v.toExponential(3);
}

function parameters(model: ClvModel, m: Map<string, number>): Html {
  const rows: Record<string, unknown>[] = [];
  for (const [name, fit] of [['BG/NBD', 'bgnbd'], ['Gamma-Gamma', 'gamma_gamma']] as const) {
    const params = model[fit];
    if (!params) continue;
    for (const [p, value] of Object.entries(params)) {
      if (p === 'loglik') continue;
      rows.push({ model: name, parameter: p, value: estimate(value), se: estimate(m.get(`${fit}_${p}_se/overall/all`)) });
    }
    rows.push({ model: name, parameter: 'log-likelihood', value: formatNumber(params.loglik, 2), se: '' });
  }
  return table([{ key: 'model', label: 'model' }, { key: 'parameter', label: 'parameter' }, { key: 'value', label: 'estimate' }, { key: 'se', label: 'std. error' }], rows);
}

async function holdout(ctx: ReportContext, m: Map<string, number>, model: ClvModel): Promise<Html[]> {
  if (!m.has('holdout_mae/overall/all')) {
    return [h('p', { class: 'empty' }, model.bgnbd
      ? 'No holdout check: value.clv.calibration_end is as_of. Set it a few months earlier to compare predictions with what customers then did.'
      : 'No holdout check: the purchase model was not fitted.')];
  }
  const rows = await ctx.db.all(`SELECT dimension_value AS bucket,
           max(value) FILTER (WHERE metric = 'holdout_customers') AS customers,
           max(value) FILTER (WHERE metric = 'holdout_actual_mean') AS actual,
           max(value) FILTER (WHERE metric = 'holdout_predicted_mean') AS predicted
    FROM out_model_metrics WHERE model = 'clv' AND dimension = 'calibration_frequency'
    GROUP BY dimension_value ORDER BY CASE WHEN bucket = '7+' THEN 99 ELSE CAST(bucket AS INTEGER) END`);
  const total = (k: string): string => formatNumber(m.get(`${k}/overall/all`), 1);
  return [
    h('p', {}, `Holdout of ${formatNumber(m.get('holdout_days/overall/all'))} days after calibration_end: ${formatNumber(m.get('holdout_customers/overall/all'))} customers made ` +
      `${total('holdout_actual_total')} repeat purchases; the model predicted ${total('holdout_predicted_total')}. ` +
      `Mean absolute error per customer: ${formatNumber(m.get('holdout_mae/overall/all'), 3)} purchases.`),
    table([
      { key: 'bucket', label: 'repeat purchases in calibration' }, { key: 'customers', label: 'customers' },
      { key: 'actual', label: 'actual mean in holdout', digits: 3 }, { key: 'predicted', label: 'predicted mean in holdout', digits: 3 },
    ], rows),
  ];
}

export const valueClvSection: ReportSection = {
  id: 'clv',
  title: 'Customer lifetime value',
  async render(ctx: ReportContext) {
    if (!(await ctx.has('customer_value'))) return NOT_BUILT;
    const model = ctx.models.clv as ClvModel | undefined;
    if (!model) return NOT_BUILT;
    const m = await stageMetrics(ctx, 'clv');
    const out: Html[] = [h('p', {}, 'A transaction is a day with positive net revenue; BG/NBD predicts how many more a buyer makes and whether they are still ' +
      `active (p_alive), Gamma-Gamma how much each is worth (repeat buyers only). Time unit: ${model.time_unit}. CLV is the expected margin ` +
      `(at a margin rate of ${formatNumber((m.get('margin_rate/overall/all') ?? 0) * 100, 1)} %) over the horizon, discounted monthly.`)];
    if (!model.converged) {
      out.push(h('p', { class: 'status-warn' }, `The CLV model was not published in full: ${model.reason ?? 'not converged'}. ` +
        (model.bgnbd ? 'clv is NULL in customer_value; p_alive and expected_purchases come from the fitted purchase model.' : 'p_alive, expected_purchases and clv are NULL in customer_value.')));
    }
    if (model.notes?.length) {
      // A converged fit's caveats: weakly identified parameters (no standard error, shown as —) and customers the
      // spend model cannot value.
      out.push(h('p', {}, 'Notes on this fit:'), h('ul', { class: 'clv-notes' }, ...model.notes.map((n) => h('li', {}, n))));
    }
    if (model.bgnbd || model.gamma_gamma) out.push(h('h3', {}, 'Fitted parameters'), parameters(model, m));
    const q = await ctx.db.all(`SELECT dimension_value AS quantile, max(value) FILTER (WHERE metric = 'clv') AS clv, max(value) FILTER (WHERE metric = 'p_alive') AS p_alive
                                FROM out_model_metrics WHERE model = 'clv' AND dimension = 'quantile' GROUP BY dimension_value ORDER BY CAST(quantile AS DOUBLE)`);
    const [sum] = await ctx.db.all(`SELECT count(clv) AS n, sum(clv) AS total, avg(p_alive) AS p_alive, count(*) FILTER (WHERE clv_frequency IS NULL) AS no_tx FROM out_customer_value`);
    if (Number(sum?.n) > 0 || q.some((r) => r.p_alive !== null)) {
      out.push(h('div', { class: 'kpis' }, kpi('buyers with a CLV', formatNumber(sum?.n)), kpi('total CLV', formatNumber(sum?.total, 2)),
        kpi('mean p_alive', formatNumber(sum?.p_alive, 3))));
      out.push(h('h3', {}, 'Distribution over buyers'), table([
        { key: 'quantile', label: 'quantile' }, { key: 'clv', label: 'CLV', digits: 2 }, { key: 'p_alive', label: 'p_alive', digits: 3 },
      ], q));
    }
    if (Number(sum?.no_tx) > 0) out.push(h('p', { class: 'meta' }, `${formatNumber(sum?.no_tx)} buyers have no day with positive net revenue (everything returned or free), so no CLV.`));
    out.push(h('h3', {}, 'Holdout check'), ...(await holdout(ctx, m, model)));
    return out;
  },
};
