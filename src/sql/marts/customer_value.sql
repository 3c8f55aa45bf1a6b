-- out_customer_value: one row per buyer (a completed order up to as_of, from out_customer_features) with
-- profitability (from int_value_lines; costs to serve from the features' email sends and call minutes), RFM
-- (contract §5) and the CLV model's inputs and scores (int_clv_inputs, int_clv_scores, int_clv_holdout; scores
-- NULL when a model was not fitted, holdout columns NULL without a holdout). Quintiles and deciles are ntile()
-- over a total order: the value, then customer_key, so equal values fall into adjacent groups deterministically.
-- Groups are cut worst → best, so the n mod 5 extra rows go to the lowest scores. Segments join the
-- (r_score, f_score) cells of the rule table in src/analytics/rfm-segments.ts.
CREATE OR REPLACE TEMP TABLE out_customer_value AS
WITH buyers AS (
    SELECT customer_key, recency_days, frequency, email_sends, call_minutes
    FROM out_customer_features WHERE frequency > 0
),
lines AS (
    SELECT * FROM int_value_lines
),
clv_inputs AS (
    SELECT * FROM int_clv_inputs
),
clv_scores AS (
    SELECT CAST(rid AS BIGINT) AS rid, p_alive, expected_purchases, clv FROM int_clv_scores
),
clv_holdout AS (
    SELECT CAST(rid AS BIGINT) AS rid, predicted FROM int_clv_holdout
),
segment_map AS (
    SELECT CAST(unnest($seg_r) AS INTEGER) AS r_score, CAST(unnest($seg_f) AS INTEGER) AS f_score,
           CAST(unnest($seg_name) AS VARCHAR) AS rfm_segment
),
money AS (
    SELECT customer_key, sum(revenue) AS revenue, sum(gross) AS gross_sales, sum(discount) AS discounts,
           sum(returned) AS returns, sum(cost) AS cost_of_goods
    FROM lines GROUP BY customer_key
),
profit AS (
    SELECT b.customer_key, b.recency_days, b.frequency,
           coalesce(m.revenue, 0) AS revenue, coalesce(m.gross_sales, 0) AS gross_sales,
           coalesce(m.discounts, 0) AS discounts, coalesce(m.returns, 0) AS returns,
           coalesce(m.cost_of_goods, 0) AS cost_of_goods,
           coalesce(m.revenue, 0) - coalesce(m.cost_of_goods, 0) AS gross_margin,
           -- DECIMAL like the other money, so net_contribution and its sums stay exact.
           CAST(b.email_sends * $email_send AS DECIMAL(18, 4)) AS email_cost,
           CAST(b.call_minutes * $call_minute AS DECIMAL(18, 4)) AS call_cost
    FROM buyers b LEFT JOIN money m USING (customer_key)
),
scored AS (
    SELECT *,
           email_cost + call_cost AS cost_to_serve,
           gross_margin - email_cost - call_cost AS net_contribution,
           CAST(ntile(5) OVER (ORDER BY recency_days DESC, customer_key) AS INTEGER) AS r_score,
           CAST(ntile(5) OVER (ORDER BY frequency, customer_key) AS INTEGER) AS f_score,
           CAST(ntile(5) OVER (ORDER BY revenue, customer_key) AS INTEGER) AS m_score
    FROM profit
),
final AS (
    SELECT s.customer_key, s.revenue, s.gross_sales, s.discounts, s.returns, s.cost_of_goods, s.gross_margin,
           s.email_cost, s.call_cost, s.cost_to_serve, s.net_contribution,
           CAST(ntile(10) OVER (ORDER BY s.net_contribution DESC, s.customer_key) AS INTEGER) AS profit_decile,
           -- The largest drain names the loss; ties resolve in this order.
           CASE WHEN s.net_contribution >= 0 THEN NULL
                WHEN greatest(s.returns, s.discounts, s.cost_to_serve) <= 0 THEN 'product cost'
                WHEN s.returns >= s.discounts AND s.returns >= s.cost_to_serve THEN 'returns'
                WHEN s.cost_to_serve >= s.discounts THEN 'service cost'
                ELSE 'discounts' END AS unprofitable_reason,
           s.recency_days, s.frequency, s.r_score, s.f_score, s.m_score,
           CAST(s.r_score AS VARCHAR) || CAST(s.f_score AS VARCHAR) || CAST(s.m_score AS VARCHAR) AS rfm_code,
           g.rfm_segment,
           c.x AS clv_frequency, c.t_x AS clv_recency, c.t_age AS clv_age, c.m AS clv_monetary,
           k.p_alive, k.expected_purchases, k.clv,
           CASE WHEN h.rid IS NOT NULL THEN c.holdout_x END AS holdout_actual, h.predicted AS holdout_predicted
    FROM scored s
    LEFT JOIN segment_map g USING (r_score, f_score)
    LEFT JOIN clv_inputs c USING (customer_key)
    LEFT JOIN clv_scores k ON k.rid = c.rid
    LEFT JOIN clv_holdout h ON h.rid = c.rid
)
SELECT * FROM final ORDER BY customer_key;
