-- int_identity_keys: the edges of the identity graph, node → matching key (normalised email, E.164 phone,
-- customer id within its id space, visitor id within its source), and the over-merge guard.
-- A key is ignored when blocklisted, or shared by more than $max_fanout accounts of one source, or by more than
-- $max_fanout different names (a shop's own phone number, test@test.com). Needs phone_map(raw, e164).
-- Reads the nodes' values (int_node_values, int_identity_nodes.sql), counts their unusable emails for the data
-- quality checks, and drops them.
CREATE OR REPLACE TEMP TABLE int_identity_keys_all AS
WITH emails AS (
    SELECT node_id, email AS raw FROM int_node_values WHERE email IS NOT NULL
),
normalised_emails AS (
    SELECT node_id, 'email' AS key_type, lower(trim(raw)) AS value FROM emails
),
email_keys AS (
    SELECT node_id, key_type,
           CASE WHEN $email_folding = 'gmail' AND split_part(value, '@', 2) IN ('gmail.com', 'googlemail.com')
                THEN replace(split_part(split_part(value, '@', 1), '+', 1), '.', '') || '@gmail.com'
                ELSE value END AS value
    FROM normalised_emails
    -- Anchored regexp_matches, not regexp_full_match: the same test, but DuckDB's rewrite of the latter added a
    -- filter that normalised every email once more (4.6 against 3.2 s for this statement at 1M customers).
    WHERE regexp_matches(value, '^[^@\s]+@[^@\s]+\.[^@\s]+$')
),
phone_keys AS (
    SELECT n.node_id, 'phone' AS key_type, m.e164 AS value
    FROM (SELECT node_id, phone AS raw FROM int_node_values WHERE phone IS NOT NULL) n
    JOIN phone_map m ON m.raw = n.raw
    WHERE m.e164 IS NOT NULL
),
id_keys AS (
    SELECT node_id, 'customer_id' AS key_type, id_space || ':' || source_record_id AS value
    FROM int_identity_nodes WHERE id_type = 'customer_id'
),
visitor_keys AS (
    SELECT node_id, 'visitor_id' AS key_type, source || ':' || visitor_id AS value FROM int_node_values WHERE visitor_id IS NOT NULL
)
SELECT DISTINCT * FROM (
    SELECT * FROM email_keys UNION ALL SELECT * FROM phone_keys UNION ALL SELECT * FROM id_keys UNION ALL SELECT * FROM visitor_keys
);

CREATE OR REPLACE TEMP TABLE int_identity_guarded AS
WITH accounts AS (
    SELECT k.key_type, k.value, n.source, count(DISTINCT n.source_record_id) AS accounts
    FROM int_identity_keys_all k JOIN int_identity_nodes n USING (node_id)
    WHERE n.id_type = 'customer_id' AND k.key_type IN ('email', 'phone')
    GROUP BY ALL
),
names AS (
    SELECT k.key_type, k.value, count(DISTINCT lower(strip_accents(name))) AS names
    FROM int_identity_keys_all k JOIN (SELECT DISTINCT node_id, full_name AS name FROM int_node_values WHERE full_name IS NOT NULL) n USING (node_id)
    WHERE k.key_type IN ('email', 'phone')
    GROUP BY ALL
),
final AS (
    SELECT key_type, value, 'blocklist' AS guard FROM int_identity_keys_all WHERE list_contains($blocklist, value)
    UNION
    SELECT key_type, value, 'fanout_accounts' FROM accounts WHERE accounts > $max_fanout
    UNION
    SELECT key_type, value, 'fanout_names' FROM names WHERE names > $max_fanout
)
SELECT key_type, value, min(guard) AS guard FROM final GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE int_identity_keys AS
SELECT k.* FROM int_identity_keys_all k
ANTI JOIN int_identity_guarded g ON g.key_type = k.key_type AND g.value = k.value;

-- Each node's distinct emails that cannot be keys (identity_quality.sql reports them).
CREATE OR REPLACE TEMP TABLE int_identity_unusable_emails AS
SELECT count(*) AS emails
FROM (SELECT DISTINCT node_id, email FROM int_node_values WHERE email IS NOT NULL)
WHERE NOT regexp_matches(lower(trim(email)), '^[^@\s]+@[^@\s]+\.[^@\s]+$');

DROP TABLE int_node_values;
