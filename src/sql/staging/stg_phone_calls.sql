-- stg_phone_calls: call-centre log → typed reason/direction/resolved from the value map, CSAT 1–5, validated.
CREATE OR REPLACE TEMP TABLE stg_batch AS
WITH source AS (
    SELECT *,
           cra_value(direction, $vm_direction_synonyms, $vm_direction_canonicals) AS vm_direction,
           cra_value(reason, $vm_reason_synonyms, $vm_reason_canonicals) AS vm_reason,
           cra_value(resolved, $vm_resolved_synonyms, $vm_resolved_canonicals) AS vm_resolved
    FROM raw_batch
),
parsed AS (
    SELECT filename, COLUMNS('^__raw_'), is_malformed, started_at AS started_at_raw, duration_s AS duration_s_raw,
           direction AS direction_raw, reason AS reason_raw, resolved AS resolved_raw, csat AS csat_raw,
           cra_text(call_id) AS call_id,
           cra_ts(started_at, $ts_format, $timezone) AS started_at,
           cra_text(phone) AS phone,
           cra_text(customer_id) AS customer_id,
           cra_text(email) AS email,
           CAST(cra_number(duration_s) AS DECIMAL(18, 3)) AS duration_s,
           vm_direction AS direction,
           vm_reason AS reason,
           vm_resolved = 'true' AS resolved,
           TRY_CAST(cra_number(csat) AS INTEGER) AS csat,
           cra_text(caller_name) AS caller_name,
           cra_row_key($natural_key, list_value(call_id),
                       list_value(call_id, started_at, phone, customer_id, email, duration_s, direction, reason, resolved, csat, caller_name)) AS row_key,
           vm_direction AS direction_mapped,
           vm_reason AS reason_mapped,
           vm_resolved AS resolved_mapped
    FROM source
),
checked AS (
    SELECT *,
           CASE
               WHEN is_malformed THEN 'malformed_row'
               WHEN call_id IS NULL OR cra_text(started_at_raw) IS NULL THEN 'missing_required'
               WHEN cra_bad_ts(started_at_raw, started_at) THEN 'bad_timestamp'
               WHEN cra_bad_number(duration_s_raw) OR cra_bad_number(csat_raw) THEN 'bad_number'
               WHEN csat IS NOT NULL AND csat NOT BETWEEN 1 AND 5 THEN 'out_of_range'
               WHEN cra_bad_value(direction_raw, direction_mapped) OR cra_bad_value(reason_raw, reason_mapped)
                    OR cra_bad_value(resolved_raw, resolved_mapped) THEN 'unknown_value'
               WHEN started_at > $future_limit THEN 'future_date'
           END AS reject_reason
    FROM parsed
),
-- Worded only for rejected rows: CASE evaluates its ELSE branch on those rows alone.
explained AS (
    SELECT *,
           CASE WHEN reject_reason IS NULL THEN NULL ELSE CASE
               WHEN call_id IS NULL THEN 'call_id is empty'
               WHEN cra_text(started_at_raw) IS NULL THEN 'started_at is empty'
               WHEN cra_bad_ts(started_at_raw, started_at) THEN 'started_at "' || started_at_raw || '" does not match the timestamp format'
               WHEN cra_bad_number(duration_s_raw) THEN 'duration_s "' || duration_s_raw || '" is not a number'
               WHEN cra_bad_number(csat_raw) THEN 'csat "' || csat_raw || '" is not a number'
               WHEN csat IS NOT NULL AND csat NOT BETWEEN 1 AND 5 THEN 'csat ' || csat || ' is outside 1–5'
               WHEN cra_bad_value(direction_raw, direction_mapped) THEN 'direction "' || direction_raw || '" is unknown; add it under values.direction'
               WHEN cra_bad_value(reason_raw, reason_mapped) THEN 'reason "' || reason_raw || '" is unknown; add it under values.reason'
               WHEN cra_bad_value(resolved_raw, resolved_mapped) THEN 'resolved "' || resolved_raw || '" is not a yes/no value'
               WHEN started_at > $future_limit THEN 'started_at ' || CAST(started_at AS VARCHAR) || ' is in the future'
           END END AS reject_detail
    FROM checked
)
SELECT filename, cra_rejected_text(reject_reason, list_value(*COLUMNS('^__raw_')), $raw_delimiter) AS raw, row_key, reject_reason, reject_detail,
       call_id, started_at, phone, customer_id, email, duration_s, direction, reason, resolved, csat, caller_name,
       started_at AS activity_at
FROM explained;
