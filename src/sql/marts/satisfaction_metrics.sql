-- satisfaction_metrics: the phone side of the satisfaction stage, appended to out_model_metrics (model
-- 'satisfaction') from int_satisfaction_calls, int_satisfaction_churn and int_satisfaction_groups (customer →
-- segment / rfm_segment / risk_band, for the stages that ran). Rates whose denominator is 0 are left out.
--   overall/all         calls, identified_calls, complaints, complaint_rate (complaint calls / calls), csat_responses,
--                       csat_mean, first_contacts (FCR-eligible), fcr_resolved, fcr_rate
--   csat/1..5           csat_responses (every score 1–5, zeros included)
--   reason/<reason>     calls, csat_mean
--   <group>/<value>     customers, calls, calls_<reason>, complaint_rate, csat_mean (identified calls)
--   csat_band/<band>    active_buyers, churned, churn_rate (int_satisfaction_churn)
INSERT INTO out_model_metrics
WITH calls AS (
    SELECT * FROM int_satisfaction_calls
),
groups AS (
    SELECT * FROM int_satisfaction_groups
),
churn AS (
    SELECT * FROM int_satisfaction_churn
),
overall AS (
    SELECT 'overall' AS dimension, 'all' AS dimension_value, metric, value
    FROM (SELECT count(*) AS calls, count(customer_key) AS identified_calls, count(*) FILTER (WHERE complaint) AS complaints,
                 count(*) FILTER (WHERE complaint) / nullif(count(*), 0) AS complaint_rate,
                 count(csat) AS csat_responses, avg(csat) AS csat_mean,
                 count(*) FILTER (WHERE fcr_eligible) AS first_contacts, count(*) FILTER (WHERE fcr_resolved) AS fcr_resolved,
                 count(*) FILTER (WHERE fcr_resolved) / nullif(count(*) FILTER (WHERE fcr_eligible), 0) AS fcr_rate
          FROM calls)
    UNPIVOT (value FOR metric IN (COLUMNS(*)))
),
csat AS (
    SELECT 'csat', CAST(s.score AS VARCHAR), 'csat_responses', count(c.csat)
    FROM range(1, 6) s(score) LEFT JOIN calls c ON c.csat = s.score GROUP BY s.score
),
by_reason AS (
    SELECT 'reason', reason, metric, value
    FROM (SELECT reason, count(*) AS calls, avg(csat) AS csat_mean FROM calls GROUP BY reason)
    UNPIVOT (value FOR metric IN (calls, csat_mean))
),
group_calls AS (
    SELECT g.dimension, g.dimension_value, c.*
    FROM groups g JOIN calls c USING (customer_key)
),
by_group AS (
    SELECT dimension, dimension_value, 'customers', count(*) FROM groups GROUP BY ALL
    UNION ALL
    SELECT dimension, dimension_value, metric, value
    FROM (SELECT dimension, dimension_value, count(*) AS calls,
                 count(*) FILTER (WHERE complaint) / count(*) AS complaint_rate, avg(csat) AS csat_mean
          FROM group_calls GROUP BY ALL)
    UNPIVOT (value FOR metric IN (calls, complaint_rate, csat_mean))
    UNION ALL
    SELECT dimension, dimension_value, 'calls_' || reason, count(*) FROM group_calls GROUP BY ALL
),
by_band AS (
    SELECT 'csat_band', csat_band, metric, value
    FROM (SELECT csat_band, count(*) AS active_buyers, count(*) FILTER (WHERE churned) AS churned,
                 count(*) FILTER (WHERE churned) / count(*) AS churn_rate
          FROM churn GROUP BY csat_band)
    UNPIVOT (value FOR metric IN (active_buyers, churned, churn_rate))
),
final AS (
    SELECT 'satisfaction' AS model, metric, dimension, dimension_value, CAST(value AS DOUBLE) AS value FROM overall
    UNION ALL SELECT 'satisfaction', metric, dimension, dimension_value, value FROM (
        SELECT * FROM csat UNION ALL SELECT * FROM by_reason UNION ALL SELECT * FROM by_group UNION ALL SELECT * FROM by_band
    ) t(dimension, dimension_value, metric, value)
)
SELECT model, metric, dimension, dimension_value, value FROM final WHERE value IS NOT NULL AND isfinite(value);
