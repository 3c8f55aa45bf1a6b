-- int_segment_stats: each fitted cluster (int_segment_labels: row_id, cluster, distance) described per feature —
-- mean and median in original units (raw values, NULLs left out), the population's, and z: the standardised
-- difference of the cluster's mean shaped value (imputed, clipped, log1p as in int_segment_params) from the
-- buyers' mean, in the buyers' standard deviations. With transform auto or standardise z is the k-means centroid;
-- with none it still puts every feature on one scale, for names and the report's heatmap.
-- int_segment_clusters: per cluster its size and median frequency (a median of 1 names it "one-time").
CREATE OR REPLACE TEMP TABLE int_segment_stats AS
WITH labelled AS (
    SELECT l.cluster, r.feature_index, r.value, segment_shape(r.value, p.median, p.lo, p.hi, p.log) AS t
    FROM int_segment_raw r
    JOIN int_segment_labels l USING (row_id)
    JOIN int_segment_params p USING (feature_index)
),
population AS (
    SELECT feature_index, fsum(value) / count(value) AS population_mean, quantile_cont(value, 0.5) AS population_median,
           fsum(t) / count(*) AS t_mean
    FROM labelled GROUP BY feature_index
),
spread AS (
    SELECT l.feature_index, sqrt(fsum(pow(l.t - p.t_mean, 2)) / count(*)) AS t_sd
    FROM labelled l JOIN population p USING (feature_index) GROUP BY l.feature_index
),
clusters AS (
    SELECT cluster, feature_index, fsum(value) / count(value) AS mean, quantile_cont(value, 0.5) AS median, fsum(t) / count(*) AS t_mean
    FROM labelled GROUP BY cluster, feature_index
),
final AS (
    SELECT c.cluster, c.feature_index, n.feature, c.mean, c.median, p.population_mean, p.population_median,
           (c.t_mean - p.t_mean) / CASE WHEN s.t_sd > 0 THEN s.t_sd ELSE 1 END AS z
    FROM clusters c
    JOIN population p USING (feature_index)
    JOIN spread s USING (feature_index)
    JOIN int_segment_feature_names n USING (feature_index)
)
SELECT * FROM final ORDER BY cluster, feature_index;

CREATE OR REPLACE TEMP TABLE int_segment_clusters AS
WITH members AS (
    SELECT l.cluster, f.frequency
    FROM int_segment_labels l
    JOIN int_segment_buyers b USING (row_id)
    JOIN out_customer_features f USING (customer_key)
),
final AS (
    SELECT cluster, count(*) AS customers, quantile_cont(frequency, 0.5) AS median_frequency FROM members GROUP BY cluster
)
SELECT * FROM final ORDER BY cluster;
