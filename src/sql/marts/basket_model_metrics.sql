-- basket_model_metrics: the basket stage's data-derived model_metrics rows (model 'basket', dimension 'overall'):
-- guests left out of customer transactions, lines without an item, and recommendation coverage among buyers
-- (customers with a completed line up to as_of), split by why a buyer gets none.
INSERT INTO out_model_metrics
WITH lines AS (
    SELECT * FROM int_basket_lines
),
customers AS (
    SELECT customer_key, is_contactable, profiling_opt_out FROM out_customers
),
recommendations AS (
    SELECT * FROM out_recommendations
),
buyers AS (
    SELECT DISTINCT l.customer_key, coalesce(c.is_contactable, true) AS is_contactable, coalesce(c.profiling_opt_out, false) AS profiling_opt_out
    FROM lines l LEFT JOIN customers c USING (customer_key)
    WHERE l.customer_key IS NOT NULL AND l.item IS NOT NULL
),
figures AS (
    SELECT 'guest_orders_excluded' AS metric,
           CASE WHEN $transaction = 'customer'
                THEN (SELECT count(DISTINCT (source, order_id)) FROM lines WHERE customer_key IS NULL AND item IS NOT NULL) ELSE 0 END AS value
    UNION ALL SELECT 'lines_without_item', (SELECT count(*) FROM lines WHERE item IS NULL)
    UNION ALL SELECT 'buyers', (SELECT count(*) FROM buyers)
    UNION ALL SELECT 'buyers_not_contactable', (SELECT count(*) FROM buyers WHERE NOT is_contactable)
    UNION ALL SELECT 'buyers_profiling_opt_out', (SELECT count(*) FROM buyers WHERE is_contactable AND profiling_opt_out)
    UNION ALL SELECT 'buyers_eligible', (SELECT count(*) FROM buyers WHERE is_contactable AND NOT profiling_opt_out)
    UNION ALL SELECT 'customers_recommended', (SELECT count(DISTINCT customer_key) FROM recommendations)
    UNION ALL SELECT 'recommendations', (SELECT count(*) FROM recommendations)
    UNION ALL SELECT 'products_recommended', (SELECT count(DISTINCT product_id) FROM recommendations)
),
final AS (
    SELECT 'basket' AS model, metric, 'overall' AS dimension, 'all' AS dimension_value, CAST(value AS DOUBLE) AS value FROM figures
)
SELECT * FROM final;
