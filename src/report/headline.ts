/**
 * The headline facts of a run, computed once and shown twice: as the executive summary at the top of report.html
 * and as summary.md for email or chat. Facts that need a later stage's table (profit, churn risk, segments, leads,
 * recommendations, anomalies) are present only when that table was built in this run, so a restricted run or a
 * skipped stage leaves them out instead of showing zeros. Nothing here depends on the clock or the run id.
 */
import type { ReportContext } from './context.js';

export interface Headline {
  people?: { customers: number; buyers: number; contactable: number; revenue: number; orders: number; guestOrders: number };
  /** clv sums the buyers that have one (clvBuyers of buyers): a converged model can leave some without (notes say why). */
  value?: { netContribution: number; grossMargin: number; clv: number | null; clvBuyers: number; buyers: number; negative: number };
  churn?: { scored: number; high: number; highContactable: number; bands: { band: string; customers: number; meanProbability: number }[] };
  segments?: { name: string; customers: number; revenueShare: number }[];
  quality: { files: number; read: number; loaded: number; rejected: number; duplicate: number; warnings: number; failures: number };
  skipped: { name: string; reason: string }[];
  /** Plain sentences, most urgent first; only from tables this run built. */
  actions: string[];
}

const num = (v: unknown): number => Number(v ?? 0);
const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

const computed = new WeakMap<ReportContext, Promise<Headline>>();

/** The run's headline, computed on the first call for a report context (report.html and summary.md share it). */
export function computeHeadline(ctx: ReportContext): Promise<Headline> {
  let headline = computed.get(ctx);
  if (!headline) {
    headline = headlineOf(ctx);
    computed.set(ctx, headline);
  }
  return headline;
}

async function headlineOf(ctx: ReportContext): Promise<Headline> {
  const { db } = ctx;
  const sum = (key: 'rows_read' | 'rows_loaded' | 'rows_rejected' | 'rows_duplicate'): number => ctx.inputs.reduce((s, i) => s + i[key], 0);
  const checks = (await ctx.has('data_quality'))
    ? (await db.all(`SELECT count(*) FILTER (WHERE status = 'warn') AS warnings, count(*) FILTER (WHERE status = 'fail') AS failures FROM out_data_quality`))[0]
    : undefined;
  const headline: Headline = {
    quality: {
      files: ctx.inputs.length, read: sum('rows_read'), loaded: sum('rows_loaded'), rejected: sum('rows_rejected'),
      duplicate: sum('rows_duplicate'), warnings: num(checks?.warnings), failures: num(checks?.failures),
    },
    skipped: ctx.stages.filter((s) => s.status === 'skipped').map((s) => ({ name: s.name, reason: s.reason ?? '' })),
    actions: [],
  };
  if ((await ctx.has('customers')) && (await ctx.has('orders'))) {
    const [c] = await db.all(`SELECT count(*) AS customers, count(*) FILTER (WHERE is_buyer) AS buyers,
                                     count(*) FILTER (WHERE is_contactable) AS contactable FROM out_customers`);
    // Orders counted by grouping lines per order: two ungrouped count(DISTINCT …) took 5.9 s at 1M customers.
    const [o] = await db.all(`SELECT (SELECT coalesce(sum(revenue), 0) FROM out_orders) AS revenue, count(*) AS orders,
                                     count(*) FILTER (WHERE guest) AS guest_orders
                              FROM (SELECT bool_or(customer_key IS NULL) AS guest FROM out_orders GROUP BY source, order_id)`);
    headline.people = {
      customers: num(c?.customers), buyers: num(c?.buyers), contactable: num(c?.contactable),
      revenue: num(o?.revenue), orders: num(o?.orders), guestOrders: num(o?.guest_orders),
    };
  }
  if (await ctx.has('customer_value')) {
    const [v] = await db.all(`SELECT coalesce(sum(net_contribution), 0) AS net, coalesce(sum(gross_margin), 0) AS margin, sum(clv) AS clv,
                                     count(clv) AS clv_buyers, count(*) AS buyers,
                                     count(*) FILTER (WHERE net_contribution < 0) AS negative FROM out_customer_value`);
    headline.value = {
      netContribution: num(v?.net), grossMargin: num(v?.margin), clv: v?.clv === null || v?.clv === undefined ? null : num(v.clv),
      clvBuyers: num(v?.clv_buyers), buyers: num(v?.buyers), negative: num(v?.negative),
    };
  }
  if (await ctx.has('churn_scores')) headline.churn = await churnFacts(ctx);
  if (await ctx.has('segment_profiles')) {
    const rows = await db.all(`SELECT segment_name, customers, revenue_share FROM out_segment_profiles
                               ORDER BY revenue_share DESC NULLS LAST, segment_name LIMIT 3`);
    headline.segments = rows.map((r) => ({ name: String(r.segment_name ?? ''), customers: num(r.customers), revenueShare: num(r.revenue_share) }));
  }
  headline.actions = await actions(ctx, headline);
  return headline;
}

async function churnFacts(ctx: ReportContext): Promise<NonNullable<Headline['churn']>> {
  const contactable = (await ctx.has('customers'))
    ? `count(*) FILTER (WHERE lower(s.risk_band) LIKE 'high%' AND c.is_contactable)`
    : `count(*) FILTER (WHERE lower(s.risk_band) LIKE 'high%')`;
  const join = (await ctx.has('customers')) ? 'LEFT JOIN out_customers c USING (customer_key)' : '';
  const [t] = await ctx.db.all(`SELECT count(*) AS scored, count(*) FILTER (WHERE lower(s.risk_band) LIKE 'high%') AS high, ${contactable} AS reachable
                                FROM out_churn_scores s ${join}`);
  const bands = await ctx.db.all(`SELECT coalesce(risk_band, 'unknown') AS band, count(*) AS customers, avg(churn_probability) AS p
                                  FROM out_churn_scores GROUP BY ALL ORDER BY p DESC NULLS LAST, band`);
  return {
    scored: num(t?.scored), high: num(t?.high), highContactable: num(t?.reachable),
    bands: bands.map((b) => ({ band: String(b.band), customers: num(b.customers), meanProbability: num(b.p) })),
  };
}

async function actions(ctx: ReportContext, facts: Headline): Promise<string[]> {
  const out: string[] = [];
  if (facts.churn && facts.churn.high > 0) {
    out.push(`Win back ${plural(facts.churn.highContactable, 'contactable active buyer')} at high churn risk (${plural(facts.churn.high, 'buyer')} at high risk in all; list in churn_scores.parquet).`);
  }
  if (await ctx.has('lead_scores')) {
    const n = num(await ctx.db.value(`SELECT count(*) FROM out_lead_scores WHERE purchase_probability >= 0.5 AND is_contactable`));
    if (n > 0) out.push(`Follow up ${plural(n, 'contactable prospect')} with a purchase probability of 50 % or more (lead_scores.parquet).`);
  }
  if (await ctx.has('recommendations')) {
    const [r] = await ctx.db.all(`SELECT count(*) AS n, count(DISTINCT customer_key) AS customers FROM out_recommendations`);
    if (num(r?.n) > 0) out.push(`Send ${plural(num(r?.n), 'product recommendation')} to ${plural(num(r?.customers), 'customer')} (recommendations.parquet).`);
  }
  if (facts.value && facts.value.negative > 0) {
    out.push(`Review the cost to serve of ${plural(facts.value.negative, 'buyer')} whose net contribution is negative (customer_value.parquet).`);
  }
  if (await ctx.has('anomalies')) {
    const n = num(await ctx.db.value(`SELECT count(DISTINCT customer_key) FROM out_anomalies`));
    if (n > 0) out.push(`Check ${plural(n, 'customer')} whose behaviour changed unusually (anomalies.parquet).`);
  }
  return out;
}
