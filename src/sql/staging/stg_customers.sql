-- stg_customers: a CRM or shop customer export → typed consent flags and creation time, validated.
-- A row with no identity at all (no id, email or phone) cannot be linked to anything and is rejected.
CREATE OR REPLACE TEMP TABLE stg_batch AS
WITH source AS (
    SELECT *,
           cra_value(email_opt_out, $vm_email_opt_out_synonyms, $vm_email_opt_out_canonicals) AS vm_email_opt_out,
           cra_value(marketing_consent, $vm_marketing_consent_synonyms, $vm_marketing_consent_canonicals) AS vm_marketing_consent,
           cra_value(profiling_opt_out, $vm_profiling_opt_out_synonyms, $vm_profiling_opt_out_canonicals) AS vm_profiling_opt_out
    FROM raw_batch
),
parsed AS (
    SELECT filename, COLUMNS('^__raw_'), is_malformed, created_at AS created_at_raw,
           email_opt_out AS email_opt_out_raw, marketing_consent AS marketing_consent_raw, profiling_opt_out AS profiling_opt_out_raw,
           cra_text(customer_id) AS customer_id,
           cra_text(email) AS email,
           cra_text(phone) AS phone,
           cra_text(first_name) AS first_name,
           cra_text(last_name) AS last_name,
           cra_text(name) AS name,
           cra_text(postcode) AS postcode,
           cra_text(city) AS city,
           cra_text(country) AS country,
           cra_ts(created_at, $ts_format, $timezone) AS created_at,
           vm_email_opt_out = 'true' AS email_opt_out,
           vm_marketing_consent = 'true' AS marketing_consent,
           vm_profiling_opt_out = 'true' AS profiling_opt_out,
           cra_row_key(false, CAST(NULL AS VARCHAR[]),
                       list_value(customer_id, email, phone, first_name, last_name, name, postcode, city, country,
                                 created_at, email_opt_out, marketing_consent, profiling_opt_out)) AS row_key,
           vm_email_opt_out AS email_opt_out_mapped,
           vm_marketing_consent AS marketing_consent_mapped,
           vm_profiling_opt_out AS profiling_opt_out_mapped
    FROM source
),
checked AS (
    SELECT *,
           CASE
               WHEN is_malformed THEN 'malformed_row'
               WHEN customer_id IS NULL AND email IS NULL AND phone IS NULL THEN 'missing_required'
               WHEN cra_bad_ts(created_at_raw, created_at) THEN 'bad_timestamp'
               WHEN cra_bad_value(email_opt_out_raw, email_opt_out_mapped) OR cra_bad_value(marketing_consent_raw, marketing_consent_mapped)
                    OR cra_bad_value(profiling_opt_out_raw, profiling_opt_out_mapped) THEN 'unknown_value'
           END AS reject_reason
    FROM parsed
),
-- Worded only for rejected rows: CASE evaluates its ELSE branch on those rows alone.
explained AS (
    SELECT *,
           CASE WHEN reject_reason IS NULL THEN NULL ELSE CASE
               WHEN customer_id IS NULL AND email IS NULL AND phone IS NULL THEN 'no customer_id, email or phone'
               WHEN cra_bad_ts(created_at_raw, created_at) THEN 'created_at "' || created_at_raw || '" does not match the timestamp format'
               WHEN cra_bad_value(email_opt_out_raw, email_opt_out_mapped) THEN 'email_opt_out "' || email_opt_out_raw || '" is not a yes/no value'
               WHEN cra_bad_value(marketing_consent_raw, marketing_consent_mapped) THEN 'marketing_consent "' || marketing_consent_raw || '" is not a yes/no value'
               WHEN cra_bad_value(profiling_opt_out_raw, profiling_opt_out_mapped) THEN 'profiling_opt_out "' || profiling_opt_out_raw || '" is not a yes/no value'
           END END AS reject_detail
    FROM checked
)
SELECT filename, cra_rejected_text(reject_reason, list_value(*COLUMNS('^__raw_')), $raw_delimiter) AS raw, row_key, reject_reason, reject_detail,
       customer_id, email, phone, first_name, last_name, name, postcode, city, country, created_at,
       CASE WHEN cra_text(email_opt_out_raw) IS NULL THEN NULL ELSE email_opt_out END AS email_opt_out,
       CASE WHEN cra_text(marketing_consent_raw) IS NULL THEN NULL ELSE marketing_consent END AS marketing_consent,
       coalesce(profiling_opt_out, false) AS profiling_opt_out,
       CAST(NULL AS TIMESTAMP) AS activity_at
FROM explained;
