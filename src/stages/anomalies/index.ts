/**
 * Stage `anomalies`: per customer, the deviations an account manager should see — order frequency or spend per
 * order collapsing against the customer's own history, an order far beyond anything they placed before, a return
 * rate jump, a burst of complaint or long calls. Everything is SQL: int_anomaly_history (windows and own baseline),
 * int_anomaly_deviations (one variance-stabilised deviation per customer × metric), int_anomaly_scores (robust z
 * from the peer group's median and MAD: segments when that stage succeeded in this run, else all customers), then
 * marts/anomalies.sql (flagged, capped, ranked, explained). Publishes `anomalies` and model_metrics rows
 * (model 'anomalies'); manifest.models.anomalies says what the peers were and how many were judged and flagged.
 */
import type { Database } from '../../db/database.js';
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { StageSkip } from '../../errors.js';

export const ANOMALY_METRICS = ['order_frequency', 'spend', 'order_value', 'return_rate', 'service_escalation'] as const;

/** int_anomaly_peers(customer_key, peer_group): 'segment <id>' when segments ran in this run, else empty (→ 'all'). */
async function buildPeers(ctx: RunContext): Promise<'segments' | 'all'> {
  const { db } = ctx;
  if (ctx.completed.get('segments') === 'success' && (await db.tableExists('out_customer_segments'))) {
    await db.run(`CREATE OR REPLACE TEMP TABLE int_anomaly_peers AS
                  SELECT customer_key, 'segment ' || CAST(segment_id AS VARCHAR) AS peer_group FROM out_customer_segments`);
    return 'segments';
  }
  await db.run('CREATE OR REPLACE TEMP TABLE int_anomaly_peers (customer_key VARCHAR, peer_group VARCHAR)');
  return 'all';
}

async function appendMetrics(db: Database, threshold: number): Promise<void> {
  await db.run(`INSERT INTO out_model_metrics
    WITH per_metric AS (
        SELECT s.metric, count(*) AS judged, count(*) FILTER (WHERE s.flagged) AS flagged,
               (SELECT count(*) FROM out_anomalies a WHERE a.metric = s.metric) AS published
        FROM int_anomaly_scores s GROUP BY s.metric
    )
    SELECT 'anomalies', name, 'metric', metric, value
    FROM per_metric UNPIVOT (value FOR name IN (judged, flagged, published))
    UNION ALL SELECT 'anomalies', 'judged_customers', 'overall', 'all', count(DISTINCT customer_key) FROM int_anomaly_scores
    UNION ALL SELECT 'anomalies', 'flagged_customers', 'overall', 'all', count(DISTINCT customer_key) FILTER (WHERE flagged) FROM int_anomaly_scores
    UNION ALL SELECT 'anomalies', 'published', 'overall', 'all', count(*) FROM out_anomalies
    UNION ALL SELECT 'anomalies', 'threshold', 'overall', 'all', $threshold`, { threshold });
}

async function run(ctx: RunContext): Promise<StageResult> {
  const { db } = ctx;
  const c = ctx.pipeline.config.anomalies;
  const peers = await buildPeers(ctx);
  const windows = { window_days: c.window_days, service_window_days: c.service_window_days, baseline_days: c.baseline_days };
  await db.runFile('intermediate/int_anomaly_history.sql', {
    as_of: ctx.asOf, ...windows, long_call_minutes: c.long_call_minutes, return_lag_days: c.return_lag_days,
    min_history_orders: c.min_history_orders, min_history_days: c.min_history_days,
  });
  const judged = Number(await db.value('SELECT count(*) FROM int_anomaly_history'));
  if (judged === 0) {
    throw new StageSkip(`no customer has ${c.min_history_days} days of history before ${ctx.asOf} (anomalies.min_history_days)`);
  }
  await db.runFile('intermediate/int_anomaly_deviations.sql', {
    ...windows, long_call_minutes: c.long_call_minutes, min_window_orders: c.min_window_orders, return_lag_days: c.return_lag_days,
  });
  await db.runFile('intermediate/int_anomaly_scores.sql', { min_peers: c.min_peers, threshold: c.threshold });
  await db.runFile('marts/anomalies.sql', { max_per_metric: c.max_per_metric, max_total: c.max_total });
  await appendMetrics(db, c.threshold);

  const counts = (await db.all<{ judged: number; flagged: number; published: number }>(
    `SELECT count(DISTINCT customer_key) AS judged, count(*) FILTER (WHERE flagged) AS flagged,
            (SELECT count(*) FROM out_anomalies) AS published FROM int_anomaly_scores`))[0]!;
  if (counts.flagged > counts.published) {
    ctx.log.warn(`anomalies: ${counts.flagged} flagged; publishing the strongest ${counts.published} (anomalies.max_per_metric, anomalies.max_total)`);
  }
  ctx.models.anomalies = { peer_groups: peers, threshold: c.threshold, judged_customers: counts.judged, flagged: counts.flagged, published: counts.published };
  ctx.log.info(`anomalies: ${counts.judged} customers judged against ${peers === 'segments' ? 'their segment' : 'all customers'}; ${counts.published} anomalies published`);
  return { tables: ['anomalies', 'model_metrics'], rowsOut: counts.published };
}

export const anomaliesStage: Stage = { name: 'anomalies', needs: ['features'], run };
