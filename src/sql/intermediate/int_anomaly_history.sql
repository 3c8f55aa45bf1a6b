-- int_anomaly_history: one row per customer the anomalies stage may judge, with their recent window and their own
-- usual level just before it, as of $as_of (nothing dated after it is read). Windows are whole days counted back
-- from as_of: the recent window is the last $window_days days (as_of included), the baseline the $baseline_days
-- before it; calls use $service_window_days instead. Rates per window divide by the part of the baseline the
-- customer was around for (covered_days), so a customer of seven months is not read as having a quiet year.
-- Order metrics judge buyers whose first completed order is at least $min_history_days old and who placed
-- $min_history_orders completed orders in the baseline (judged_orders); return rates and calls need no history
-- (int_anomaly_deviations compares a newcomer with the peers' usual). Calls are judged for every customer
-- (judged_service): the call log covers everyone, so a customer first seen inside the window has called 0 times
-- before; their usual rate is 0 and the comparison is with peers. Profiling opt-outs are left out. The peer group comes from
-- int_anomaly_peers (segments when they ran, else empty → 'all').
CREATE OR REPLACE TEMP TABLE int_anomaly_history AS
WITH cutoff AS (
    SELECT CAST($as_of AS DATE) AS as_of
),
customers AS (
    SELECT customer_key, first_seen_at FROM out_customers WHERE NOT coalesce(profiling_opt_out, false)
),
peers AS (
    SELECT customer_key, peer_group FROM int_anomaly_peers
),
lines AS (
    SELECT o.customer_key, o.source, o.order_id, o.ordered_at, o.status, CAST(o.revenue AS DOUBLE) AS revenue,
           date_diff('day', CAST(o.ordered_at AS DATE), c.as_of) AS days_ago
    FROM cra_work.int_orders_keyed o CROSS JOIN cutoff c
    WHERE o.customer_key IS NOT NULL AND o.ordered_at < CAST($as_of AS DATE) + INTERVAL 1 DAY AND o.status IN ('completed', 'returned')
),
orders AS (
    -- Completed orders (an order is (source, order_id)); its value is the net of its completed lines.
    SELECT customer_key, source, order_id, min(ordered_at) AS ordered_at, min(days_ago) AS days_ago, sum(revenue) AS value
    FROM lines WHERE status = 'completed' GROUP BY ALL
),
order_history AS (
    SELECT customer_key,
           max(days_ago) AS first_order_days_ago,
           count(*) FILTER (WHERE days_ago < $window_days) AS orders_w,
           count(*) FILTER (WHERE days_ago >= $window_days AND days_ago < $window_days + $baseline_days) AS orders_base,
           coalesce(sum(value) FILTER (WHERE days_ago < $window_days), 0) AS sales_w,
           -- Orders of the last $return_lag_days may still be returned: return rates leave them out.
           count(*) FILTER (WHERE days_ago >= $return_lag_days AND days_ago < $window_days) AS settled_orders_w,
           coalesce(sum(value) FILTER (WHERE days_ago >= $return_lag_days AND days_ago < $window_days), 0) AS settled_sales_w,
           coalesce(sum(value) FILTER (WHERE days_ago >= $window_days AND days_ago < $window_days + $baseline_days), 0) AS sales_base,
           median(value) FILTER (WHERE days_ago >= $window_days AND days_ago < $window_days + $baseline_days) AS median_order_base,
           max(value) FILTER (WHERE days_ago >= $window_days AND days_ago < $window_days + $baseline_days) AS max_order_base,
           max(value) FILTER (WHERE days_ago < $window_days) AS max_order_w,
           arg_max(ordered_at, value) FILTER (WHERE days_ago < $window_days) AS max_order_w_at
    FROM orders GROUP BY customer_key
),
returns AS (
    -- Refunded value (positive) by the date of the return line.
    SELECT customer_key,
           coalesce(sum(-revenue) FILTER (WHERE days_ago < $window_days), 0) AS returned_w,
           coalesce(sum(-revenue) FILTER (WHERE days_ago >= $window_days AND days_ago < $window_days + $baseline_days), 0) AS returned_base,
           count(DISTINCT (source, order_id)) FILTER (WHERE days_ago < $window_days) AS returns_w
    FROM lines WHERE status = 'returned' GROUP BY customer_key
),
calls AS (
    SELECT p.customer_key, date_diff('day', CAST(p.started_at AS DATE), c.as_of) AS days_ago,
           p.reason = 'complaint' AS complaint,
           coalesce(CAST(p.duration_s AS DOUBLE), 0) >= $long_call_minutes * 60 AS long_call
    FROM cra_work.int_calls_keyed p CROSS JOIN cutoff c
    WHERE p.customer_key IS NOT NULL AND p.started_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
),
call_history AS (
    -- An escalation call is a complaint or a call of at least $long_call_minutes.
    SELECT customer_key,
           count(*) FILTER (WHERE (complaint OR long_call) AND days_ago < $service_window_days) AS escalations_w,
           count(*) FILTER (WHERE complaint AND days_ago < $service_window_days) AS complaints_w,
           count(*) FILTER (WHERE long_call AND days_ago < $service_window_days) AS long_calls_w,
           count(*) FILTER (WHERE (complaint OR long_call) AND days_ago >= $service_window_days
                                  AND days_ago < $service_window_days + $baseline_days) AS escalations_base
    FROM calls GROUP BY customer_key
),
joined AS (
    SELECT c.customer_key,
           coalesce(p.peer_group, 'all') AS peer_group,
           date_diff('day', CAST(c.first_seen_at AS DATE), k.as_of) AS first_seen_days_ago,
           o.first_order_days_ago,
           coalesce(o.orders_w, 0) AS orders_w, coalesce(o.orders_base, 0) AS orders_base,
           coalesce(o.sales_w, 0) AS sales_w, coalesce(o.sales_base, 0) AS sales_base,
           coalesce(o.settled_orders_w, 0) AS settled_orders_w, coalesce(o.settled_sales_w, 0) AS settled_sales_w,
           o.median_order_base, o.max_order_base, o.max_order_w, o.max_order_w_at,
           coalesce(r.returned_w, 0) AS returned_w, coalesce(r.returned_base, 0) AS returned_base,
           coalesce(r.returns_w, 0) AS returns_w,
           coalesce(h.escalations_w, 0) AS escalations_w, coalesce(h.complaints_w, 0) AS complaints_w,
           coalesce(h.long_calls_w, 0) AS long_calls_w, coalesce(h.escalations_base, 0) AS escalations_base
    FROM customers c
    CROSS JOIN cutoff k
    LEFT JOIN peers p USING (customer_key)
    LEFT JOIN order_history o USING (customer_key)
    LEFT JOIN returns r USING (customer_key)
    LEFT JOIN call_history h USING (customer_key)
),
final AS (
    SELECT *,
           coalesce(first_order_days_ago >= $min_history_days AND orders_base >= $min_history_orders, false) AS judged_orders,
           true AS judged_service,
           least($baseline_days, first_order_days_ago - $window_days + 1) AS covered_days,
           least($baseline_days, coalesce(first_seen_days_ago, 0) - $service_window_days + 1) AS service_covered_days
    FROM joined
)
SELECT * FROM final;
