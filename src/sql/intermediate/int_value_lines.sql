-- int_value_lines: every order line of an identified customer before $as_of + 1 day, in the reporting currency
-- (rate from the parallel lists $rate_currency / $rate_value; 1 for lines without a currency or without rates),
-- split into the parts profitability needs. Contract §3: revenue = quantity × unit_price − discount for
-- completed and returned lines (returns negative), 0 for cancelled. Cost of goods is charged on goods shipped
-- (completed lines): quantity × the catalogue's unit_cost, else revenue × (1 − $margin_rate). Returned goods are
-- not credited back (no restocking data, so they are treated as written off), which is what lets returns make a
-- customer unprofitable. Money stays DECIMAL(18,4) like staging's, so every later sum is exact and the same
-- whatever order parallel aggregation takes (and so are the profit and RFM ranks built on them).
-- A temp table of the columns its readers use (int_clv_inputs.sql, customer_value.sql, the realised margin in
-- stages/value): the line's ids, product and quantity stay behind, since a temp table is written uncompressed.
CREATE OR REPLACE TEMP TABLE int_value_lines AS
WITH orders AS (
    SELECT * FROM cra_work.int_orders_keyed
    WHERE customer_key IS NOT NULL AND ordered_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
),
products AS (
    -- max(): deterministic when a catalogue lists a product twice.
    SELECT product_id, max(unit_cost) AS unit_cost FROM stg_products GROUP BY product_id
),
rates AS (
    SELECT CAST(unnest($rate_currency) AS VARCHAR) AS currency, CAST(unnest($rate_value) AS DOUBLE) AS rate
),
converted AS (
    SELECT o.customer_key, CAST(o.ordered_at AS DATE) AS order_day, o.status,
           o.quantity, o.unit_price, o.discount, o.revenue, p.unit_cost, coalesce(r.rate, 1) AS rate
    FROM orders o
    LEFT JOIN products p USING (product_id)
    LEFT JOIN rates r ON r.currency = o.currency
),
final AS (
    SELECT customer_key, order_day, status,
           CAST(revenue * rate AS DECIMAL(18, 4)) AS revenue,
           CAST(CASE WHEN status = 'completed' THEN quantity * unit_price * rate ELSE 0 END AS DECIMAL(18, 4)) AS gross,
           CAST(CASE WHEN status = 'completed' THEN discount * rate ELSE 0 END AS DECIMAL(18, 4)) AS discount,
           CAST(CASE WHEN status = 'returned' THEN -revenue * rate ELSE 0 END AS DECIMAL(18, 4)) AS returned,
           CAST(CASE WHEN status <> 'completed' THEN 0
                     WHEN unit_cost IS NOT NULL THEN quantity * unit_cost
                     ELSE revenue * rate * (1 - $margin_rate) END AS DECIMAL(18, 4)) AS cost
    FROM converted
)
SELECT * FROM final;
