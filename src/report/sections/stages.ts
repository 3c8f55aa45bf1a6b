/**
 * The run itself: each stage's status, time and rows, with the reason for any skip, and the fitted models'
 * figures from manifest.models (flattened to `name = value`, so a new model shows up without a change here).
 */
import { h, table } from '../html.js';
import type { ReportContext, ReportSection } from '../context.js';

/** `{ bgnbd: { r: 0.6 } }` → `bgnbd.r = 0.6`; numbers rounded to 4 significant digits for reading. */
function flatten(value: unknown, prefix = ''): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  const shown = typeof value === 'number' ? Number(value.toPrecision(4)).toLocaleString('en-GB', { maximumFractionDigits: 6 })
    : Array.isArray(value) ? value.map(String).join(', ') : String(value);
  return [`${prefix} = ${shown}`];
}

export const stagesSection: ReportSection = {
  id: 'run',
  title: 'This run',
  async render(ctx: ReportContext) {
    const rows = ctx.stages.map((s) => ({ stage: s.name, status: s.status, seconds: s.seconds ?? null, rows: s.rows_out ?? null, note: s.reason ?? '' }));
    rows.push({ stage: 'report', status: 'success', seconds: null, rows: null, note: 'this document' });
    const models = Object.entries(ctx.models).map(([model, facts]) => ({ model, figures: flatten(facts).join('; ') }));
    return [
      h('p', { class: 'meta' }, `run ${ctx.runId}`),
      table([{ key: 'stage', label: 'stage' }, { key: 'status', label: 'status' }, { key: 'seconds', label: 'seconds', digits: 2 }, { key: 'rows', label: 'rows' }, { key: 'note', label: 'note' }], rows),
      ...(models.length ? [h('h3', {}, 'Models'), table([{ key: 'model', label: 'model' }, { key: 'figures', label: 'figures' }], models)] : []),
    ];
  },
};
