-- int_customer_features: one row per customer known at the cutoff, describing them strictly as of $as_of
-- (only activity before $as_of + 1 day counts, so the same model builds features at any earlier date).
-- The cutoff is a filter on a constant, not a join to the one-row cutoff: behind a join DuckDB estimated the ~10M
-- order lines at about a thousand rows and built the products join's hash table on them (14.7 s against 10.6 s for the
-- whole statement at 1M customers).
-- Orders: frequency = distinct completed orders; monetary = net revenue (returns subtract). Trends compare the
-- last 90 days with the 90 before. Rates are NULL where their denominator is 0.
CREATE OR REPLACE TEMP TABLE int_customer_features AS
WITH cutoff AS (
    SELECT CAST($as_of AS DATE) AS as_of
),
products AS (
    SELECT product_id, any_value(category) AS category, any_value(unit_cost) AS unit_cost FROM stg_products GROUP BY product_id
),
lines AS (
    SELECT o.customer_key, o.source, o.order_id, o.ordered_at, o.product_id, coalesce(o.category, p.category) AS category,
           o.status, o.revenue, o.discount, CAST(o.quantity * o.unit_price AS DECIMAL(18, 4)) AS gross,
           date_diff('day', CAST(o.ordered_at AS DATE), c.as_of) AS days_ago
    FROM cra_work.int_orders_keyed o CROSS JOIN cutoff c
    LEFT JOIN products p USING (product_id)
    WHERE o.customer_key IS NOT NULL AND o.ordered_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
),
-- The order lines' figures come from three groupings joined back together, not one: a hash aggregate holding five
-- DISTINCT aggregates at once needed more memory than DuckDB's share of limits.memory 3GB at 1M customers (that
-- grouping alone took 23.7 s at 2,431 MiB; docs/scaling.md).
order_sums AS (
    SELECT customer_key,
           min(ordered_at) AS first_line_at,
           sum(revenue) AS monetary,
           max(ordered_at) FILTER (WHERE status = 'completed') AS last_order_at,
           min(ordered_at) FILTER (WHERE status = 'completed') AS first_order_at,
           sum(-revenue) FILTER (WHERE status = 'returned') / nullif(sum(revenue) FILTER (WHERE status = 'completed'), 0) AS return_rate,
           sum(discount) FILTER (WHERE status = 'completed') / nullif(sum(gross) FILTER (WHERE status = 'completed'), 0) AS discount_share,
           sum(revenue) FILTER (WHERE days_ago < 90) AS spend_90d,
           sum(revenue) FILTER (WHERE days_ago >= 90 AND days_ago < 180) AS spend_prev_90d
    FROM lines GROUP BY customer_key
),
-- An order counts when any of its lines is completed (in the window): the distinct (source, order_id) of the
-- completed lines, counted one order per row.
order_counts AS (
    SELECT customer_key,
           count(*) FILTER (WHERE completed) AS frequency,
           count(*) FILTER (WHERE completed_90d) AS orders_90d,
           count(*) FILTER (WHERE completed_prev_90d) AS orders_prev_90d
    FROM (
        SELECT customer_key, source, order_id,
               bool_or(status = 'completed') AS completed,
               bool_or(status = 'completed' AND days_ago < 90) AS completed_90d,
               bool_or(status = 'completed' AND days_ago >= 90 AND days_ago < 180) AS completed_prev_90d
        FROM lines GROUP BY customer_key, source, order_id
    ) GROUP BY customer_key
),
-- The completed lines only, filtered before the grouping rather than in FILTER clauses: 2.2–2.3 s against 2.5–2.8 s
-- for the statement up to here at 1M customers. A customer with no completed line has no row here, and 0 below.
order_variety AS (
    SELECT customer_key,
           count(DISTINCT product_id) AS distinct_products,
           count(DISTINCT category) AS distinct_categories
    FROM lines WHERE status = 'completed' GROUP BY customer_key
),
orders AS (
    SELECT * FROM order_sums JOIN order_counts USING (customer_key) LEFT JOIN order_variety USING (customer_key)
),
email AS (
    SELECT e.customer_key,
           min(event_at) AS first_at,
           count(*) FILTER (WHERE event_type = 'sent') AS email_sends,
           count(*) FILTER (WHERE event_type = 'open') AS email_opens,
           count(*) FILTER (WHERE event_type = 'click') AS email_clicks,
           bool_or(event_type = 'unsubscribe') AS unsubscribed,
           count(*) FILTER (WHERE event_type IN ('open', 'click') AND date_diff('day', CAST(event_at AS DATE), c.as_of) < 90) AS engagement_90d,
           count(*) FILTER (WHERE event_type IN ('open', 'click') AND date_diff('day', CAST(event_at AS DATE), c.as_of) BETWEEN 90 AND 179) AS engagement_prev_90d
    FROM cra_work.int_email_events_keyed e CROSS JOIN cutoff c
    WHERE e.customer_key IS NOT NULL AND e.event_at < CAST($as_of AS DATE) + INTERVAL 1 DAY GROUP BY e.customer_key
),
web AS (
    SELECT s.customer_key, min(started_at) AS first_at, count(*) AS sessions, sum(page_views) AS page_views,
           min(date_diff('day', CAST(started_at AS DATE), c.as_of)) AS days_since_last_visit
    FROM cra_work.int_sessions_keyed s CROSS JOIN cutoff c
    WHERE s.customer_key IS NOT NULL AND s.started_at < CAST($as_of AS DATE) + INTERVAL 1 DAY GROUP BY s.customer_key
),
phone AS (
    SELECT p.customer_key, min(started_at) AS first_at, count(*) AS calls, sum(duration_s) / 60.0 AS call_minutes,
           count(*) FILTER (WHERE reason = 'complaint') AS complaints,
           count(*) FILTER (WHERE reason = 'complaint' AND date_diff('day', CAST(started_at AS DATE), c.as_of) < 90) AS complaints_90d,
           count(*) FILTER (WHERE resolved = false) AS unresolved_calls,
           avg(csat) AS avg_csat
    FROM cra_work.int_calls_keyed p CROSS JOIN cutoff c
    WHERE p.customer_key IS NOT NULL AND p.started_at < CAST($as_of AS DATE) + INTERVAL 1 DAY GROUP BY p.customer_key
),
-- Everyone with activity before the cutoff, first seen at their earliest row: the channel groupings above already
-- hold each channel's earliest row per customer (the same rows), so only the CRM is read again. Grouping every
-- activity row a second time for it took 1.9 s of the statement's 10 at 1M customers.
population AS (
    SELECT customer_key, min(first_seen) AS first_seen_at FROM (
        SELECT customer_key, first_line_at AS first_seen FROM order_sums
        UNION ALL SELECT customer_key, first_at FROM email
        UNION ALL SELECT customer_key, first_at FROM web
        UNION ALL SELECT customer_key, first_at FROM phone
        UNION ALL SELECT k.customer_key, min(coalesce(created_at, CAST(c.as_of AS TIMESTAMP))) FROM cra_work.int_crm_keyed k, cutoff c
                  WHERE k.customer_key IS NOT NULL AND (k.created_at IS NULL OR k.created_at < CAST($as_of AS DATE) + INTERVAL 1 DAY) GROUP BY ALL
    ) GROUP BY customer_key
),
final AS (
    SELECT p.customer_key,
           c.as_of,
           CAST(date_diff('day', CAST(o.last_order_at AS DATE), c.as_of) AS INTEGER) AS recency_days,
           CAST(coalesce(o.frequency, 0) AS INTEGER) AS frequency,
           coalesce(o.monetary, 0) AS monetary,
           CAST(date_diff('day', CAST(p.first_seen_at AS DATE), c.as_of) AS INTEGER) AS tenure_days,
           o.monetary / nullif(o.frequency, 0) AS avg_order_value,
           CAST(coalesce(o.distinct_products, 0) AS INTEGER) AS distinct_products,
           CAST(coalesce(o.distinct_categories, 0) AS INTEGER) AS distinct_categories,
           coalesce(o.return_rate, 0) AS return_rate,
           coalesce(o.discount_share, 0) AS discount_share,
           CAST(coalesce(e.email_sends, 0) AS INTEGER) AS email_sends,
           e.email_opens / nullif(e.email_sends, 0) AS email_open_rate,
           e.email_clicks / nullif(e.email_sends, 0) AS email_click_rate,
           coalesce(e.unsubscribed, false) AS unsubscribed,
           CAST(coalesce(w.sessions, 0) AS INTEGER) AS sessions,
           CAST(coalesce(w.page_views, 0) AS INTEGER) AS page_views,
           CAST(w.days_since_last_visit AS INTEGER) AS days_since_last_visit,
           CAST(coalesce(ph.calls, 0) AS INTEGER) AS calls,
           coalesce(ph.call_minutes, 0) AS call_minutes,
           CAST(coalesce(ph.complaints, 0) AS INTEGER) AS complaints,
           CAST(coalesce(ph.complaints_90d, 0) AS INTEGER) AS complaints_90d,
           CAST(coalesce(ph.unresolved_calls, 0) AS INTEGER) AS unresolved_calls,
           ph.avg_csat,
           coalesce(o.spend_90d, 0) AS spend_90d,
           coalesce(o.spend_90d, 0) - coalesce(o.spend_prev_90d, 0) AS spend_trend,
           CAST(coalesce(o.orders_90d, 0) AS INTEGER) AS orders_90d,
           CAST(coalesce(o.orders_90d, 0) - coalesce(o.orders_prev_90d, 0) AS INTEGER) AS orders_trend,
           CAST(coalesce(e.engagement_90d, 0) AS INTEGER) AS engagement_90d,
           CAST(coalesce(e.engagement_90d, 0) - coalesce(e.engagement_prev_90d, 0) AS INTEGER) AS engagement_trend,
           o.first_order_at
    FROM population p
    CROSS JOIN cutoff c
    LEFT JOIN orders o USING (customer_key)
    LEFT JOIN email e USING (customer_key)
    LEFT JOIN web w USING (customer_key)
    LEFT JOIN phone ph USING (customer_key)
)
SELECT * FROM final;
