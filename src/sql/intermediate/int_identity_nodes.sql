-- int_identity_nodes: one row per distinct source identity (source, id_type, source_record_id) — the nodes of
-- the identity graph — with what its rows say about the person: its smallest email and phone (the golden records'
-- candidates), whether a CRM record names it, its latest name and place. int_node_values: the distinct values its
-- rows carry (channel, email, phone, visitor id, name), one row per combination, by node_id: the identity keys, the
-- phone map and the over-merge guard read them (int_identity_keys.sql drops them).
-- Long form, not one list per node: list aggregates keep their state in memory, so the lists had to be built in
-- parts sized to the memory limit (7 at 1M customers, 42 at 4M and 2GB), and every reader unnested them again.
-- Alone on the 1M warehouse the chain from the values to the guarded keys took about 16.5 s against 20.2 s with the
-- lists, the same nodes and keys (docs/decisions.md).
-- Input: int_identity_values and int_identity_latest (int_identity_values.sql), which this drops.
-- Params: $id_spaces (list of {source, space}) maps sources that share customer ids to one namespace.

-- Node ids are numbered over the keys alone: a window sorting more along (the lists, in a former form) ran out of
-- memory at 4M customers (18.2M identities) and limits.memory 2GB, where a sort of the keys spills.
CREATE OR REPLACE TEMP TABLE int_identity_ids AS
SELECT source, id_type, source_record_id, row_number() OVER (ORDER BY source, id_type, source_record_id) AS node_id
FROM int_identity_latest;

CREATE OR REPLACE TEMP TABLE int_node_values AS
SELECT i.node_id, v.source, v.channel, v.email, v.phone, v.visitor_id, v.full_name
FROM int_identity_values v JOIN int_identity_ids i USING (source, id_type, source_record_id);

CREATE OR REPLACE TEMP TABLE int_identity_nodes AS
WITH spaces AS (
    SELECT s.source, s.space FROM (SELECT unnest(from_json($id_spaces, '[{"source":"VARCHAR","space":"VARCHAR"}]')) AS s)
),
-- The smallest email and phone: what list_first of the sorted lists gave, so the golden records pick the same.
firsts AS (
    SELECT node_id, min(email) AS first_email, min(phone) AS first_phone, bool_or(channel = 'customers') AS is_crm
    FROM int_node_values GROUP BY node_id
)
SELECT i.node_id, t.source, t.id_type, t.source_record_id, f.first_email, f.first_phone, f.is_crm,
       t.first_name, t.last_name, t.postcode, t.city, t.country, t.first_seen_at, t.last_seen_at,
       coalesce(sp.space, t.source) AS id_space
FROM int_identity_latest t
JOIN int_identity_ids i USING (source, id_type, source_record_id)
JOIN firsts f USING (node_id)
LEFT JOIN spaces sp ON sp.source = t.source;

DROP TABLE int_identity_values;
DROP TABLE int_identity_latest;
DROP TABLE int_identity_ids;
