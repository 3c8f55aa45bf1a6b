-- stg_email_events: email platform events → typed event_type from the value map, validated.
CREATE OR REPLACE TEMP TABLE stg_batch AS
WITH source AS (
    SELECT *,
           cra_value(event_type, $vm_event_type_synonyms, $vm_event_type_canonicals) AS vm_event_type
    FROM raw_batch
),
parsed AS (
    SELECT filename, COLUMNS('^__raw_'), is_malformed, event_at AS event_at_raw, event_type AS event_type_raw,
           cra_ts(event_at, $ts_format, $timezone) AS event_at,
           vm_event_type AS event_type,
           cra_text(email) AS email,
           cra_text(customer_id) AS customer_id,
           cra_text(campaign_id) AS campaign_id,
           cra_text(event_id) AS event_id,
           cra_row_key($natural_key, list_value(event_id),
                       list_value(event_at, event_type, email, customer_id, campaign_id, event_id)) AS row_key,
           vm_event_type AS event_type_mapped
    FROM source
),
checked AS (
    SELECT *,
           CASE
               WHEN is_malformed THEN 'malformed_row'
               WHEN cra_text(event_at_raw) IS NULL OR cra_text(event_type_raw) IS NULL THEN 'missing_required'
               WHEN cra_bad_ts(event_at_raw, event_at) THEN 'bad_timestamp'
               WHEN event_type IS NULL THEN 'unknown_value'
               WHEN event_at > $future_limit THEN 'future_date'
           END AS reject_reason
    FROM parsed
),
-- Worded only for rejected rows: CASE evaluates its ELSE branch on those rows alone.
explained AS (
    SELECT *,
           CASE WHEN reject_reason IS NULL THEN NULL ELSE CASE
               WHEN cra_text(event_at_raw) IS NULL THEN 'event_at is empty'
               WHEN cra_text(event_type_raw) IS NULL THEN 'event_type is empty'
               WHEN cra_bad_ts(event_at_raw, event_at) THEN 'event_at "' || event_at_raw || '" does not match the timestamp format'
               WHEN event_type IS NULL THEN 'event_type "' || event_type_raw || '" is not a known event type; add it under values.event_type'
               WHEN event_at > $future_limit THEN 'event_at ' || CAST(event_at AS VARCHAR) || ' is in the future'
           END END AS reject_detail
    FROM checked
)
SELECT filename, cra_rejected_text(reject_reason, list_value(*COLUMNS('^__raw_')), $raw_delimiter) AS raw, row_key, reject_reason, reject_detail,
       event_at, event_type, email, customer_id, campaign_id, event_id, event_at AS activity_at
FROM explained;
