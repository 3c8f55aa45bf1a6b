-- anomalies (contract §4): the flagged customer × metric rows of int_anomaly_scores, strongest first. Each metric
-- keeps at most $max_per_metric rows and the table at most $max_total, so one noisy metric cannot crowd out the
-- others; ties in |score| go to customer_key, then metric, so the order is deterministic.
CREATE OR REPLACE TEMP TABLE out_anomalies AS
WITH scores AS (
    -- Rounded to 9 decimals: the robust statistics sum doubles in whatever order parallel aggregation takes, and
    -- the last bits must not change a rerun's output (or its ranking).
    SELECT * REPLACE (round(score, 9) AS score, round(value, 9) AS value, round(expected, 9) AS expected)
    FROM int_anomaly_scores
),
flagged AS (
    SELECT *, row_number() OVER (PARTITION BY metric ORDER BY abs(score) DESC, customer_key) AS metric_rank
    FROM scores WHERE flagged
),
capped AS (
    SELECT *, row_number() OVER (ORDER BY abs(score) DESC, customer_key, metric) AS overall_rank
    FROM flagged WHERE metric_rank <= $max_per_metric
),
final AS (
    SELECT customer_key, metric, value, expected, score, explanation,
           compared_with AS peer_group, CAST(overall_rank AS INTEGER) AS "rank"
    FROM capped WHERE overall_rank <= $max_total
)
SELECT * FROM final;

