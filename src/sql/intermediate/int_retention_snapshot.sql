-- int_retention_snapshot: who a retention model sees at one cutoff ($cutoff), from int_customer_features built for
-- that date, with their label. Populations (contract §3): `active_buyer` = a completed order in the $active_days days
-- up to the cutoff (recency_days < $active_days); `prospect` = engagement (an email open or click, a web session, a
-- call) but no completed order. Profiling opt-outs (out_customers) are left out. `purchased` says whether the
-- customer completes an order in ($cutoff, $cutoff + $horizon_days]; it is NULL when that window reaches past $as_of
-- (the scoring snapshot), so nothing dated after as_of is read. The same predicates, written over customer_features
-- columns, are the WHERE of the exported churn_model.sql / lead_model.sql (src/stages/retention/populations.ts).
CREATE OR REPLACE TEMP TABLE int_retention_snapshot AS
WITH label_window AS (
    SELECT CAST($cutoff AS DATE) + INTERVAL 1 DAY AS starts,
           CAST($cutoff AS DATE) + INTERVAL 1 DAY + to_days(CAST($horizon_days AS INTEGER)) AS ends,
           CAST($cutoff AS DATE) + CAST($horizon_days AS INTEGER) <= CAST($as_of AS DATE) AS labelled
),
features AS (
    SELECT * FROM int_customer_features
),
opted_out AS (
    SELECT customer_key FROM out_customers WHERE profiling_opt_out
),
later_buyers AS (
    SELECT DISTINCT o.customer_key
    FROM cra_work.int_orders_keyed o
    JOIN label_window w ON o.ordered_at >= w.starts AND o.ordered_at < w.ends
    WHERE o.status = 'completed' AND o.customer_key IS NOT NULL
),
populations AS (
    SELECT f.*,
           CASE
               WHEN f.frequency > 0 AND f.recency_days < $active_days THEN 'active_buyer'
               WHEN f.frequency = 0 AND (f.sessions > 0 OR f.calls > 0 OR coalesce(f.email_open_rate, 0) > 0
                                         OR coalesce(f.email_click_rate, 0) > 0) THEN 'prospect'
           END AS population
    FROM features f
    WHERE f.customer_key NOT IN (SELECT customer_key FROM opted_out)
),
final AS (
    SELECT p.*, CASE WHEN w.labelled THEN b.customer_key IS NOT NULL END AS purchased
    FROM populations p
    CROSS JOIN label_window w
    LEFT JOIN later_buyers b ON b.customer_key = p.customer_key
    WHERE p.population IS NOT NULL
)
SELECT * FROM final;
