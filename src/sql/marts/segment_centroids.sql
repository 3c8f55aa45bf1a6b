-- out_segment_centroids: one row per segment × clustering feature (int_segment_stats): the segment's mean and
-- median in original units next to all segmented buyers', and z, the standardised difference from the buyers
-- (the k-means centroid under transform auto or standardise) — the long form of the profile, whatever features
-- segments.features names.
CREATE OR REPLACE TEMP TABLE out_segment_centroids AS
WITH stats AS (
    -- Rounded to 9 decimals: means of doubles keep the same value whatever order the parallel sums take.
    SELECT CAST(cluster AS INTEGER) AS cluster, feature_index, feature, round(mean, 9) AS mean, median,
           round(population_mean, 9) AS population_mean, population_median, round(z, 9) AS z
    FROM int_segment_stats
),
ids AS (
    SELECT CAST(cluster AS INTEGER) AS cluster, CAST(segment_id AS INTEGER) AS segment_id, segment_name FROM int_segment_ids
),
final AS (
    SELECT i.segment_id, i.segment_name, s.feature, s.feature_index + 1 AS feature_position, s.mean, s.median,
           s.population_mean, s.population_median, s.z
    FROM stats s JOIN ids i USING (cluster)
)
SELECT * FROM final ORDER BY segment_id, feature_position;
