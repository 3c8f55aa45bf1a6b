-- int_anomaly_deviations: one row per judged customer × metric: the recent value, what the customer's own history
-- leads us to expect, and a deviation on a scale where peers' deviations are comparable (int_anomaly_scores turns it
-- into a robust z within the peer group). `direction` is the alarming side (-1: a fall, +1: a rise); `scale_floor`
-- is the smallest spread the score may divide by, so a peer group where nearly everyone has the same deviation
-- (no returns, no complaints) does not turn a trivial difference into a huge score.
--   order_frequency  completed orders in the window vs the baseline rate λ; 2(√n − √λ) is the variance-stabilised
--                    Poisson difference (sd ≈ 1), hence floor 1.
--   spend            spend in the window vs what that many of the customer's usual (median) orders come to; the log
--                    ratio, judged with ≥ $min_window_orders orders in the window: one or two small top-up orders
--                    are common and no collapse; a run of small orders is.
--   order_value      the largest order in the window vs the largest in the baseline (log ratio): an order far
--                    beyond anything the customer placed before. `expected` shows their usual (median) order.
--   return_rate      refunds dated in the window / sales placed in the window up to $return_lag_days days before
--                    as_of (later orders may still come back), vs the customer's baseline rate shrunk towards the
--                    peer group's pooled rate (two usual orders' weight); 2√n (asin √p − asin √p0) is the
--                    variance-stabilised binomial difference over those n orders (sd ≈ 1), hence floor 1. Judged for
--                    every buyer with such orders: without history p0 is the pooled rate (a new serial returner).
--   service_escalation  complaint or long calls in the service window vs the baseline rate; 2(√k − √λ), floor 1.
CREATE OR REPLACE TEMP TABLE int_anomaly_deviations AS
WITH history AS (
    SELECT * FROM int_anomaly_history
),
rated AS (
    SELECT *,
           orders_base * $window_days / greatest(covered_days, $window_days) AS usual_orders,
           sales_base * $window_days / greatest(covered_days, $window_days) AS usual_spend,
           escalations_base * $service_window_days / greatest(service_covered_days, $service_window_days) AS usual_escalations,
           sum(returned_base) FILTER (WHERE judged_orders) OVER (PARTITION BY peer_group)
               / nullif(sum(sales_base) FILTER (WHERE judged_orders) OVER (PARTITION BY peer_group), 0) AS pooled_return_rate
    FROM history
),
money AS (
    SELECT *, replace(format('{:+.0f}%', 100 * (v / nullif(e, 0) - 1)), '-', '−') AS change
    FROM (SELECT *, sales_w AS v, orders_w * median_order_base AS e FROM rated)
),
order_frequency AS (
    SELECT customer_key, peer_group, 'order_frequency' AS metric, CAST(orders_w AS DOUBLE) AS value, usual_orders AS expected,
           2 * (sqrt(orders_w) - sqrt(usual_orders)) AS deviation, -1 AS direction, 1.0 AS scale_floor,
           format('{} orders in the last {} days vs usual {:.1f} per {} days', orders_w, $window_days, usual_orders, $window_days) AS explanation
    FROM rated WHERE judged_orders
),
spend AS (
    SELECT customer_key, peer_group, 'spend', v, e, ln(v / e), -1, 0.1,
           format('spend in the last {} days {:,.2f} over {} orders vs {:,.2f} for {} usual orders ({}); usual {:,.2f} per {} days',
                  $window_days, v, orders_w, e, orders_w, change, usual_spend, $window_days)
    FROM money WHERE judged_orders AND orders_w >= $min_window_orders AND v > 0 AND e > 0
),
order_value AS (
    SELECT customer_key, peer_group, 'order_value', max_order_w, median_order_base,
           ln(max_order_w / max_order_base), 1, 0.1,
           format('order of {:,.2f} on {} vs usual {:,.2f} ({:.1f}×); largest in the {} days before: {:,.2f}',
                  max_order_w, strftime(max_order_w_at, '%Y-%m-%d'), median_order_base, max_order_w / median_order_base,
                  $baseline_days, max_order_base)
    FROM rated WHERE judged_orders AND orders_w >= 1 AND max_order_w > 0 AND max_order_base > 0 AND median_order_base > 0
),
return_rate AS (
    SELECT customer_key, peer_group, 'return_rate', rate, p0,
           2 * sqrt(settled_orders_w) * (asin(sqrt(least(rate, 1))) - asin(sqrt(least(p0, 1)))), 1, 1.0,
           format('refunds of {:,.2f} in the last {} days ({} returns) = {:.0f}% of the {:,.2f} ordered then (to {} days ago) vs usual {:.1f}%',
                  returned_w, $window_days, returns_w, 100 * rate, settled_sales_w, $return_lag_days, 100 * p0)
    FROM (SELECT *, returned_w / settled_sales_w AS rate,
                 (returned_base + 2 * prior_order * coalesce(pooled_return_rate, 0)) / (sales_base + 2 * prior_order) AS p0
          FROM (SELECT *, coalesce(median_order_base, settled_sales_w / settled_orders_w) AS prior_order FROM rated)
          WHERE settled_orders_w >= 1 AND settled_sales_w > 0 AND prior_order > 0)
),
service_escalation AS (
    SELECT customer_key, peer_group, 'service_escalation', CAST(escalations_w AS DOUBLE), usual_escalations,
           2 * (sqrt(escalations_w) - sqrt(usual_escalations)), 1, 1.0,
           format('{} complaint or long calls in the last {} days ({} complaints, {} of {:g}+ min) vs usual {:.1f} per {} days',
                  escalations_w, $service_window_days, complaints_w, long_calls_w, CAST($long_call_minutes AS DOUBLE), usual_escalations, $service_window_days)
    FROM rated WHERE judged_service
),
final AS (
    SELECT * FROM order_frequency
    UNION ALL SELECT * FROM spend
    UNION ALL SELECT * FROM order_value
    UNION ALL SELECT * FROM return_rate
    UNION ALL SELECT * FROM service_escalation
)
SELECT * FROM final;
