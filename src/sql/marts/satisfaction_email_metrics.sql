-- satisfaction_email_metrics: the email side of the satisfaction stage, appended to out_model_metrics (model
-- 'satisfaction'): events in the last $period_days up to $as_of, overall (dimension 'overall') and by campaign
-- (dimension 'campaign', '(none)' for events without one). Counts are events, as the sender logs them: email_sent,
-- email_delivered, email_unsubscribes, email_complaints; rates are per sent email and left out without sends.
INSERT INTO out_model_metrics
WITH cutoff AS (
    SELECT CAST($as_of AS DATE) AS as_of
),
events AS (
    SELECT coalesce(e.campaign_id, '(none)') AS campaign, e.event_type
    FROM cra_work.int_email_events_keyed e CROSS JOIN cutoff c
    WHERE e.event_at < CAST($as_of AS DATE) + INTERVAL 1 DAY AND date_diff('day', CAST(e.event_at AS DATE), c.as_of) < $period_days
),
counted AS (
    SELECT 'campaign' AS dimension, campaign AS dimension_value,
           count(*) FILTER (WHERE event_type = 'sent') AS email_sent,
           count(*) FILTER (WHERE event_type = 'delivered') AS email_delivered,
           count(*) FILTER (WHERE event_type = 'unsubscribe') AS email_unsubscribes,
           count(*) FILTER (WHERE event_type = 'complaint') AS email_complaints
    FROM events GROUP BY campaign
    UNION ALL
    SELECT 'overall', 'all',
           count(*) FILTER (WHERE event_type = 'sent'), count(*) FILTER (WHERE event_type = 'delivered'),
           count(*) FILTER (WHERE event_type = 'unsubscribe'), count(*) FILTER (WHERE event_type = 'complaint')
    FROM events HAVING count(*) > 0
),
rated AS (
    SELECT *, email_unsubscribes / nullif(email_sent, 0) AS email_unsubscribe_rate,
              email_complaints / nullif(email_sent, 0) AS email_complaint_rate
    FROM counted
),
final AS (
    SELECT 'satisfaction' AS model, metric, dimension, dimension_value, CAST(value AS DOUBLE) AS value
    FROM rated UNPIVOT (value FOR metric IN (email_sent, email_delivered, email_unsubscribes, email_complaints,
                                              email_unsubscribe_rate, email_complaint_rate))
)
SELECT model, metric, dimension, dimension_value, value FROM final WHERE value IS NOT NULL;
