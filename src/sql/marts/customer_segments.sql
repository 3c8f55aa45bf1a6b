-- out_customer_segments: one row per segmented buyer (int_segment_buyers) with the stable segment id and name the
-- stage assigned to its k-means cluster (int_segment_ids) and the Euclidean distance to the cluster's centre in
-- the standardised feature space (int_segment_labels), so analysts can find the most typical members.
CREATE OR REPLACE TEMP TABLE out_customer_segments AS
WITH buyers AS (
    SELECT customer_key, row_id FROM int_segment_buyers
),
labels AS (
    SELECT row_id, CAST(cluster AS INTEGER) AS cluster, distance FROM int_segment_labels
),
ids AS (
    SELECT CAST(cluster AS INTEGER) AS cluster, CAST(segment_id AS INTEGER) AS segment_id, segment_name FROM int_segment_ids
),
final AS (
    SELECT b.customer_key, i.segment_id, i.segment_name, l.distance
    FROM buyers b JOIN labels l USING (row_id) JOIN ids i USING (cluster)
)
SELECT * FROM final ORDER BY customer_key;
