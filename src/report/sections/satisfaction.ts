/**
 * Customer satisfaction: the phone figures (calls, complaint rate, first-contact resolution, the CSAT
 * distribution, reasons overall and by customer group, churn by CSAT band) and the email campaigns' unsubscribes and
 * complaints, all from the model_metrics rows the satisfaction stage wrote. The definitions are printed next to the
 * numbers because "FCR" and "complaint rate" mean different things in different call centres.
 */
import { barChart } from '../charts.js';
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import type { SatisfactionModel } from '../../stages/satisfaction/index.js';
import { kpi, pct } from './value-common.js';
import { campaigns, churnByBand, reasonsByGroup, satisfactionRows, segmentNames, type MetricRow } from './satisfaction-tables.js';

async function phone(ctx: ReportContext, rows: readonly MetricRow[], model: SatisfactionModel): Promise<Html[]> {
  const get = (metric: string, dimension = 'overall', value = 'all'): number | undefined =>
    rows.find((r) => r.metric === metric && r.dimension === dimension && r.dimension_value === value)?.value;
  const calls = get('calls') ?? 0;
  if (calls === 0) return [h('p', { class: 'empty' }, `No phone calls in the last ${model.period_days} days.`)];
  const out: Html[] = [
    h('div', { class: 'kpis' },
      kpi('calls', formatNumber(calls)), kpi('complaint rate', pct(get('complaint_rate'))),
      kpi('mean CSAT (1–5)', formatNumber(get('csat_mean'), 2)), kpi('first-contact resolution', pct(get('fcr_rate')))),
    h('p', { class: 'meta' }, `Calls in the last ${model.period_days} days up to as_of (satisfaction.period_days), anonymous ones included. ` +
      `Complaint rate = calls with reason complaint / calls. First-contact resolution = first contacts marked resolved with no ` +
      `call from the same customer about the same reason in the next ${model.fcr_window_days} days / first contacts; a first ` +
      `contact is a call with no call about the same reason in the ${model.fcr_window_days} days before it (identified callers ` +
      `with a known resolved flag and a complete follow-up window: ${formatNumber(get('first_contacts'))}).`),
  ];
  const scores = [1, 2, 3, 4, 5].map((s) => ({ label: String(s), value: get('csat_responses', 'csat', String(s)) ?? 0 }));
  const rated = scores.reduce((s, r) => s + r.value, 0);
  if (rated === 0) out.push(h('p', { class: 'empty' }, 'No call has a CSAT score.'));
  else {
    out.push(await barChart(scores, { title: 'CSAT scores', labelTitle: 'CSAT', valueTitle: 'rated calls', format: ',.0f',
      note: `${formatNumber(rated)} of ${formatNumber(calls)} calls rated (${pct(rated / calls)}).` }));
    out.push(table([{ key: 'label', label: 'CSAT' }, { key: 'value', label: 'calls' }, { key: 'share', label: 'share' }],
      scores.map((s) => ({ ...s, share: pct(s.value / rated) }))));
  }
  const reasons = rows.filter((r) => r.dimension === 'reason' && r.metric === 'calls').sort((a, b) => b.value - a.value || a.dimension_value.localeCompare(b.dimension_value));
  out.push(h('h3', {}, 'Call reasons'), table([
    { key: 'reason', label: 'reason' }, { key: 'calls', label: 'calls' }, { key: 'share', label: 'share' }, { key: 'csat', label: 'mean CSAT', digits: 2 },
  ], reasons.map((r) => ({ reason: r.dimension_value, calls: r.value, share: pct(r.value / calls), csat: get('csat_mean', 'reason', r.dimension_value) ?? null }))));
  const names = reasons.map((r) => r.dimension_value);
  const segments = model.groups.includes('segment') ? await segmentNames(ctx) : new Map<string, string>();
  for (const dimension of model.groups) out.push(...reasonsByGroup(rows, dimension, names, dimension === 'segment' ? segments : undefined));
  if (model.groups.length === 0) out.push(h('p', { class: 'meta' }, 'No segments, RFM segments or churn scores in this run to break the calls down by.'));
  out.push(...churnByBand(rows, model.churn_horizon_days));
  return out;
}

export const satisfactionSection: ReportSection = {
  id: 'satisfaction',
  title: 'Customer satisfaction',
  async render(ctx: ReportContext) {
    const record = ctx.stages.find((s) => s.name === 'satisfaction');
    if (record?.status === 'skipped') return `The satisfaction stage was skipped: ${record.reason ?? 'no reason given'}.`;
    const model = ctx.models.satisfaction as SatisfactionModel | undefined;
    if (!model) return 'The satisfaction stage did not run in this run.';
    const rows = await satisfactionRows(ctx);
    const out: Html[] = [h('h3', {}, 'Phone')];
    if (model.phone) out.push(...(await phone(ctx, rows, model)));
    else out.push(h('p', { class: 'empty' }, 'No phone data: CSAT, complaints, first-contact resolution and churn by CSAT band cannot be shown.'));
    if (model.email) out.push(...campaigns(rows));
    else out.push(h('h3', {}, 'Email'), h('p', { class: 'empty' }, 'No email data: campaign unsubscribes and complaints cannot be shown.'));
    return out;
  },
};
