/**
 * Data quality: row accounting per source (chart and table, each file behind a disclosure since daily exports
 * make long lists), the top reject reasons, and the checks that warn or fail. Shows reasons and file:line only,
 * never the raw rejected text, which may hold personal data.
 */
import { barChart } from '../charts.js';
import { formatNumber, h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';
import type { InputRecord } from '../../pipeline/manifest.js';

interface SourceTotals { source: string; files: number; rows_read: number; rows_loaded: number; rows_rejected: number; rows_duplicate: number; reject_pct: number }

function bySource(inputs: readonly InputRecord[]): SourceTotals[] {
  const totals = new Map<string, SourceTotals>();
  for (const i of inputs) {
    const t = totals.get(i.source) ?? { source: i.source, files: 0, rows_read: 0, rows_loaded: 0, rows_rejected: 0, rows_duplicate: 0, reject_pct: 0 };
    t.files += 1;
    t.rows_read += i.rows_read;
    t.rows_loaded += i.rows_loaded;
    t.rows_rejected += i.rows_rejected;
    t.rows_duplicate += i.rows_duplicate;
    totals.set(i.source, t);
  }
  for (const t of totals.values()) t.reject_pct = t.rows_read ? (t.rows_rejected / t.rows_read) * 100 : 0;
  return [...totals.values()];
}

export const dataQualitySection: ReportSection = {
  id: 'data-quality',
  title: 'Data quality and row accounting',
  async render(ctx: ReportContext) {
    if (ctx.inputs.length === 0) return 'No input files were read in this run.';
    const sources = bySource(ctx.inputs);
    const chart = await barChart(
      sources.flatMap((s) => [
        { label: s.source, series: 'loaded', value: s.rows_loaded },
        { label: s.source, series: 'rejected', value: s.rows_rejected },
        { label: s.source, series: 'duplicate', value: s.rows_duplicate },
      ]),
      { title: 'Rows read per source', labelTitle: 'source', valueTitle: 'rows', horizontal: true, format: ',.0f',
        seriesOrder: ['loaded', 'rejected', 'duplicate'], seriesColors: ['#2f6fab', '#b91c1c', '#e69f00'] },
    );
    const reasons = (await ctx.has('rejects'))
      ? await ctx.db.all(`SELECT reason, count(*) AS rows, min(source_file || ':' || line) AS example FROM out_rejects GROUP BY reason ORDER BY rows DESC, reason LIMIT 10`)
      : [];
    const checks = (await ctx.has('data_quality'))
      ? await ctx.db.all(`SELECT status, check_name, table_name, source_file, value FROM out_data_quality WHERE status <> 'ok'
                          ORDER BY status = 'fail' DESC, check_name, table_name, source_file NULLS FIRST LIMIT 30`)
      : [];
    return [
      h('p', {}, 'Every row read is loaded, rejected with a reason, or dropped as a duplicate: rows read = loaded + rejected + duplicate.'),
      chart,
      table([
        { key: 'source', label: 'source' }, { key: 'files', label: 'files' }, { key: 'rows_read', label: 'read' }, { key: 'rows_loaded', label: 'loaded' },
        { key: 'rows_rejected', label: 'rejected' }, { key: 'rows_duplicate', label: 'duplicate' }, { key: 'reject_pct', label: '% rejected', digits: 2 },
      ], sources),
      h('details', {}, h('summary', {}, `Each input file (${formatNumber(ctx.inputs.length)})`), table([
        { key: 'source', label: 'source' }, { key: 'path', label: 'file' }, { key: 'rows_read', label: 'read' },
        { key: 'rows_loaded', label: 'loaded' }, { key: 'rows_rejected', label: 'rejected' }, { key: 'rows_duplicate', label: 'duplicate' },
      ], ctx.inputs.map((i) => ({ ...i })))),
      h('h3', {}, 'Reject reasons'),
      reasons.length ? table([{ key: 'reason', label: 'reason' }, { key: 'rows', label: 'rows' }, { key: 'example', label: 'first example (file:line)' }], reasons) : h('p', { class: 'empty' }, 'No rows were rejected.'),
      h('h3', {}, 'Checks that warn or fail'),
      checks.length
        ? table([{ key: 'status', label: 'status' }, { key: 'check_name', label: 'check' }, { key: 'table_name', label: 'about' }, { key: 'source_file', label: 'file' }, { key: 'value', label: 'value', digits: 'auto' }], checks)
        : h('p', { class: 'empty' }, 'Every check passed.'),
    ];
  },
};
