-- int_satisfaction_churn: service experience against later churn. At the cutoff c = $as_of − $horizon_days days, the
-- active buyers (a completed order in the $active_days days up to c, as the retention stage counts them; profiling
-- opt-outs left out) with their CSAT band from their rated calls up to c: mean CSAT < 2.5 → '1-2', < 3.5 → '3', else
-- '4-5', no rated call → 'no rating'. `churned`: no completed order in (c, as_of]. Only data up to as_of is read.
CREATE OR REPLACE TEMP TABLE int_satisfaction_churn AS
WITH cutoff AS (
    SELECT CAST($as_of AS DATE) - CAST($horizon_days AS INTEGER) AS c,
           CAST($as_of AS DATE) + INTERVAL 1 DAY AS before
),
opted_out AS (
    SELECT customer_key FROM out_customers WHERE profiling_opt_out
),
completed AS (
    SELECT o.customer_key, CAST(o.ordered_at AS DATE) AS ordered_on
    FROM cra_work.int_orders_keyed o CROSS JOIN cutoff k
    WHERE o.customer_key IS NOT NULL AND o.status = 'completed' AND o.ordered_at < k.before
),
buyers AS (
    SELECT b.customer_key,
           max(b.ordered_on) FILTER (WHERE b.ordered_on <= k.c) AS last_order_on,
           count(*) FILTER (WHERE b.ordered_on > k.c) AS orders_after
    FROM completed b CROSS JOIN cutoff k GROUP BY b.customer_key
),
active AS (
    SELECT b.customer_key, b.orders_after = 0 AS churned
    FROM buyers b CROSS JOIN cutoff k
    WHERE b.last_order_on IS NOT NULL AND date_diff('day', b.last_order_on, k.c) < $active_days
      AND b.customer_key NOT IN (SELECT customer_key FROM opted_out)
),
ratings AS (
    SELECT p.customer_key, avg(p.csat) AS csat_mean, count(*) AS ratings
    FROM cra_work.int_calls_keyed p CROSS JOIN cutoff k
    WHERE p.customer_key IS NOT NULL AND p.csat IS NOT NULL AND CAST(p.started_at AS DATE) <= k.c
    GROUP BY p.customer_key
),
final AS (
    SELECT a.customer_key, a.churned, r.csat_mean,
           CASE WHEN r.csat_mean IS NULL THEN 'no rating' WHEN r.csat_mean < 2.5 THEN '1-2'
                WHEN r.csat_mean < 3.5 THEN '3' ELSE '4-5' END AS csat_band
    FROM active a LEFT JOIN ratings r USING (customer_key)
)
SELECT * FROM final;
