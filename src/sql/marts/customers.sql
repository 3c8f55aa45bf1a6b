-- customers: one row per resolved customer (golden record). Survivorship per field by identity.survivorship
-- (source priority, then CRM, then most recent or most frequent), with the winning source per field (provenance). Consent: the latest explicit signal wins (unsubscribe/complaint
-- events, CRM email_opt_out / marketing_consent as of the export, i.e. as_of); no signal → contactable.
CREATE OR REPLACE TEMP TABLE out_customers AS
WITH cutoff AS (
    SELECT CAST($as_of AS DATE) + INTERVAL 1 DAY AS before
),
nodes AS (
    SELECT nk.customer_key, n.*, n.channels AS node_channels,
           list_contains(n.channels, 'customers') AS is_crm
    FROM int_node_keys nk JOIN int_identity_nodes n USING (node_id)
),
activity AS (
    SELECT customer_key, 'web' AS channel, ordered_at AS occurred_at, status = 'completed' AS is_purchase FROM int_orders_keyed
    UNION ALL SELECT customer_key, 'web', started_at, false FROM int_sessions_keyed
    UNION ALL SELECT customer_key, 'email', event_at, false FROM int_email_events_keyed
    UNION ALL SELECT customer_key, 'phone', started_at, false FROM int_calls_keyed
    UNION ALL SELECT customer_key, 'crm', created_at, false FROM int_crm_keyed
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
    SELECT customer_key, event_at AS occurred_at, false AS contactable FROM int_email_events_keyed, cutoff
    WHERE event_type IN ('unsubscribe', 'complaint') AND event_at < cutoff.before
    UNION ALL SELECT customer_key, CAST($as_of AS TIMESTAMP), false FROM int_crm_keyed WHERE email_opt_out
    UNION ALL SELECT customer_key, CAST($as_of AS TIMESTAMP), marketing_consent FROM int_crm_keyed WHERE marketing_consent IS NOT NULL
),
consent AS (
    SELECT customer_key, arg_max(contactable, (occurred_at, NOT contactable)) AS is_contactable
    FROM consent_signals WHERE customer_key IS NOT NULL GROUP BY customer_key
),
ranked AS (
    -- Survivorship order of a record: listed source priority first ($source_priority; unlisted sources after),
    -- then CRM records, then (rule 'recent') the most recently seen or (rule 'frequent') the record whose value
    -- the most records of the customer share.
    SELECT *, struct_pack(p := -coalesce(nullif(list_position($source_priority, source), 0), 1000), crm := is_crm,
                          seen := coalesce(last_seen_at, TIMESTAMP '1970-01-01')) AS survivorship
    FROM nodes
),
-- mode() keeps a hash map per customer that does not spill: it is fed rows only under rule 'frequent'.
golden AS (
    SELECT customer_key,
           CASE WHEN $rule = 'frequent' THEN mode(list_first(emails)) FILTER (WHERE $rule = 'frequent' AND len(emails) > 0)
                ELSE arg_max(list_first(emails), survivorship) FILTER (WHERE len(emails) > 0) END AS email_raw,
           arg_max(source, survivorship) FILTER (WHERE len(emails) > 0) AS email_source,
           CASE WHEN $rule = 'frequent' THEN mode(list_first(phones)) FILTER (WHERE $rule = 'frequent' AND len(phones) > 0)
                ELSE arg_max(list_first(phones), survivorship) FILTER (WHERE len(phones) > 0) END AS phone_raw,
           arg_max(source, survivorship) FILTER (WHERE len(phones) > 0) AS phone_source,
           CASE WHEN $rule = 'frequent' THEN mode(first_name) FILTER (WHERE $rule = 'frequent' AND first_name IS NOT NULL)
                ELSE arg_max(first_name, survivorship) FILTER (WHERE first_name IS NOT NULL) END AS first_name,
           CASE WHEN $rule = 'frequent' THEN mode(last_name) FILTER (WHERE $rule = 'frequent' AND last_name IS NOT NULL)
                ELSE arg_max(last_name, survivorship) FILTER (WHERE last_name IS NOT NULL) END AS last_name,
           arg_max(source, survivorship) FILTER (WHERE last_name IS NOT NULL OR first_name IS NOT NULL) AS name_source,
           arg_max(city, survivorship) FILTER (WHERE city IS NOT NULL) AS city,
           arg_max(source, survivorship) FILTER (WHERE city IS NOT NULL) AS city_source,
           arg_max(country, survivorship) FILTER (WHERE country IS NOT NULL) AS country,
           count(*) AS source_records
    FROM ranked GROUP BY customer_key
),
opt_out AS (
    SELECT customer_key, bool_or(profiling_opt_out) AS profiling_opt_out FROM int_crm_keyed
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
    FROM golden g
    LEFT JOIN activity_summary a USING (customer_key)
    LEFT JOIN consent c USING (customer_key)
    LEFT JOIN opt_out o USING (customer_key)
    LEFT JOIN phone_map pm ON pm.raw = g.phone_raw
)
SELECT * FROM final;
