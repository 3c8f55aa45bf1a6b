-- cohort_retention: monthly acquisition cohorts (the month of a customer's first completed order) × months since
-- that month: the cohort's size, how many of them completed an order in that month, and the share. Every month from
-- the cohort's own (0, where retention is 1 by definition) to the month of $as_of is listed, zeros included, so the
-- grid is complete; the last month is partial when $as_of is not a month end. Identified buyers only (guests have no
-- history to follow); only orders before $as_of + 1 day count. An aggregate, so profiling opt-outs are counted too.
CREATE OR REPLACE TEMP TABLE out_cohort_retention AS
WITH orders AS (
    SELECT customer_key, CAST(date_trunc('month', ordered_at) AS DATE) AS order_month
    FROM cra_work.int_orders_keyed
    WHERE status = 'completed' AND customer_key IS NOT NULL AND ordered_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
),
firsts AS (
    SELECT customer_key, min(order_month) AS cohort_month FROM orders GROUP BY customer_key
),
activity AS (
    SELECT DISTINCT f.cohort_month, o.customer_key, CAST(date_diff('month', f.cohort_month, o.order_month) AS INTEGER) AS months_since_first
    FROM orders o JOIN firsts f USING (customer_key)
),
cohorts AS (
    SELECT cohort_month, count(*) AS customers,
           CAST(date_diff('month', cohort_month, CAST(date_trunc('month', CAST($as_of AS DATE)) AS DATE)) AS INTEGER) AS last_period
    FROM firsts GROUP BY cohort_month
),
grid AS (
    SELECT cohort_month, customers, CAST(unnest(range(0, last_period + 1)) AS INTEGER) AS months_since_first FROM cohorts
),
retained AS (
    SELECT cohort_month, months_since_first, count(*) AS retained FROM activity GROUP BY ALL
),
final AS (
    SELECT g.cohort_month, g.months_since_first, g.customers, coalesce(r.retained, 0) AS retained,
           coalesce(r.retained, 0) / g.customers AS retention_rate
    FROM grid g LEFT JOIN retained r USING (cohort_month, months_since_first)
)
SELECT * FROM final;
