-- int_erase_person: everything cra holds about the customers in $keys, and its removal from the warehouse.
-- Needs int_identity_nodes and int_node_values (int_identity_nodes.sql) and phone_map over their phones.
-- Suppression entries are keyed HMACs of the person's identifiers (the forms ingest checks); erased staging rows
-- become `erased` rejects without raw text, so every file's rows_read = loaded + rejected + duplicate still holds.
CREATE OR REPLACE TEMP MACRO cra_id_type(customer_id, email, phone, visitor_id) AS
    CASE WHEN customer_id IS NOT NULL THEN 'customer_id' WHEN email IS NOT NULL THEN 'email'
         WHEN phone IS NOT NULL THEN 'phone' WHEN visitor_id IS NOT NULL THEN 'visitor_id' END;

CREATE OR REPLACE TEMP TABLE erase_nodes AS
SELECT n.*
FROM int_identity_nodes n
JOIN identity_key_map m ON m.source = n.source AND m.id_type = n.id_type AND m.source_record_id = n.source_record_id
WHERE list_contains($keys, m.customer_key);

CREATE OR REPLACE TEMP TABLE erase_values AS
SELECT v.* FROM int_node_values v SEMI JOIN erase_nodes n USING (node_id);

CREATE OR REPLACE TEMP TABLE erase_identifiers AS
SELECT DISTINCT 'email' AS id_type, 'email:' || lower(trim(e)) AS identifier, e AS raw_value
FROM (SELECT email AS e FROM erase_values WHERE email IS NOT NULL)
UNION
SELECT DISTINCT 'phone', 'phone:' || pm.e164, p FROM (SELECT phone AS p FROM erase_values WHERE phone IS NOT NULL) JOIN phone_map pm ON pm.raw = p WHERE pm.e164 IS NOT NULL
UNION
SELECT DISTINCT 'customer_id', 'customer_id:' || id_space || ':' || source_record_id, source_record_id FROM erase_nodes WHERE id_type = 'customer_id'
UNION
SELECT DISTINCT 'visitor_id', 'visitor_id:' || source || ':' || v, v FROM (SELECT source, visitor_id AS v FROM erase_values WHERE visitor_id IS NOT NULL);

INSERT INTO suppressed_identities
SELECT id_type, sha256(unhex($pii_opad) || unhex(sha256(unhex($pii_ipad) || encode(identifier)))), CAST($now AS TIMESTAMP)
FROM erase_identifiers
WHERE sha256(unhex($pii_opad) || unhex(sha256(unhex($pii_ipad) || encode(identifier)))) NOT IN (SELECT value_hash FROM suppressed_identities);

CREATE OR REPLACE TEMP TABLE erase_rows AS
SELECT 'stg_web_orders' AS tbl, source, source_file, line FROM stg_web_orders t
  WHERE (source, cra_id_type(customer_id, email, phone, NULL), coalesce(customer_id, email, phone)) IN (SELECT (source, id_type, source_record_id) FROM erase_nodes)
UNION ALL SELECT 'stg_email_events', source, source_file, line FROM stg_email_events t
  WHERE (source, cra_id_type(customer_id, email, NULL, NULL), coalesce(customer_id, email)) IN (SELECT (source, id_type, source_record_id) FROM erase_nodes)
UNION ALL SELECT 'stg_web_sessions', source, source_file, line FROM stg_web_sessions t
  WHERE (source, cra_id_type(customer_id, email, NULL, visitor_id), coalesce(customer_id, email, visitor_id)) IN (SELECT (source, id_type, source_record_id) FROM erase_nodes)
UNION ALL SELECT 'stg_phone_calls', source, source_file, line FROM stg_phone_calls t
  WHERE (source, cra_id_type(customer_id, email, phone, NULL), coalesce(customer_id, email, phone)) IN (SELECT (source, id_type, source_record_id) FROM erase_nodes)
UNION ALL SELECT 'stg_customers', source, source_file, line FROM stg_customers t
  WHERE (source, cra_id_type(customer_id, email, phone, NULL), coalesce(customer_id, email, phone)) IN (SELECT (source, id_type, source_record_id) FROM erase_nodes);

INSERT INTO ingest_rejects SELECT source, source_file, line, 'erased', 'removed by cra erase', NULL FROM erase_rows;

UPDATE ingest_files f SET rows_loaded = f.rows_loaded - e.n, rows_rejected = f.rows_rejected + e.n
FROM (SELECT source, source_file, count(*) AS n FROM erase_rows GROUP BY ALL) e
WHERE f.source = e.source AND f.display = e.source_file;

DELETE FROM stg_web_orders t USING erase_rows e WHERE e.tbl = 'stg_web_orders' AND t.source = e.source AND t.source_file = e.source_file AND t.line = e.line;
DELETE FROM stg_email_events t USING erase_rows e WHERE e.tbl = 'stg_email_events' AND t.source = e.source AND t.source_file = e.source_file AND t.line = e.line;
DELETE FROM stg_web_sessions t USING erase_rows e WHERE e.tbl = 'stg_web_sessions' AND t.source = e.source AND t.source_file = e.source_file AND t.line = e.line;
DELETE FROM stg_phone_calls t USING erase_rows e WHERE e.tbl = 'stg_phone_calls' AND t.source = e.source AND t.source_file = e.source_file AND t.line = e.line;
DELETE FROM stg_customers t USING erase_rows e WHERE e.tbl = 'stg_customers' AND t.source = e.source AND t.source_file = e.source_file AND t.line = e.line;

-- Rejected rows keep their raw text for fixing exports; the person's are blanked.
UPDATE ingest_rejects SET raw = NULL
WHERE raw IS NOT NULL AND EXISTS (SELECT 1 FROM erase_identifiers i WHERE length(i.raw_value) >= 3 AND contains(raw, i.raw_value));

DELETE FROM identity_key_map m USING erase_nodes n
WHERE m.source = n.source AND m.id_type = n.id_type AND m.source_record_id = n.source_record_id;
