/**
 * summary.md: the run in a few lines for email or chat — headline figures, one line on data quality, skipped
 * stages, then segments, churn risk and next actions when those tables exist. Same facts as the report's
 * executive summary (headline.ts). Deterministic for the same inputs (no run id, clock or timings), so it is
 * golden-tested (test/golden/) and diffs between runs show real changes.
 */
import type { ReportContext } from './context.js';
import { computeHeadline } from './headline.js';

const fmt = (n: unknown, digits = 0): string => Number(n ?? 0).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (share: number): string => `${fmt(share * 100, 1)} %`;
const count = (n: number, noun: string): string => `${fmt(n)} ${noun}${n === 1 ? '' : 's'}`;

export async function renderSummaryMarkdown(ctx: ReportContext): Promise<string> {
  const f = await computeHeadline(ctx);
  const lines = [`# ${ctx.pipeline}: customer analytics as of ${ctx.asOf}`, ''];
  if (f.people) {
    const p = f.people;
    lines.push(`- **${fmt(p.customers)} customers**: ${fmt(p.buyers)} buyers, ${fmt(p.contactable)} contactable`);
    lines.push(`- **${fmt(p.revenue, 2)} net revenue** from ${fmt(p.orders)} orders (${fmt(p.guestOrders)} by guests)`);
  } else {
    lines.push('- No customers were resolved in this run.');
  }
  if (f.value) {
    lines.push(`- **${fmt(f.value.netContribution, 2)} net contribution** (profit after product cost and cost to serve)`
      + (f.value.clv === null ? '' : f.value.clvBuyers === f.value.buyers ? `; expected CLV of buyers ${fmt(f.value.clv, 2)}`
        : `; expected CLV ${fmt(f.value.clv, 2)} over the ${fmt(f.value.clvBuyers)} of ${fmt(f.value.buyers)} buyers that have one`));
  }
  if (f.churn) {
    lines.push(`- **${fmt(f.churn.high)} of ${fmt(f.churn.scored)} active buyers at high churn risk** (${fmt(f.churn.highContactable)} contactable)`);
  }
  if (f.segments?.length) {
    lines.push(`- Top segments by revenue: ${f.segments.map((s) => `${s.name} (${pct(s.revenueShare)}, ${fmt(s.customers)} customers)`).join('; ')}`);
  }
  const q = f.quality;
  const rate = q.read ? ` (${fmt((q.rejected / q.read) * 100, 2)} %)` : '';
  lines.push('', `Data quality: ${count(q.files, 'file')}, ${count(q.read, 'row')} read = ${fmt(q.loaded)} loaded + ${fmt(q.rejected)} rejected${rate} + ${count(q.duplicate, 'duplicate')}; `
    + (q.warnings || q.failures ? `${count(q.warnings, 'check')} warn, ${fmt(q.failures)} fail.` : 'every check passed.'));
  if (f.skipped.length) {
    lines.push('', 'Skipped stages:');
    for (const s of f.skipped) lines.push(`- ${s.name}: ${s.reason}`);
  }
  if (f.actions.length) {
    lines.push('', '## What to do next', '');
    f.actions.forEach((a, i) => lines.push(`${i + 1}. ${a}`));
  }
  lines.push('', `Stages: ${ctx.stages.map((s) => `${s.name} (${s.status})`).join(', ')}, report. Details in report.html.`, '');
  return lines.join('\n');
}
