/**
 * Stage `value`: `customer_value`, one row per buyer as of as_of, with profitability (cost of goods, discounts,
 * returns, cost to serve, net contribution, profit deciles), RFM scores and named segments, and the predictive
 * CLV (BG/NBD + Gamma-Gamma, contract §5); summaries go to model_metrics and the fitted models to
 * manifest.models.clv. All aggregation is SQL; only the model fits run in JS, on typed arrays.
 *
 * A CLV model that cannot be fitted does not stop the stage: customer_value is published with its CLV columns
 * NULL (never unconverged numbers) and the reason goes to the manifest, the log and the report. Under --strict
 * that is a skip, hence a failure, as contract §1 asks of a model that cannot be fitted.
 */
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { StageSkip, UsageError } from '../../errors.js';
import { fitAndScoreClv } from './clv-model.js';
import { currencyParams } from './currency.js';
import { appendMetrics } from './metrics.js';
import { rfmSegmentCells } from '../../analytics/rfm-segments.js';

async function run(ctx: RunContext): Promise<StageResult> {
  const { db, asOf } = ctx;
  const config = ctx.pipeline.config.value;
  const buyers = Number(await db.value('SELECT count(*) FROM out_customer_features WHERE frequency > 0'));
  if (buyers === 0) throw new StageSkip(`no buyers: no customer has a completed order up to as_of ${asOf}`);
  const calibrationEnd = config.clv.calibration_end ?? asOf;
  if (calibrationEnd > asOf) {
    throw new UsageError(`value.clv.calibration_end ${calibrationEnd} is after as_of ${asOf}; set it to a date on or before as_of (or leave it out)`);
  }

  const rates = await currencyParams(db, asOf, config.currency_rates);
  await db.runFile('intermediate/int_value_lines.sql', { as_of: asOf, margin_rate: config.margin_rate, ...rates });
  await db.runFile('intermediate/int_clv_inputs.sql', {
    as_of: asOf, calibration_end: calibrationEnd, unit_days: config.clv.time_unit === 'week' ? 7 : 1,
  });

  // Future spend earns the margin realised on completed sales (value.margin_rate exactly when no unit costs are known).
  const realised = await db.value<number | null>(
    `SELECT sum(revenue - cost) / nullif(sum(revenue), 0) FROM int_value_lines WHERE status = 'completed'`,
  );
  const marginRate = Math.min(1, Math.max(0, typeof realised === 'number' && Number.isFinite(realised) ? realised : config.margin_rate));
  const clv = await fitAndScoreClv(db, {
    asOf, calibrationEnd, timeUnit: config.clv.time_unit, horizonDays: config.clv.horizon_days,
    annualDiscountRate: config.clv.annual_discount_rate, marginRate, threads: ctx.pipeline.config.limits.threads,
  });
  ctx.models.clv = clv.summary;
  if (clv.summary.reason) ctx.log.warn(`value: CLV not published in full: ${clv.summary.reason}`, { stage: 'value', event: 'clv_not_fitted' });

  await db.runFile('marts/customer_value.sql', {
    email_send: config.costs.email_send, call_minute: config.costs.call_minute, ...rfmSegmentCells(),
  });
  await appendMetrics(db, clv.metrics);
  await db.runFile('marts/value_metrics.sql');
  if (clv.holdout) await db.runFile('marts/clv_holdout_metrics.sql', { as_of: asOf, calibration_end: calibrationEnd });

  if (ctx.options.strict && clv.summary.reason) throw new StageSkip(`CLV model could not be fitted: ${clv.summary.reason}`);
  const note = clv.summary.reason ? `CLV model skipped: ${clv.summary.reason}` : undefined;
  return { tables: ['customer_value', 'model_metrics'], rowsOut: buyers, ...(note ? { note } : {}) };
}

export const valueStage: Stage = { name: 'value', needs: ['features'], run };
