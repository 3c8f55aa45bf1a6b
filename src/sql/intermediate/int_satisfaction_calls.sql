-- int_satisfaction_calls: every call in the last $period_days up to $as_of (days_ago < $period_days; nothing later is
-- read), anonymous ones included, with its reason ('unknown' when the log has none) and what first-contact resolution
-- needs. Repeats are judged per identified customer and reason over $fcr_window_days days, reading calls outside the
-- period too (a call on the period's first day may repeat one from the day before):
--   first_contact   no call by the same customer with the same reason in the $fcr_window_days days before it;
--   fcr_eligible    a first contact whose follow-up window ends by as_of (started more than $fcr_window_days days
--                   before as_of + 1 day) and whose resolved flag is known;
--   fcr_resolved    eligible, marked resolved, and no call by the same customer with the same reason in the
--                   $fcr_window_days days after it.
CREATE OR REPLACE TEMP TABLE int_satisfaction_calls AS
WITH cutoff AS (
    SELECT CAST($as_of AS DATE) AS as_of, CAST($as_of AS DATE) + INTERVAL 1 DAY AS before
),
calls AS (
    SELECT p.call_id, p.source, p.customer_key, p.started_at, coalesce(p.reason, 'unknown') AS reason,
           p.resolved, p.csat, date_diff('day', CAST(p.started_at AS DATE), c.as_of) AS days_ago
    FROM cra_work.int_calls_keyed p CROSS JOIN cutoff c
    WHERE p.started_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
),
neighbours AS (
    SELECT *,
           lag(started_at) OVER by_customer_reason AS previous_at,
           lead(started_at) OVER by_customer_reason AS next_at
    FROM calls
    WHERE customer_key IS NOT NULL
    WINDOW by_customer_reason AS (PARTITION BY customer_key, reason ORDER BY started_at, source, call_id)
),
flags AS (
    SELECT n.source, n.call_id,
           n.previous_at IS NULL OR n.previous_at < n.started_at - to_days(CAST($fcr_window_days AS INTEGER)) AS first_contact,
           n.next_at IS NOT NULL AND n.next_at <= n.started_at + to_days(CAST($fcr_window_days AS INTEGER)) AS repeated,
           n.started_at + to_days(CAST($fcr_window_days AS INTEGER)) < c.before AS window_complete
    FROM neighbours n CROSS JOIN cutoff c
),
final AS (
    SELECT k.*, k.reason = 'complaint' AS complaint,
           coalesce(f.first_contact, false) AS first_contact,
           coalesce(f.first_contact AND f.window_complete AND k.resolved IS NOT NULL, false) AS fcr_eligible,
           coalesce(f.first_contact AND f.window_complete AND k.resolved AND NOT f.repeated, false) AS fcr_resolved
    FROM calls k LEFT JOIN flags f USING (source, call_id)
    WHERE k.days_ago < $period_days
)
SELECT * FROM final;
