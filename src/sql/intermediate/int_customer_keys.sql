-- int_customer_keys: a stable customer_key per component. Each previous key stays with the component that
-- holds most of its identities; a component keeping several previous keys keeps the earliest-assigned one
-- (the others are recorded as merges); a component keeping none gets a new key, numbered in the order of its
-- smallest identity, so the same inputs give the same keys. Components that lost a key record a split.
-- Persistent: identity_keys (key, seq), identity_key_map (identity → key), identity_key_history.
CREATE TABLE IF NOT EXISTS identity_keys (customer_key VARCHAR PRIMARY KEY, seq BIGINT, assigned_run VARCHAR);
CREATE TABLE IF NOT EXISTS identity_key_map (source VARCHAR, id_type VARCHAR, source_record_id VARCHAR, customer_key VARCHAR);
CREATE TABLE IF NOT EXISTS identity_key_history (customer_key VARCHAR, replaced_key VARCHAR, change VARCHAR, run_id VARCHAR);

CREATE OR REPLACE TEMP TABLE int_node_previous AS
SELECT c.node_id, c.component, m.customer_key AS previous_key
FROM int_identity_components c
JOIN int_identity_nodes n USING (node_id)
LEFT JOIN identity_key_map m ON m.source = n.source AND m.id_type = n.id_type AND m.source_record_id = n.source_record_id;

CREATE OR REPLACE TEMP TABLE int_key_keeper AS
WITH counts AS (
    SELECT previous_key, component, count(*) AS nodes FROM int_node_previous WHERE previous_key IS NOT NULL GROUP BY ALL
)
SELECT previous_key, component FROM counts
QUALIFY row_number() OVER (PARTITION BY previous_key ORDER BY nodes DESC, component) = 1;

CREATE OR REPLACE TEMP TABLE int_component_keys AS
WITH kept AS (
    SELECT k.component, k.previous_key AS customer_key, i.seq,
           row_number() OVER (PARTITION BY k.component ORDER BY i.seq) AS rank
    FROM int_key_keeper k JOIN identity_keys i ON i.customer_key = k.previous_key
),
new_components AS (
    SELECT DISTINCT component FROM int_identity_components ANTI JOIN (SELECT component FROM kept) USING (component)
),
numbered AS (
    SELECT component,
           (SELECT coalesce(max(seq), 0) FROM identity_keys) + row_number() OVER (ORDER BY component) AS seq
    FROM new_components
)
SELECT component, customer_key, seq, false AS is_new FROM kept WHERE rank = 1
UNION ALL
SELECT component, 'K' || lpad(CAST(seq AS VARCHAR), 9, '0'), seq, true FROM numbered;

INSERT INTO identity_keys SELECT customer_key, seq, $run_id FROM int_component_keys WHERE is_new;

INSERT INTO identity_key_history
SELECT ck.customer_key, k.customer_key, 'merge', $run_id
FROM (SELECT k.component, k.previous_key AS customer_key FROM int_key_keeper k) k
JOIN int_component_keys ck USING (component)
WHERE k.customer_key <> ck.customer_key
UNION ALL
SELECT DISTINCT ck.customer_key, p.previous_key, 'split', $run_id
FROM int_node_previous p
JOIN int_key_keeper kk ON kk.previous_key = p.previous_key
JOIN int_component_keys ck ON ck.component = p.component
WHERE kk.component <> p.component;

DELETE FROM identity_key_map m USING int_identity_nodes n
WHERE m.source = n.source AND m.id_type = n.id_type AND m.source_record_id = n.source_record_id;

INSERT INTO identity_key_map
SELECT n.source, n.id_type, n.source_record_id, ck.customer_key
FROM int_identity_components c
JOIN int_identity_nodes n USING (node_id)
JOIN int_component_keys ck USING (component);

CREATE OR REPLACE TEMP TABLE int_node_keys AS
SELECT n.node_id, n.source, n.id_type, n.source_record_id, ck.customer_key, c.component
FROM int_identity_components c
JOIN int_identity_nodes n USING (node_id)
JOIN int_component_keys ck USING (component);
