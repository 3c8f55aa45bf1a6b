/**
 * summary.md: the run in a few lines for email or chat. Deterministic for the same inputs (no run id, clock or
 * timings), so it can be golden-tested and diffed between runs.
 */
import type { ReportContext } from './context.js';

const fmt = (n: unknown, digits = 0): string => Number(n ?? 0).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export async function renderSummaryMarkdown(ctx: ReportContext): Promise<string> {
  const lines = [`# ${ctx.pipeline}: customer analytics as of ${ctx.asOf}`, ''];
  if (await ctx.has('customers')) {
    const [c] = await ctx.db.all('SELECT count(*) AS n, count(*) FILTER (WHERE is_buyer) AS buyers, count(*) FILTER (WHERE is_contactable) AS contactable FROM out_customers');
    const [o] = await ctx.db.all('SELECT coalesce(sum(revenue), 0) AS revenue, count(DISTINCT (source, order_id)) AS orders FROM out_orders');
    lines.push(`- **${fmt(c?.n)} customers**, ${fmt(c?.buyers)} buyers, ${fmt(c?.contactable)} contactable`);
    lines.push(`- **${fmt(o?.revenue, 2)} net revenue** from ${fmt(o?.orders)} orders`);
  }
  const read = ctx.inputs.reduce((s, i) => s + i.rows_read, 0);
  const loaded = ctx.inputs.reduce((s, i) => s + i.rows_loaded, 0);
  const rejected = ctx.inputs.reduce((s, i) => s + i.rows_rejected, 0);
  const duplicate = ctx.inputs.reduce((s, i) => s + i.rows_duplicate, 0);
  lines.push(`- Inputs: ${ctx.inputs.length} files, ${fmt(read)} rows read = ${fmt(loaded)} loaded + ${fmt(rejected)} rejected + ${fmt(duplicate)} duplicates`);
  const skipped = ctx.stages.filter((s) => s.status === 'skipped');
  for (const s of skipped) lines.push(`- Stage ${s.name} skipped: ${s.reason ?? ''}`);
  lines.push('', `Stages: ${ctx.stages.map((s) => `${s.name} (${s.status})`).join(', ')}, report. Details in report.html.`, '');
  return lines.join('\n');
}
