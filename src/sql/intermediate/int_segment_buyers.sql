-- int_segment_buyers: who the segments stage clusters — buyers (a completed order up to as_of: frequency > 0 in
-- out_customer_features, the rows of out_customer_value) minus customers with profiling_opt_out (contract §2),
-- numbered 0..n-1 in customer_key order: row_id is the row of the k-means matrix, so the order is deterministic.
-- Also int_segment_feature_names (feature_index, feature): the configured features in order.
CREATE OR REPLACE TEMP TABLE int_segment_buyers AS
WITH buyers AS (
    SELECT customer_key FROM out_customer_features WHERE frequency > 0
),
opted_out AS (
    SELECT customer_key FROM out_customers WHERE profiling_opt_out
),
final AS (
    SELECT b.customer_key, CAST(row_number() OVER (ORDER BY b.customer_key) - 1 AS BIGINT) AS row_id
    FROM buyers b ANTI JOIN opted_out o USING (customer_key)
)
SELECT * FROM final;

CREATE OR REPLACE TEMP TABLE int_segment_feature_names AS
WITH names AS (
    SELECT unnest($features) AS feature, generate_subscripts($features, 1) AS position
),
final AS (
    SELECT CAST(position - 1 AS INTEGER) AS feature_index, CAST(feature AS VARCHAR) AS feature FROM names
)
SELECT * FROM final;
