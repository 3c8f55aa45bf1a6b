-- int_identity_nodes: one row per distinct source identity (source, id_type, source_record_id) — the nodes of
-- the identity graph — with what its rows say about the person: emails, phones, visitor ids, names, places.
-- Input: int_identity_lists and int_identity_latest (int_identity_rows.sql, int_identity_lists.sql).
-- Params: $id_spaces (list of {source, space}) maps sources that share customer ids to one namespace.
CREATE OR REPLACE TEMP TABLE int_identity_nodes AS
WITH spaces AS (
    SELECT s.source, s.space FROM (SELECT unnest(from_json($id_spaces, '[{"source":"VARCHAR","space":"VARCHAR"}]')) AS s)
),
-- Node ids are numbered over the keys alone: a window sorting the lists along (the former form) ran out of memory at
-- 4M customers (18.2M identities) and limits.memory 2GB, where a sort of the keys spills.
ids AS (
    SELECT source, id_type, source_record_id, row_number() OVER (ORDER BY source, id_type, source_record_id) AS node_id
    FROM int_identity_latest
)
SELECT i.node_id, l.source, l.id_type, l.source_record_id, l.channels, l.emails, l.phones, l.visitor_ids,
       t.first_name, t.last_name, l.full_names, t.postcode, t.city, t.country, t.first_seen_at, t.last_seen_at,
       coalesce(sp.space, l.source) AS id_space
FROM int_identity_lists l
JOIN int_identity_latest t USING (source, id_type, source_record_id)
JOIN ids i USING (source, id_type, source_record_id)
LEFT JOIN spaces sp ON sp.source = l.source;

DROP TABLE int_identity_values;
DROP TABLE int_identity_lists;
DROP TABLE int_identity_latest;
