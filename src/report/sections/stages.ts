/** The run itself: each stage's status, time and rows, with the reason for any skip. */
import { h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';

export const stagesSection: ReportSection = {
  id: 'run',
  title: 'This run',
  async render(ctx: ReportContext) {
    const rows = ctx.stages.map((s) => ({ stage: s.name, status: s.status, seconds: s.seconds ?? null, rows: s.rows_out ?? null, note: s.reason ?? '' }));
    rows.push({ stage: 'report', status: 'success', seconds: null, rows: null, note: 'this document' });
    return [
      h('p', { class: 'meta' }, `run ${ctx.runId}`),
      table([{ key: 'stage', label: 'stage' }, { key: 'status', label: 'status' }, { key: 'seconds', label: 'seconds', digits: 2 }, { key: 'rows', label: 'rows' }, { key: 'note', label: 'note' }], rows),
    ];
  },
};
