-- int_segment_params: the transform of each clustering feature, fitted on the buyers in int_segment_raw
-- (row_id, feature_index, value; NULL = missing), and the k-means matrix as the view int_segment_matrix.
--   median  imputed for NULL (the median of the present values)
--   lo, hi  winsorising bounds: quantile_cont at $winsor_lo / $winsor_hi of the imputed values (transform auto only)
--   log     log1p, when transform is auto, the clipped values are all >= 0 and their skewness exceeds
--           $skew_threshold (population moment skewness m3 / m2^1.5: money and counts are typically right-skewed)
--   center, scale  mean and population standard deviation of the shaped values (0 and 1 for transform none;
--           scale 1 when the feature is constant, so it contributes 0 rather than NaN)
-- Sums use fsum (compensated) and are rounded by segment_round so reruns give bit-identical parameters.
CREATE OR REPLACE TEMP TABLE int_segment_params AS
WITH raw AS (
    SELECT row_id, feature_index, value FROM int_segment_raw
),
medians AS (
    SELECT feature_index, count(*) AS rows, count(value) AS present, quantile_cont(value, 0.5) AS median
    FROM raw GROUP BY feature_index
),
imputed AS (
    SELECT r.feature_index, coalesce(r.value, m.median) AS x FROM raw r JOIN medians m USING (feature_index)
),
bounds AS (
    SELECT feature_index,
           CASE WHEN $transform = 'auto' THEN quantile_cont(x, $winsor_lo) END AS lo,
           CASE WHEN $transform = 'auto' THEN quantile_cont(x, $winsor_hi) END AS hi
    FROM imputed GROUP BY feature_index
),
clipped AS (
    SELECT i.feature_index, segment_clip(i.x, b.lo, b.hi) AS c FROM imputed i JOIN bounds b USING (feature_index)
),
moments AS (
    SELECT feature_index, min(c) AS lowest, fsum(c) / count(*) AS mean FROM clipped GROUP BY feature_index
),
shape AS (
    SELECT c.feature_index, any_value(m.lowest) AS lowest,
           segment_round(fsum(pow(c.c - m.mean, 3)) / count(*) / nullif(pow(fsum(pow(c.c - m.mean, 2)) / count(*), 1.5), 0)) AS skewness
    FROM clipped c JOIN moments m USING (feature_index) GROUP BY c.feature_index
),
flags AS (
    SELECT feature_index, skewness,
           $transform = 'auto' AND lowest >= 0 AND coalesce(skewness > $skew_threshold, false) AS log
    FROM shape
),
shaped AS (
    SELECT c.feature_index, CASE WHEN f.log THEN ln(1 + c.c) ELSE c.c END AS t FROM clipped c JOIN flags f USING (feature_index)
),
spread AS (
    SELECT feature_index, fsum(t) / count(*) AS mean FROM shaped GROUP BY feature_index
),
scale AS (
    SELECT s.feature_index, segment_round(any_value(p.mean)) AS mean,
           segment_round(sqrt(fsum(pow(s.t - p.mean, 2)) / count(*))) AS sd
    FROM shaped s JOIN spread p USING (feature_index) GROUP BY s.feature_index
),
final AS (
    SELECT m.feature_index, n.feature, m.rows, m.present, m.median, b.lo, b.hi, f.skewness, f.log,
           CASE WHEN $transform = 'none' THEN 0 ELSE s.mean END AS center,
           CASE WHEN $transform = 'none' OR NOT (s.sd > 0) THEN 1 ELSE s.sd END AS scale
    FROM medians m
    JOIN bounds b USING (feature_index)
    JOIN flags f USING (feature_index)
    JOIN scale s USING (feature_index)
    JOIN int_segment_feature_names n USING (feature_index)
)
SELECT * FROM final ORDER BY feature_index;

CREATE OR REPLACE TEMP VIEW int_segment_matrix AS
SELECT r.row_id, r.feature_index, segment_z(r.value, p.median, p.lo, p.hi, p.log, p.center, p.scale) AS z
FROM int_segment_raw r JOIN int_segment_params p USING (feature_index);
