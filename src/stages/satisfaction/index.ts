/**
 * Stage `satisfaction`: service experience in figures, as model_metrics rows (model 'satisfaction'; no table of its
 * own). Phone: CSAT distribution, complaint rate, first-contact resolution, call reasons by segment / RFM segment /
 * churn-risk band (for those stages that succeeded in this run), and churn by CSAT band. Email: sends, unsubscribes
 * and complaints by campaign. The SQL models say exactly how each figure is counted. Without phone data the phone
 * figures are left out and manifest.models.satisfaction says so; with neither phone nor email data the stage is
 * skipped with the reason.
 */
import type { Database } from '../../db/database.js';
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { StageSkip } from '../../errors.js';

/** Customer groupings other stages published in this run: [dimension, stage, table, SQL selecting (customer_key, value)]. */
const GROUPINGS = [
  ['segment', 'segments', 'out_customer_segments', 'SELECT customer_key, CAST(segment_id AS VARCHAR) FROM out_customer_segments'],
  ['rfm_segment', 'value', 'out_customer_value', 'SELECT customer_key, rfm_segment FROM out_customer_value WHERE rfm_segment IS NOT NULL'],
  ['risk_band', 'retention', 'out_churn_scores', 'SELECT customer_key, risk_band FROM out_churn_scores WHERE risk_band IS NOT NULL'],
] as const;

export interface SatisfactionModel {
  phone: boolean;
  email: boolean;
  period_days: number;
  fcr_window_days: number;
  churn_horizon_days: number;
  /** Dimensions the call figures are broken down by (segment, rfm_segment, risk_band). */
  groups: string[];
}

/** int_satisfaction_groups(customer_key, dimension, dimension_value) from the groupings available in this run. */
async function buildGroups(ctx: RunContext): Promise<string[]> {
  const { db } = ctx;
  await db.run('CREATE OR REPLACE TEMP TABLE int_satisfaction_groups (customer_key VARCHAR, dimension VARCHAR, dimension_value VARCHAR)');
  const used: string[] = [];
  for (const [dimension, stage, table, select] of GROUPINGS) {
    if (ctx.completed.get(stage) !== 'success' || !(await db.tableExists(table))) continue;
    await db.run(`INSERT INTO int_satisfaction_groups
                  SELECT customer_key, $dimension, dimension_value FROM (${select}) t(customer_key, dimension_value)`, { dimension });
    used.push(dimension);
  }
  return used;
}

/** Rows of `table` dated up to as_of (0 when the channel has no table). */
async function rowsUpTo(db: Database, table: string, column: string, asOf: string): Promise<number> {
  if (!(await db.tableExists(table))) return 0;
  return Number(await db.value(`SELECT count(*) FROM ${table} WHERE ${column} < CAST($as_of AS DATE) + INTERVAL 1 DAY`, { as_of: asOf }));
}

async function run(ctx: RunContext): Promise<StageResult> {
  const { db } = ctx;
  const config = ctx.pipeline.config.satisfaction;
  const horizon = ctx.pipeline.config.retention.churn_horizon_days;
  const phone = (await rowsUpTo(db, 'cra_work.int_calls_keyed', 'started_at', ctx.asOf)) > 0;
  const email = (await rowsUpTo(db, 'cra_work.int_email_events_keyed', 'event_at', ctx.asOf)) > 0;
  if (!phone && !email) throw new StageSkip(`no phone calls and no email events up to ${ctx.asOf}`);

  const groups = phone ? await buildGroups(ctx) : [];
  if (phone) {
    await db.runFile('intermediate/int_satisfaction_calls.sql', { as_of: ctx.asOf, period_days: config.period_days, fcr_window_days: config.fcr_window_days });
    await db.runFile('intermediate/int_satisfaction_churn.sql', {
      as_of: ctx.asOf, horizon_days: horizon, active_days: ctx.pipeline.config.retention.active_days,
    });
    await db.runFile('marts/satisfaction_metrics.sql');
  }
  if (email) await db.runFile('marts/satisfaction_email_metrics.sql', { as_of: ctx.asOf, period_days: config.period_days });

  const model: SatisfactionModel = {
    phone, email, period_days: config.period_days, fcr_window_days: config.fcr_window_days, churn_horizon_days: horizon, groups,
  };
  ctx.models.satisfaction = model;
  const rows = Number(await db.value(`SELECT count(*) FROM out_model_metrics WHERE model = 'satisfaction'`));
  if (!phone) ctx.log.info('satisfaction: no phone data; CSAT, complaints, first-contact resolution and churn by CSAT band left out');
  ctx.log.info(`satisfaction: ${rows} figures (${[phone ? 'phone' : '', email ? 'email' : ''].filter(Boolean).join(' and ')})`);
  return { tables: ['model_metrics'], rowsOut: rows };
}

export const satisfactionStage: Stage = { name: 'satisfaction', needs: ['features'], run };
