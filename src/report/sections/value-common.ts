/**
 * Shared bits of the value sections: the "not built" sentence, percentages, KPI tiles and the stage's rows of
 * out_model_metrics as a map keyed `metric/dimension/dimension_value`, so sections show the very figures
 * published in model_metrics instead of recomputing them.
 */
import { formatNumber, h, type Html } from '../html.js';
import type { ReportContext } from '../context.js';

export const NOT_BUILT = 'Customer value was not built in this run (the value stage did not run or was skipped).';

export const pct = (share: number | null | undefined, digits = 1): string =>
  share === null || share === undefined || !Number.isFinite(share) ? '—' : `${formatNumber(share * 100, digits)} %`;

export function kpi(label: string, value: string): Html {
  return h('div', { class: 'kpi' }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

export async function stageMetrics(ctx: ReportContext, model: string): Promise<Map<string, number>> {
  const rows = await ctx.db.all<{ metric: string; dimension: string; dimension_value: string; value: number | null }>(
    'SELECT metric, dimension, dimension_value, value FROM out_model_metrics WHERE model = $model',
    { model },
  );
  const out = new Map<string, number>();
  for (const r of rows) if (r.value !== null) out.set(`${r.metric}/${r.dimension}/${r.dimension_value}`, r.value);
  return out;
}
