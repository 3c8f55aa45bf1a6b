/**
 * Holdout evaluation of a fitted retention model as model_metrics rows (model × metric × dimension): AUC, precision
 * and recall at the threshold chosen on the training window, lift and capture in the top decile and per decile, a
 * calibration table (dimension `calibration_bin`), the pruning candidates, the leaves of the published tree and
 * the features by share of total gain. For churn also the naive baseline "no purchase in the last N days ⇒ churn"
 * with N chosen on the training window (Youden J), judged on the same holdout, and recency itself as a ranking.
 */
import { auc, calibrationTable, liftAtTopFraction, precisionRecallAt } from '../../analytics/classification-metrics.js';
import { bestRecencyCut } from '../../analytics/classification-cuts.js';
import { treeToRules, type CartRule } from '../../analytics/cart/index.js';
import { featureImportance, type FittedModel } from './model.js';

export type MetricRow = readonly [model: string, metric: string, dimension: string, dimensionValue: string, value: number | null];

export interface Baseline {
  days: number;
  auc: number;
  precision: number;
  recall: number;
  /** AUC of recency_days itself as a churn score (a stronger naive ranking than the 0/1 rule). */
  recencyAuc: number;
}

export interface Evaluation {
  rows: MetricRow[];
  auc: number;
  precision: number;
  recall: number;
  liftTopDecile: number;
  captureTopDecile: number;
  baseline: Baseline | null;
  rules: CartRule[];
}

export function churnBaseline(m: FittedModel): Baseline {
  const cut = bestRecencyCut(m.train.recency, m.train.y);
  const rule = Float64Array.from(m.valid.recency, (r) => (Number.isNaN(r) || r > cut.days ? 1 : 0));
  const pr = precisionRecallAt(rule, m.valid.y, 1);
  const recency = Float64Array.from(m.valid.recency, (r) => (Number.isNaN(r) ? Number.MAX_VALUE : r));
  return { days: cut.days, auc: auc(rule, m.valid.y), precision: pr.precision, recall: pr.recall, recencyAuc: auc(recency, m.valid.y) };
}

function deciles(model: string, scores: Float64Array, y: Uint8Array): MetricRow[] {
  const rows: MetricRow[] = [];
  const n = scores.length;
  const rate = y.reduce((s, v) => s + v, 0) / n;
  let prevRows = 0;
  let prevPositives = 0;
  for (let d = 1; d <= 10; d++) {
    const top = liftAtTopFraction(scores, y, d / 10);
    const k = String(d);
    const decileRows = top.rows - prevRows;
    const decilePositives = top.positives - prevPositives;
    const decileRate = decileRows > 0 ? decilePositives / decileRows : NaN;
    rows.push([model, 'rows', 'decile', k, decileRows], [model, 'rate', 'decile', k, decileRate],
      [model, 'lift', 'decile', k, decileRate / rate], [model, 'cumulative_lift', 'decile', k, top.lift],
      [model, 'cumulative_capture', 'decile', k, top.capture]);
    prevRows = top.rows;
    prevPositives = top.positives;
  }
  return rows;
}

export function evaluate(model: string, m: FittedModel, baseline: Baseline | null): Evaluation {
  const overall = (metric: string, value: number | null): MetricRow => [model, metric, 'overall', 'all', value];
  const scores = m.holdoutScores;
  const y = m.valid.y;
  const a = auc(scores, y);
  const pr = precisionRecallAt(scores, y, m.threshold);
  const top = liftAtTopFraction(scores, y, 0.1);
  const count = (v: Uint8Array): number => v.reduce((s, x) => s + x, 0);
  const rows: MetricRow[] = [
    overall('auc', a), overall('threshold', m.threshold), overall('precision', pr.precision), overall('recall', pr.recall),
    overall('lift_top_decile', top.lift), overall('capture_top_decile', top.capture),
    overall('train_rows', m.train.rows), overall('train_positives', count(m.train.y)),
    overall('valid_rows', m.valid.rows), overall('valid_positives', count(y)), overall('scored_rows', m.score.rows),
    overall('holdout_leaves', m.choice.leaves), overall('alpha', m.refitAlpha),
    overall('leaves', m.tree.nodes.filter((n) => n.left < 0).length),
    overall('depth', Math.max(...m.tree.nodes.map((n) => n.depth))), overall('fit_seconds', m.fitSeconds),
  ];
  if (baseline) {
    rows.push(overall('baseline_auc', baseline.auc), overall('baseline_days', baseline.days), overall('baseline_precision', baseline.precision),
      overall('baseline_recall', baseline.recall), overall('recency_auc', baseline.recencyAuc), overall('beats_baseline', a > baseline.auc ? 1 : 0));
  }
  rows.push(...deciles(model, scores, y));
  calibrationTable(scores, y, 10).forEach((b) => {
    const bin = `${b.lower.toFixed(1)}-${b.upper.toFixed(1)}`;
    rows.push([model, 'count', 'calibration_bin', bin, b.count], [model, 'mean_score', 'calibration_bin', bin, b.count > 0 ? b.meanScore : null],
      [model, 'observed_rate', 'calibration_bin', bin, b.count > 0 ? b.observedRate : null]);
  });
  for (const c of m.choice.candidates) rows.push([model, 'validation_auc', 'pruning_leaves', String(c.leaves), c.auc]);
  const rules = treeToRules(m.tree);
  for (const r of rules) {
    const leaf = String(r.leaf);
    rows.push([model, 'leaf_rows', 'leaf', leaf, r.rows], [model, 'leaf_rate', 'leaf', leaf, r.rate], [model, 'leaf_lift', 'leaf', leaf, r.lift]);
  }
  for (const f of featureImportance(m.tree)) rows.push([model, 'importance', 'feature', f.feature, f.share]);
  return { rows, auc: a, precision: pr.precision, recall: pr.recall, liftTopDecile: top.lift, captureTopDecile: top.capture, baseline, rules };
}
