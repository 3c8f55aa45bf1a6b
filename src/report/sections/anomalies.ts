/**
 * Deviations worth a call: how many customers were judged and against whom, how many rows each metric flagged and
 * published (from model_metrics, the figures the stage wrote), and the strongest anomalies with their one-line
 * explanations. Says plainly when the stage did not run, was skipped, or found nothing.
 */
import { barChart } from '../charts.js';
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import { segmentNames } from './satisfaction-tables.js';
import { stageMetrics } from './value-common.js';

const TOP = 25;

/** What each metric compares, for readers of the table (keep in step with int_anomaly_deviations.sql). */
const METRICS: readonly [string, string][] = [
  ['order_frequency', 'completed orders in the window vs the usual number per window (a fall)'],
  ['spend', 'spend in the window vs what that many usual orders come to (a fall)'],
  ['order_value', 'the largest order in the window vs the largest before it (a rise)'],
  ['return_rate', 'refunds vs the value ordered in the window, against the usual return rate (a rise)'],
  ['service_escalation', 'complaint or long calls in the service window vs the usual number (a rise)'],
];

interface AnomaliesModel { peer_groups: 'segments' | 'all'; threshold: number; judged_customers: number; flagged: number; published: number }

export const anomaliesSection: ReportSection = {
  id: 'anomalies',
  title: 'Anomalies: customers who changed',
  async render(ctx: ReportContext) {
    const record = ctx.stages.find((s) => s.name === 'anomalies');
    if (record?.status === 'skipped') return `The anomalies stage was skipped: ${record.reason ?? 'no reason given'}.`;
    const model = ctx.models.anomalies as AnomaliesModel | undefined;
    if (!model || !(await ctx.has('anomalies'))) return 'The anomalies stage did not run in this run.';

    const m = await stageMetrics(ctx, 'anomalies');
    const peers = model.peer_groups === 'segments' ? 'the other customers of their segment' : 'all judged customers';
    const out: Html[] = [
      h('p', {}, `${formatNumber(model.judged_customers)} customers judged against their own history, and the size of each deviation ` +
        `against ${peers}: the score is a robust z, (deviation − median) / (1.4826 × MAD), and a row is reported from ` +
        `${formatNumber(model.threshold, 1)} on the alarming side. ${formatNumber(model.flagged)} rows flagged, ${formatNumber(model.published)} published.`),
      h('p', { class: 'meta' }, 'Order metrics judge buyers with enough history before the window (anomalies.min_history_orders, ' +
        'anomalies.min_history_days); return rates and calls are judged for every customer, a newcomer against the peers\' usual. ' +
        'Profiling opt-outs are never judged.'),
    ];
    const counts = METRICS.map(([metric, meaning]) => ({
      metric, meaning,
      judged: m.get(`judged/metric/${metric}`) ?? 0, flagged: m.get(`flagged/metric/${metric}`) ?? 0, published: m.get(`published/metric/${metric}`) ?? 0,
    }));
    out.push(h('h3', {}, 'By metric'), table([
      { key: 'metric', label: 'metric' }, { key: 'meaning', label: 'compares' }, { key: 'judged', label: 'customers judged' },
      { key: 'flagged', label: 'flagged' }, { key: 'published', label: 'published' },
    ], counts));
    if (model.published === 0) {
      out.push(h('p', { class: 'empty' }, `No customer deviates from their usual by a score of ${formatNumber(model.threshold, 1)} or more.`));
      return out;
    }
    out.push(await barChart(counts.filter((c) => c.published > 0).map((c) => ({ label: c.metric, value: c.published })), {
      title: 'Published anomalies by metric', labelTitle: 'metric', valueTitle: 'anomalies', horizontal: true, format: ',.0f',
    }));
    const top = await ctx.db.all(`SELECT "rank", customer_key, metric, score, explanation, peer_group FROM out_anomalies
                                  ORDER BY "rank" LIMIT ${TOP}`);
    const names = model.peer_groups === 'segments' ? await segmentNames(ctx) : new Map<string, string>();
    for (const row of top) {
      const id = String(row.peer_group).replace(/^segment /, '');
      if (row.peer_group !== 'all' && names.has(id)) row.peer_group = `${row.peer_group} · ${names.get(id)}`;
    }
    out.push(h('h3', {}, `Strongest ${Math.min(TOP, model.published)} (by |score|)`), table([
      { key: 'rank', label: '#' }, { key: 'customer_key', label: 'customer' }, { key: 'metric', label: 'metric' },
      { key: 'score', label: 'score', digits: 1 }, { key: 'explanation', label: 'what changed' }, { key: 'peer_group', label: 'compared with' },
    ], top));
    return out;
  },
};
