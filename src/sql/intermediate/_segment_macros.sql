-- The segments stage's feature transform as macros, so one definition serves the parameter fit
-- (int_segment_params.sql), the k-means matrix, the profiles and the matching against the previous run's
-- parameters (int_segment_prev_space.sql). Per feature: impute the median for NULL, clip to [lo, hi] (NULL bound =
-- no clip), log1p where flagged, then z = (t − center) / scale. ln(1 + greatest(·, 0)) only matters when a
-- previous run's parameters meet new data: a flagged feature had lo ≥ 0, so clipped values are never negative.
CREATE OR REPLACE TEMP MACRO segment_clip(x, lo, hi) AS
    least(greatest(x, coalesce(lo, x)), coalesce(hi, x));

CREATE OR REPLACE TEMP MACRO segment_shape(value, median, lo, hi, log) AS
    CASE WHEN log THEN ln(1 + greatest(segment_clip(coalesce(value, median), lo, hi), 0))
         ELSE segment_clip(coalesce(value, median), lo, hi) END;

CREATE OR REPLACE TEMP MACRO segment_z(value, median, lo, hi, log, center, scale) AS
    (segment_shape(value, median, lo, hi, log) - center) / scale;

-- 12 significant digits: sums over doubles run in parallel in any order, so their last bits may differ
-- between runs; rounded, the centre and scale (hence the matrix and the fit) are the same every time.
CREATE OR REPLACE TEMP MACRO segment_round(x) AS
    CASE WHEN x IS NULL OR x = 0 OR NOT isfinite(x) THEN x
         ELSE round(x, 11 - CAST(floor(log10(abs(x))) AS INTEGER)) END;
