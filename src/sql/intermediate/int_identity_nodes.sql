-- int_identity_nodes: one row per distinct source identity (source, id_type, source_record_id) — the nodes of
-- the identity graph — with what its rows say about the person: emails, phones, visitor ids, names, places.
-- source_record_id follows contract §4: the row's customer_id, else email, else phone, else visitor_id.
-- Params: $id_spaces (list of {source, space}) maps sources that share customer ids to one namespace.
CREATE OR REPLACE TEMP TABLE int_identity_rows AS
WITH source_rows AS (
    SELECT source, 'customers' AS channel, customer_id, email, phone, NULL AS visitor_id, first_name, last_name,
           coalesce(name, concat_ws(' ', first_name, last_name)) AS full_name, postcode, city, country, created_at AS seen_at
    FROM stg_customers
    UNION ALL BY NAME
    SELECT source, 'web_orders' AS channel, customer_id, email, phone, country, ordered_at AS seen_at FROM stg_web_orders
    UNION ALL BY NAME
    SELECT source, 'web_sessions' AS channel, customer_id, email, visitor_id, started_at AS seen_at FROM stg_web_sessions
    UNION ALL BY NAME
    SELECT source, 'email_events' AS channel, customer_id, email, event_at AS seen_at FROM stg_email_events
    UNION ALL BY NAME
    SELECT source, 'phone_calls' AS channel, customer_id, email, phone, caller_name AS full_name, started_at AS seen_at FROM stg_phone_calls
),
final AS (
    SELECT *,
           CASE WHEN customer_id IS NOT NULL THEN 'customer_id' WHEN email IS NOT NULL THEN 'email'
                WHEN phone IS NOT NULL THEN 'phone' ELSE 'visitor_id' END AS id_type,
           coalesce(customer_id, email, phone, visitor_id) AS source_record_id
    FROM source_rows
    WHERE coalesce(customer_id, email, phone, visitor_id) IS NOT NULL
)
SELECT * FROM final;

CREATE OR REPLACE TEMP TABLE int_identity_nodes AS
WITH spaces AS (
    SELECT s.source, s.space FROM (SELECT unnest(from_json($id_spaces, '[{"source":"VARCHAR","space":"VARCHAR"}]')) AS s)
),
grouped AS (
    SELECT source, id_type, source_record_id,
           list(DISTINCT channel ORDER BY channel) AS channels,
           list(DISTINCT email) FILTER (WHERE email IS NOT NULL) AS emails,
           list(DISTINCT phone) FILTER (WHERE phone IS NOT NULL) AS phones,
           list(DISTINCT visitor_id) FILTER (WHERE visitor_id IS NOT NULL) AS visitor_ids,
           arg_max(first_name, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE first_name IS NOT NULL) AS first_name,
           arg_max(last_name, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE last_name IS NOT NULL) AS last_name,
           list(DISTINCT full_name) FILTER (WHERE full_name IS NOT NULL) AS full_names,
           arg_max(postcode, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE postcode IS NOT NULL) AS postcode,
           arg_max(city, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE city IS NOT NULL) AS city,
           arg_max(country, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE country IS NOT NULL) AS country,
           min(seen_at) AS first_seen_at,
           max(seen_at) AS last_seen_at
    FROM int_identity_rows
    GROUP BY ALL
),
final AS (
    SELECT row_number() OVER (ORDER BY g.source, g.id_type, g.source_record_id) AS node_id,
           g.*,
           coalesce(sp.space, g.source) AS id_space
    FROM grouped g
    LEFT JOIN spaces sp ON sp.source = g.source
)
SELECT * FROM final;
