-- churn_scores: one row per scored active buyer (int_retention_windows, snapshot `score`): the churn probability of
-- their leaf in the published tree (the leaf's unweighted churn rate in the window it was fitted on), the risk band
-- by the documented cut-offs ($high, $medium), and the leaf's rule. int_retention_row_leaves holds the leaf of every
-- row in customer_key order (computed by the CART engine), int_retention_leaves each leaf's probability and rule.
CREATE OR REPLACE TEMP TABLE out_churn_scores AS
WITH scored AS (
    SELECT customer_key, row_number() OVER (ORDER BY customer_key) - 1 AS rid
    FROM int_retention_windows
    WHERE snapshot = 'score' AND population = 'active_buyer'
),
row_leaves AS (
    SELECT CAST(rid AS BIGINT) AS rid, CAST(leaf AS INTEGER) AS leaf_id FROM int_retention_row_leaves WHERE model = 'churn'
),
leaves AS (
    SELECT CAST(leaf AS INTEGER) AS leaf_id, probability, rule FROM int_retention_leaves WHERE model = 'churn'
),
final AS (
    SELECT s.customer_key,
           l.probability AS churn_probability,
           CASE WHEN l.probability >= $high THEN 'high' WHEN l.probability >= $medium THEN 'medium' ELSE 'low' END AS risk_band,
           l.rule,
           r.leaf_id
    FROM scored s
    JOIN row_leaves r USING (rid)
    JOIN leaves l USING (leaf_id)
)
SELECT * FROM final;
