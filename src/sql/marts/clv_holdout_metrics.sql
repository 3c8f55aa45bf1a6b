-- clv_holdout_metrics: the BG/NBD holdout check, appended to out_model_metrics (model `clv`). For every customer
-- of the calibration period, predicted repeat purchases in (calibration_end, as_of] (int_clv_holdout, computed
-- with the fitted parameters) against the transactions they actually made then (int_clv_inputs.holdout_x):
-- the mean absolute error, totals, and the standard calibration/holdout table by calibration frequency
-- (0 … 6, 7+) with customers, mean actual and mean predicted.
INSERT INTO out_model_metrics
WITH pairs AS (
    SELECT i.x_cal, i.holdout_x AS actual, h.predicted
    FROM int_clv_inputs i JOIN int_clv_holdout h ON CAST(h.rid AS BIGINT) = i.rid
),
buckets AS (
    SELECT CASE WHEN x_cal >= 7 THEN '7+' ELSE CAST(CAST(x_cal AS INTEGER) AS VARCHAR) END AS bucket,
           count(*) AS customers, avg(actual) AS actual_mean, avg(predicted) AS predicted_mean
    FROM pairs GROUP BY bucket
),
final AS (
    SELECT 'clv' AS model, metric, 'overall' AS dimension, 'all' AS dimension_value, value FROM (
        SELECT avg(abs(predicted - actual)) AS holdout_mae, sum(actual) AS holdout_actual_total,
               sum(predicted) AS holdout_predicted_total, CAST(count(*) AS DOUBLE) AS holdout_customers,
               CAST(date_diff('day', CAST($calibration_end AS DATE), CAST($as_of AS DATE)) AS DOUBLE) AS holdout_days
        FROM pairs
    ) UNPIVOT (value FOR metric IN (holdout_mae, holdout_actual_total, holdout_predicted_total, holdout_customers, holdout_days))
    UNION ALL
    SELECT 'clv', metric, 'calibration_frequency', bucket, value FROM (
        SELECT bucket, CAST(customers AS DOUBLE) AS holdout_customers, actual_mean AS holdout_actual_mean,
               predicted_mean AS holdout_predicted_mean
        FROM buckets
    ) UNPIVOT (value FOR metric IN (holdout_customers, holdout_actual_mean, holdout_predicted_mean))
)
SELECT model, metric, dimension, dimension_value, CAST(value AS DOUBLE) FROM final;
