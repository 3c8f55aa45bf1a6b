/**
 * The breakdown tables of the satisfaction section, read from the model_metrics rows the stage wrote (model
 * 'satisfaction'): call reasons per customer group (segment, RFM segment, churn-risk band), churn by CSAT band,
 * and email campaigns. Each returns a sentence instead of an empty table.
 */
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext } from '../context.js';
import { pct } from './value-common.js';

export type MetricRow = { metric: string; dimension: string; dimension_value: string; value: number };

export async function satisfactionRows(ctx: ReportContext): Promise<MetricRow[]> {
  return ctx.db.all<MetricRow>(`SELECT metric, dimension, dimension_value, value FROM out_model_metrics WHERE model = 'satisfaction'`);
}

/** rows of one dimension pivoted: dimension_value → metric → value. */
function pivot(rows: readonly MetricRow[], dimension: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.dimension !== dimension) continue;
    const m = out.get(r.dimension_value) ?? new Map<string, number>();
    m.set(r.metric, r.value);
    out.set(r.dimension_value, m);
  }
  return out;
}

const GROUP_LABELS: Record<string, string> = { segment: 'segment', rfm_segment: 'RFM segment', risk_band: 'churn-risk band' };

/** Segment names by id (as text), when the segments stage published them in this run. */
export async function segmentNames(ctx: ReportContext): Promise<Map<string, string>> {
  if (!(await ctx.has('customer_segments'))) return new Map();
  const rows = await ctx.db.all<{ id: string; name: string }>(
    'SELECT CAST(segment_id AS VARCHAR) AS id, min(segment_name) AS name FROM out_customer_segments GROUP BY segment_id');
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Calls by reason within each group of `dimension`: shares of the group's identified calls. */
export function reasonsByGroup(rows: readonly MetricRow[], dimension: string, reasons: readonly string[], names = new Map<string, string>()): Html[] {
  const groups = pivot(rows, dimension);
  const label = GROUP_LABELS[dimension] ?? dimension;
  if (groups.size === 0) return [];
  const body = [...groups].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([value, m]) => {
    const calls = m.get('calls') ?? 0;
    const row: Record<string, unknown> = {
      group: names.has(value) ? `${value} · ${names.get(value)}` : value, customers: m.get('customers') ?? 0, calls,
      complaint_rate: pct(m.get('complaint_rate')), csat_mean: m.get('csat_mean') ?? null,
    };
    for (const reason of reasons) row[reason] = calls > 0 ? pct((m.get(`calls_${reason}`) ?? 0) / calls, 0) : '—';
    return row;
  });
  return [h('h3', {}, `Call reasons by ${label}`), table([
    { key: 'group', label }, { key: 'customers', label: 'customers' }, { key: 'calls', label: 'calls' },
    ...reasons.map((r) => ({ key: r, label: r })), { key: 'complaint_rate', label: 'complaint rate' },
    { key: 'csat_mean', label: 'mean CSAT', digits: 2 },
  ], body)];
}

const BANDS = ['1-2', '3', '4-5', 'no rating'];

export function churnByBand(rows: readonly MetricRow[], horizon: number): Html[] {
  const bands = pivot(rows, 'csat_band');
  const head = h('h3', {}, 'Churn by CSAT band');
  if (bands.size === 0) return [head, h('p', { class: 'empty' }, `No active buyers ${horizon} days before as_of to follow.`)];
  const body = BANDS.filter((b) => bands.has(b)).map((band) => {
    const m = bands.get(band)!;
    return { band, active: m.get('active_buyers') ?? 0, churned: m.get('churned') ?? 0, rate: pct(m.get('churn_rate')) };
  });
  return [head,
    h('p', {}, `Active buyers ${horizon} days before as_of (retention.churn_horizon_days), by the mean CSAT of their rated calls up to ` +
      `then; churned = no completed order since. A band is a mean below 2.5 (1-2), below 3.5 (3), or from 3.5 (4-5).`),
    table([{ key: 'band', label: 'CSAT band' }, { key: 'active', label: 'active buyers' }, { key: 'churned', label: 'churned' },
      { key: 'rate', label: 'churn rate' }], body)];
}

const MAX_CAMPAIGNS = 30;

export function campaigns(rows: readonly MetricRow[]): Html[] {
  const byCampaign = pivot(rows, 'campaign');
  const head = h('h3', {}, 'Email unsubscribes and complaints by campaign');
  if (byCampaign.size === 0) return [head, h('p', { class: 'empty' }, 'No email events in the period.')];
  const body = [...byCampaign].map(([campaign, m]) => ({
    campaign, sent: m.get('email_sent') ?? 0, delivered: m.get('email_delivered') ?? 0,
    unsubscribes: m.get('email_unsubscribes') ?? 0, complaints: m.get('email_complaints') ?? 0,
    unsubscribe_rate: pct(m.get('email_unsubscribe_rate'), 2), complaint_rate: pct(m.get('email_complaint_rate'), 2),
  })).sort((a, b) => b.sent - a.sent || a.campaign.localeCompare(b.campaign));
  const shown = body.slice(0, MAX_CAMPAIGNS).sort((a, b) => a.campaign.localeCompare(b.campaign));
  return [head,
    ...(body.length > MAX_CAMPAIGNS ? [h('p', { class: 'meta' }, `The ${MAX_CAMPAIGNS} campaigns with most sends of ${formatNumber(body.length)}; all are in model_metrics.`)] : []),
    table([{ key: 'campaign', label: 'campaign' }, { key: 'sent', label: 'sent' }, { key: 'delivered', label: 'delivered' },
      { key: 'unsubscribes', label: 'unsubscribes' }, { key: 'unsubscribe_rate', label: 'per sent' },
      { key: 'complaints', label: 'complaints' }, { key: 'complaint_rate', label: 'per sent' }], shown)];
}
