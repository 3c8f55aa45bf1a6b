-- stg_web_sessions: web analytics sessions → typed, validated. Anonymous sessions keep their visitor_id.
CREATE OR REPLACE TEMP TABLE stg_batch AS
WITH source AS (
    SELECT * FROM raw_batch
),
parsed AS (
    SELECT filename, COLUMNS('^__raw_'), is_malformed, started_at AS started_at_raw, page_views AS page_views_raw,
           duration_s AS duration_s_raw,
           cra_text(session_id) AS session_id,
           cra_ts(started_at, $ts_format, $timezone) AS started_at,
           cra_text(customer_id) AS customer_id,
           cra_text(email) AS email,
           cra_text(visitor_id) AS visitor_id,
           TRY_CAST(cra_number(page_views) AS INTEGER) AS page_views,
           CAST(cra_number(duration_s) AS DECIMAL(18, 3)) AS duration_s,
           lower(cra_text(source)) AS source,
           lower(cra_text(device)) AS device,
           cra_row_key($natural_key, list_value(session_id),
                       list_value(session_id, started_at, customer_id, email, visitor_id, page_views, duration_s, source, device)) AS row_key
    FROM source
),
checked AS (
    SELECT *,
           CASE
               WHEN is_malformed THEN 'malformed_row'
               WHEN session_id IS NULL OR cra_text(started_at_raw) IS NULL THEN 'missing_required'
               WHEN cra_bad_ts(started_at_raw, started_at) THEN 'bad_timestamp'
               WHEN cra_bad_number(page_views_raw) OR cra_bad_number(duration_s_raw) THEN 'bad_number'
               WHEN started_at > $future_limit THEN 'future_date'
           END AS reject_reason
    FROM parsed
),
-- Worded only for rejected rows: CASE evaluates its ELSE branch on those rows alone.
explained AS (
    SELECT *,
           CASE WHEN reject_reason IS NULL THEN NULL ELSE CASE
               WHEN session_id IS NULL THEN 'session_id is empty'
               WHEN cra_text(started_at_raw) IS NULL THEN 'started_at is empty'
               WHEN cra_bad_ts(started_at_raw, started_at) THEN 'started_at "' || started_at_raw || '" does not match the timestamp format'
               WHEN cra_bad_number(page_views_raw) THEN 'page_views "' || page_views_raw || '" is not a number'
               WHEN cra_bad_number(duration_s_raw) THEN 'duration_s "' || duration_s_raw || '" is not a number'
               WHEN started_at > $future_limit THEN 'started_at ' || CAST(started_at AS VARCHAR) || ' is in the future'
           END END AS reject_detail
    FROM checked
)
SELECT filename, cra_rejected_text(reject_reason, list_value(*COLUMNS('^__raw_')), $raw_delimiter) AS raw, row_key, reject_reason, reject_detail,
       session_id, started_at, customer_id, email, visitor_id, page_views, duration_s, source, device,
       started_at AS activity_at
FROM explained;
