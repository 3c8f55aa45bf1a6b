/**
 * Shared by the retention sections: the model summaries the stage put in manifest.models (churn, lead), the sentence
 * that replaces a section when the stage did not run or was skipped (with its reason), the stage's model_metrics
 * rows as a lookup, and the rules and decile tables both models show the same way.
 */
import { formatNumber, h, table, type Html } from '../html.js';
import type { ReportContext } from '../context.js';

export interface RetentionRule {
  leaf: number;
  /** Thresholds rounded to 4 significant digits (exact ones are in <model>_model.json). */
  rule: string;
  rows: number;
  share: number;
  rate: number;
  lift: number;
}

export interface RetentionModel {
  auc: number;
  precision: number;
  recall: number;
  threshold: number;
  lift_top_decile: number;
  capture_top_decile: number;
  leaves: number;
  horizon_days: number;
  active_days: number;
  cutoffs: { train: string; valid: string; score: string };
  train: { rows: number; positives: number };
  valid: { rows: number; positives: number };
  scored: number;
  top_features: { feature: string; share: number; first_depth: number }[];
  rules: RetentionRule[];
  baseline_auc?: number;
  baseline_days?: number;
  recency_auc?: number;
  risk_bands?: { high: number; medium: number };
  skipped?: boolean;
  reason?: string;
}

export const pct = (share: number | null | undefined, digits = 1): string =>
  share === null || share === undefined || !Number.isFinite(share) ? '—' : `${formatNumber(share * 100, digits)} %`;

/** The model of this run, or the sentence that replaces the section. */
export async function retentionModel(ctx: ReportContext, name: 'churn' | 'lead', table: string): Promise<RetentionModel | string> {
  const record = ctx.stages.find((s) => s.name === 'retention');
  if (record?.status === 'skipped') return `The retention stage was skipped: ${record.reason ?? 'no reason given'}.`;
  const model = ctx.models[name] as RetentionModel | undefined;
  if (!model || !(await ctx.has(table))) return 'The retention stage did not run in this run.';
  return model;
}

/** model_metrics rows of one model and dimension: metric → dimension_value → value. */
export async function retentionMetrics(ctx: ReportContext, model: string, dimension: string): Promise<Map<string, Map<string, number>>> {
  const rows = await ctx.db.all<{ metric: string; dimension_value: string; value: number | null }>(
    'SELECT metric, dimension_value, value FROM out_model_metrics WHERE model = $model AND dimension = $dimension',
    { model, dimension },
  );
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.value === null) continue;
    const m = out.get(r.metric) ?? new Map<string, number>();
    m.set(r.dimension_value, Number(r.value));
    out.set(r.metric, m);
  }
  return out;
}

/** Per-decile holdout table: rows, positive rate, lift, cumulative capture. */
export async function decileRows(ctx: ReportContext, model: string): Promise<{ decile: string; rows: number; rate: string; lift: number; capture: string }[]> {
  const m = await retentionMetrics(ctx, model, 'decile');
  return Array.from({ length: 10 }, (_, i) => String(i + 1)).map((d) => ({
    decile: d, rows: m.get('rows')?.get(d) ?? 0, rate: pct(m.get('rate')?.get(d)), lift: m.get('lift')?.get(d) ?? NaN,
    capture: pct(m.get('cumulative_capture')?.get(d)),
  }));
}

/** The leaves of a published tree, highest rate first, with how many customers each holds today. */
export function rulesTable(model: RetentionModel, current: Map<number, number>, rateLabel: string): Html {
  const rows = [...model.rules].sort((a, b) => b.rate - a.rate || a.leaf - b.leaf).map((r) => ({
    rule: r.rule, support: r.rows, share: pct(r.share), rate: pct(r.rate), lift: r.lift, now: current.get(r.leaf) ?? 0,
  }));
  return table([
    { key: 'rule', label: 'rule (thresholds rounded to 4 digits)' }, { key: 'support', label: 'support (fit window)' },
    { key: 'share', label: 'share' }, { key: 'rate', label: rateLabel }, { key: 'lift', label: 'lift', digits: 2 },
    { key: 'now', label: 'customers now' },
  ], rows);
}

export function driversTable(model: RetentionModel): Html {
  if (model.top_features.length === 0) return h('p', { class: 'empty' }, 'The tree has no split: every customer gets the overall rate.');
  return table([
    { key: 'feature', label: 'feature' }, { key: 'share', label: 'share of total gain' }, { key: 'depth', label: 'first used at depth' },
  ], model.top_features.map((f) => ({ feature: f.feature, share: pct(f.share), depth: f.first_depth })));
}
