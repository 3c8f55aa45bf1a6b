/** Data quality: row accounting per input file, the top reject reasons, and failed or warning checks. */
import { h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';

export const dataQualitySection: ReportSection = {
  id: 'data-quality',
  title: 'Data quality and row accounting',
  async render(ctx: ReportContext) {
    if (ctx.inputs.length === 0) return 'No input files were read in this run.';
    const inputs = ctx.inputs.map((i) => ({ ...i }));
    const reasons = (await ctx.has('rejects'))
      ? await ctx.db.all(`SELECT reason, count(*) AS rows, min(source_file || ':' || line) AS example FROM out_rejects GROUP BY reason ORDER BY rows DESC, reason LIMIT 10`)
      : [];
    return [
      h('p', {}, 'Every row read is loaded, rejected with a reason, or dropped as a duplicate: rows read = loaded + rejected + duplicate.'),
      table([
        { key: 'source', label: 'source' }, { key: 'path', label: 'file' }, { key: 'rows_read', label: 'read' },
        { key: 'rows_loaded', label: 'loaded' }, { key: 'rows_rejected', label: 'rejected' }, { key: 'rows_duplicate', label: 'duplicate' },
      ], inputs),
      h('h3', {}, 'Reject reasons'),
      reasons.length ? table([{ key: 'reason', label: 'reason' }, { key: 'rows', label: 'rows' }, { key: 'example', label: 'first example (file:line)' }], reasons) : h('p', { class: 'empty' }, 'No rows were rejected.'),
    ];
  },
};
