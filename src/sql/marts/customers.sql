-- customers: one row per resolved customer (golden record). Survivorship per field by identity.survivorship
-- (source priority, then CRM, then most recent or most frequent; int_customer_golden.sql, built before this in parts),
-- with the winning source per field (provenance). Consent: the latest explicit signal wins (unsubscribe/complaint
-- events, CRM email_opt_out / marketing_consent as of the export, i.e. as_of); no signal → contactable.
-- Stored in cra_work, like the keyed activity (int_activity_keyed.sql), behind a temp view of the output's name: as
-- temp tables this and the crosswalk stayed in DuckDB's memory, uncompressed, until publishing (at 1M customers,
-- identity's peak RSS was 3,916 MiB with them against 3,308 MiB without; docs/scaling.md).
CREATE OR REPLACE TABLE cra_work.out_customers AS
WITH cutoff AS (
    SELECT CAST($as_of AS DATE) + INTERVAL 1 DAY AS before
),
activity AS (
    SELECT customer_key, 'web' AS channel, ordered_at AS occurred_at, status = 'completed' AS is_purchase FROM cra_work.int_orders_keyed
    UNION ALL SELECT customer_key, 'web', started_at, false FROM cra_work.int_sessions_keyed
    UNION ALL SELECT customer_key, 'email', event_at, false FROM cra_work.int_email_events_keyed
    UNION ALL SELECT customer_key, 'phone', started_at, false FROM cra_work.int_calls_keyed
    UNION ALL SELECT customer_key, 'crm', created_at, false FROM cra_work.int_crm_keyed
),
activity_summary AS (
    -- Channels from one flag each, not list(DISTINCT channel): list aggregates do not spill, and this one ran over
    -- every activity row (out of memory at 100k customers with limits.memory 250MB).
    SELECT customer_key, min(occurred_at) AS first_seen_at, max(occurred_at) AS last_seen_at,
           list_filter([CASE WHEN bool_or(channel = 'crm') THEN 'crm' END, CASE WHEN bool_or(channel = 'email') THEN 'email' END,
                        CASE WHEN bool_or(channel = 'phone') THEN 'phone' END, CASE WHEN bool_or(channel = 'web') THEN 'web' END],
                       c -> c IS NOT NULL) AS channels,
           bool_or(is_purchase) AS is_buyer
    FROM activity, cutoff
    WHERE customer_key IS NOT NULL AND (occurred_at IS NULL OR occurred_at < cutoff.before)
    GROUP BY customer_key
),
consent_signals AS (
    SELECT customer_key, event_at AS occurred_at, false AS contactable FROM cra_work.int_email_events_keyed, cutoff
    WHERE event_type IN ('unsubscribe', 'complaint') AND event_at < cutoff.before
    UNION ALL SELECT customer_key, CAST($as_of AS TIMESTAMP), false FROM cra_work.int_crm_keyed WHERE email_opt_out
    UNION ALL SELECT customer_key, CAST($as_of AS TIMESTAMP), marketing_consent FROM cra_work.int_crm_keyed WHERE marketing_consent IS NOT NULL
),
consent AS (
    -- The latest signal wins, and at one instant an opt-out. The order is one BIGINT (microseconds × 2, plus 1 for an
    -- opt-out), not a struct: arg_max keeps a struct key where DuckDB cannot spill it, as the golden records' did at
    -- 4M customers (int_customer_golden.sql).
    SELECT customer_key, arg_max(contactable, epoch_us(occurred_at) * 2 + CAST(NOT contactable AS BIGINT)) AS is_contactable
    FROM consent_signals WHERE customer_key IS NOT NULL GROUP BY customer_key
),
opt_out AS (
    SELECT customer_key, bool_or(profiling_opt_out) AS profiling_opt_out FROM cra_work.int_crm_keyed
    WHERE customer_key IS NOT NULL GROUP BY customer_key
),
final AS (
    SELECT g.customer_key, a.first_seen_at, a.last_seen_at,
           coalesce(a.channels, []) AS channels,
           coalesce(a.is_buyer, false) AS is_buyer,
           coalesce(c.is_contactable, true) AS is_contactable,
           coalesce(o.profiling_opt_out, false) AS profiling_opt_out,
           lower(trim(g.email_raw)) AS email, pm.e164 AS phone,
           g.first_name, g.last_name, g.city, g.country, g.source_records,
           g.email_source, g.phone_source, g.name_source, g.city_source
    FROM int_customer_golden g
    LEFT JOIN activity_summary a USING (customer_key)
    LEFT JOIN consent c USING (customer_key)
    LEFT JOIN opt_out o USING (customer_key)
    LEFT JOIN phone_map pm ON pm.raw = g.phone_raw
)
SELECT * FROM final;
CREATE OR REPLACE TEMP VIEW out_customers AS SELECT * FROM cra_work.out_customers;
