/**
 * Stage `retention`: churn scores for active buyers, lead (first-purchase) scores for prospects, monthly cohort
 * retention, holdout figures in model_metrics, and the published churn/lead trees as SQL + JSON in the run folder.
 *
 * Labels never leak: the tree grows on features as of as_of − 2h with labels from the next h days, pruning and the
 * holdout figures use features as of as_of − h with labels from (as_of − h, as_of], and the published model is refit
 * on that latest window and applied to features as of as_of (windows.ts). Churn that cannot be fitted (too little
 * history, one class only) skips the stage, as contract §1 asks; a lead model without enough prospects or buyers
 * among them is left out with its reason (model_metrics, the stage's manifest note, report) while churn still
 * publishes (under --strict that fails the run, as a CLV model that cannot be fitted does).
 */
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { StageSkip } from '../../errors.js';
import { treeToRules, type CartRule } from '../../analytics/cart/index.js';
import { churnBaseline, evaluate, type Evaluation, type MetricRow } from './evaluation.js';
import { writeModelFiles } from './export.js';
import { featureSpecs, type FeatureSpec } from './matrix.js';
import { featureImportance, fitModel, type FittedModel, type ModelSettings } from './model.js';
import { appendMetrics, createResultTables, storeLeaves } from './store.js';
import { buildWindows, countSnapshot, cutoffsFor, type Cutoffs } from './windows.js';
import { churnClassSkipReason, historySkipReason, leadSkipReason } from './checks.js';

/** Risk bands of churn_scores by churn_probability: high ≥ 0.5 (more likely to churn than not), medium ≥ 0.2. */
export const RISK_BANDS = { high: 0.5, medium: 0.2 } as const;

type Config = RunContext['pipeline']['config']['retention'];

function settingsFor(cfg: Config, population: ModelSettings['population']): ModelSettings {
  return {
    population,
    positiveIsPurchase: population === 'prospect',
    cart: { maxDepth: cfg.max_depth, minLeaf: cfg.min_leaf, criterion: cfg.criterion, classWeight: cfg.class_weight === 'balanced' ? 'balanced' : undefined },
  };
}

function summary(m: FittedModel, e: Evaluation, cutoffs: Cutoffs, cfg: Config, rules: CartRule[]): Record<string, unknown> {
  // The same leaves in the same order, thresholds rounded for the report.
  const display = treeToRules(m.tree, { digits: 4 });
  return {
    fit_seconds: Math.round(m.fitSeconds * 1000) / 1000,
    auc: e.auc,
    precision: e.precision,
    recall: e.recall,
    threshold: m.threshold,
    lift_top_decile: e.liftTopDecile,
    capture_top_decile: e.captureTopDecile,
    leaves: m.tree.nodes.filter((n) => n.left < 0).length,
    alpha: m.refitAlpha,
    horizon_days: cfg.churn_horizon_days,
    active_days: cfg.active_days,
    cutoffs,
    train: { rows: m.train.rows, positives: m.train.y.reduce((s, v) => s + v, 0) },
    valid: { rows: m.valid.rows, positives: m.valid.y.reduce((s, v) => s + v, 0) },
    scored: m.score.rows,
    criterion: cfg.criterion,
    class_weight: cfg.class_weight,
    max_depth: cfg.max_depth,
    min_leaf: cfg.min_leaf,
    top_features: featureImportance(m.tree).map((f) => ({ feature: f.feature, share: f.share, first_depth: f.firstDepth })),
    // Exact thresholds are in <name>_model.json and in each score row's rule.
    rules: rules.map((r, i) => ({ leaf: r.leaf, rule: display[i]?.text ?? r.text, rows: r.rows, share: r.share, rate: r.rate, lift: r.lift })),
  };
}

async function optedOutKeys(ctx: RunContext): Promise<string[]> {
  const rows = await ctx.db.all<{ k: string }>(
    `SELECT f.customer_key AS k FROM out_customer_features f JOIN out_customers c USING (customer_key) WHERE c.profiling_opt_out ORDER BY k`,
  );
  return rows.map((r) => r.k);
}

/**
 * Fits, evaluates, stores and writes one model. Returns its evaluation and how many rows it scored, not the fitted
 * model: it holds each snapshot's labels and recency (and fitModel drops their feature columns as it goes), which
 * become garbage once this returns, instead of staying reachable while the next model reads its own.
 */
async function publishModel(ctx: RunContext, name: 'churn' | 'lead', specs: FeatureSpec[], cutoffs: Cutoffs, optedOut: string[]): Promise<{ evaluation: Evaluation; scored: number }> {
  const cfg = ctx.pipeline.config.retention;
  const population = name === 'churn' ? 'active_buyer' : 'prospect';
  const model = await fitModel(ctx.db, specs, settingsFor(cfg, population));
  const evaluation = evaluate(name, model, name === 'churn' ? churnBaseline(model) : null);
  await storeLeaves(ctx.db, name, model.scoreLeaves, evaluation.rules);
  const info = summary(model, evaluation, cutoffs, cfg, evaluation.rules);
  if (evaluation.baseline) {
    Object.assign(info, {
      baseline_auc: evaluation.baseline.auc, baseline_days: evaluation.baseline.days, recency_auc: evaluation.baseline.recencyAuc,
      beats_baseline: evaluation.auc > evaluation.baseline.auc, risk_bands: RISK_BANDS,
    });
  }
  ctx.models[name] = info;
  const { rules: _rules, top_features: _top, ...meta } = info;
  await writeModelFiles(ctx.runDir, {
    name, scoreColumn: name === 'churn' ? 'churn_probability' : 'purchase_probability', population, asOf: ctx.asOf,
    activeDays: cfg.active_days, optedOut, tree: model.tree, rules: evaluation.rules, meta: { ...meta, features: specs.map((s) => s.name) },
  });
  return { evaluation, scored: model.score.rows };
}

async function run(ctx: RunContext): Promise<StageResult> {
  const { db, asOf } = ctx;
  const cfg = ctx.pipeline.config.retention;
  const horizon = cfg.churn_horizon_days;
  const history = await historySkipReason(db, asOf, horizon, cutoffsFor(asOf, horizon));
  if (history) throw new StageSkip(history);
  const cutoffs = await buildWindows(db, { asOf, horizonDays: horizon, activeDays: cfg.active_days });
  const train = await countSnapshot(db, 'train', 'active_buyer', false);
  const valid = await countSnapshot(db, 'valid', 'active_buyer', false);
  const classes = churnClassSkipReason(train, valid, cutoffs, horizon);
  if (classes) throw new StageSkip(classes);

  const specs = await featureSpecs(db, cfg.features);
  const optedOut = await optedOutKeys(ctx);
  await createResultTables(db);
  const metrics: MetricRow[] = [];
  const churn = await publishModel(ctx, 'churn', specs, cutoffs, optedOut);
  metrics.push(...churn.evaluation.rows);
  ctx.log.info(`retention: churn AUC ${churn.evaluation.auc.toFixed(3)} on the holdout (baseline ${churn.evaluation.baseline?.auc.toFixed(3)}), ${churn.scored} active buyers scored`, { stage: 'retention' });

  const leadSkip = leadSkipReason(await countSnapshot(db, 'train', 'prospect', true), await countSnapshot(db, 'valid', 'prospect', true));
  if (leadSkip) {
    ctx.models.lead = { skipped: true, reason: leadSkip };
    metrics.push(['lead', 'skipped', 'reason', leadSkip, 1]);
    ctx.log.warn(`retention: lead model not fitted: ${leadSkip}`, { stage: 'retention', event: 'lead_skipped' });
  } else {
    const lead = await publishModel(ctx, 'lead', specs, cutoffs, optedOut);
    metrics.push(...lead.evaluation.rows);
  }
  await appendMetrics(db, metrics);
  await db.runFile('marts/churn_scores.sql', { high: RISK_BANDS.high, medium: RISK_BANDS.medium });
  await db.runFile('marts/lead_scores.sql');
  await db.runFile('marts/cohort_retention.sql', { as_of: asOf });
  // As with a CLV model that cannot be fitted (value stage): under --strict a model left out fails the run.
  if (ctx.options.strict && leadSkip) throw new StageSkip(`lead model could not be fitted: ${leadSkip}`);
  const tables = ['churn_scores', 'lead_scores', 'cohort_retention', 'model_metrics'];
  return { tables, rowsOut: churn.scored, ...(leadSkip ? { note: `lead model skipped: ${leadSkip}` } : {}) };
}

export const retentionStage: Stage = { name: 'retention', needs: ['features'], run };
