-- int_segment_prev_space: this run's clusters expressed in the previous run's transform, for stable ids. The
-- previous model's parameters arrive as int_segment_prev_params (feature_index, median, lo, hi, log, center,
-- scale; feature_index in this run's feature order) and each cluster's members are transformed with them, so
-- both centroid sets sit in one space (the previous run's) before they are matched.
CREATE OR REPLACE TEMP TABLE int_segment_prev_space AS
WITH members AS (
    SELECT l.cluster, r.feature_index, segment_z(r.value, p.median, p.lo, p.hi, p.log, p.center, p.scale) AS z
    FROM int_segment_raw r
    JOIN int_segment_labels l USING (row_id)
    JOIN int_segment_prev_params p USING (feature_index)
),
final AS (
    SELECT cluster, feature_index, fsum(z) / count(*) AS z FROM members GROUP BY cluster, feature_index
)
SELECT * FROM final ORDER BY cluster, feature_index;
