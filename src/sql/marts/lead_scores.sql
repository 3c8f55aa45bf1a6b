-- lead_scores: one row per scored prospect (int_retention_windows, snapshot `score`): the probability of a first
-- purchase within the horizon (their leaf's rate in the lead tree), whether they may be contacted (out_customers:
-- the latest explicit consent signal), and the leaf's rule. Leaves come from the CART engine as in churn_scores.
CREATE OR REPLACE TEMP TABLE out_lead_scores AS
WITH scored AS (
    SELECT customer_key, row_number() OVER (ORDER BY customer_key) - 1 AS rid
    FROM int_retention_windows
    WHERE snapshot = 'score' AND population = 'prospect'
),
customers AS (
    SELECT customer_key, is_contactable FROM out_customers
),
row_leaves AS (
    SELECT CAST(rid AS BIGINT) AS rid, CAST(leaf AS INTEGER) AS leaf_id FROM int_retention_row_leaves WHERE model = 'lead'
),
leaves AS (
    SELECT CAST(leaf AS INTEGER) AS leaf_id, probability, rule FROM int_retention_leaves WHERE model = 'lead'
),
final AS (
    SELECT s.customer_key,
           l.probability AS purchase_probability,
           coalesce(c.is_contactable, true) AS is_contactable,
           l.rule,
           r.leaf_id
    FROM scored s
    JOIN row_leaves r USING (rid)
    JOIN leaves l USING (leaf_id)
    LEFT JOIN customers c USING (customer_key)
)
SELECT * FROM final;
