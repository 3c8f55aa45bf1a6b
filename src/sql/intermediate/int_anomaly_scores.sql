-- int_anomaly_scores: int_anomaly_deviations with a robust z per row: score = (deviation − median) / max(1.4826 ×
-- MAD, scale_floor), the median and MAD (median absolute deviation; 1.4826 × MAD estimates a normal sd) taken over
-- the customer's peer group for that metric. A peer group with fewer than $min_peers judged customers for the
-- metric borrows the metric's statistics over everyone ('all'), since a median of a handful says little.
-- `flagged` when the score reaches $threshold on the metric's alarming side (direction × score ≥ threshold).
CREATE OR REPLACE TEMP TABLE int_anomaly_scores AS
WITH deviations AS (
    SELECT * FROM int_anomaly_deviations
),
group_stats AS (
    SELECT metric, peer_group, count(*) AS peers,
           median(CAST(deviation AS DOUBLE)) AS center, mad(CAST(deviation AS DOUBLE)) AS spread
    FROM deviations GROUP BY metric, peer_group
),
overall_stats AS (
    SELECT metric, count(*) AS peers,
           median(CAST(deviation AS DOUBLE)) AS center, mad(CAST(deviation AS DOUBLE)) AS spread
    FROM deviations GROUP BY metric
),
compared AS (
    SELECT d.*,
           CASE WHEN g.peers >= $min_peers THEN d.peer_group ELSE 'all' END AS compared_with,
           CASE WHEN g.peers >= $min_peers THEN g.peers ELSE o.peers END AS peers,
           CASE WHEN g.peers >= $min_peers THEN g.center ELSE o.center END AS center,
           CASE WHEN g.peers >= $min_peers THEN g.spread ELSE o.spread END AS spread
    FROM deviations d
    JOIN group_stats g USING (metric, peer_group)
    JOIN overall_stats o USING (metric)
),
final AS (
    SELECT *,
           (deviation - center) / greatest(1.4826 * spread, scale_floor) AS score,
           direction * (deviation - center) / greatest(1.4826 * spread, scale_floor) >= $threshold AS flagged
    FROM compared
)
SELECT * FROM final;
