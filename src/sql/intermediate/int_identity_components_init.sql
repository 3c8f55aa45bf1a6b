-- int_identity_components (start): the identity graph in integers, for the union-find that names its components
-- (src/stages/identity/components.ts). A node whose own identifier is guarded (the guest identity "test@test.com",
-- calls from the shop's own number) is junk: its activity stays anonymous, like a guest's. Only keys shared by two or
-- more usable nodes can join anything, so only they become edges, numbered: the union-find reads integer pairs, and
-- a key's number serves only to tell keys apart, so the numbering (not ordered, hence cheap) does not change the
-- result.
CREATE OR REPLACE TEMP TABLE int_identity_junk AS
SELECT n.node_id
FROM int_identity_nodes n
WHERE n.id_type IN ('email', 'phone')
  AND EXISTS (SELECT 1 FROM int_identity_keys_all k WHERE k.node_id = n.node_id AND k.key_type = n.id_type)
  AND NOT EXISTS (SELECT 1 FROM int_identity_keys k WHERE k.node_id = n.node_id AND k.key_type = n.id_type);

CREATE OR REPLACE TEMP TABLE int_identity_shared_keys AS
SELECT key_type, value, row_number() OVER () AS key_id
FROM int_identity_keys ANTI JOIN int_identity_junk USING (node_id)
GROUP BY key_type, value
HAVING count(*) >= 2;

-- key_type rides along for the crosswalk's match_rule (identity_outputs.sql); the union-find does not read it.
CREATE OR REPLACE TEMP TABLE int_identity_edges AS
SELECT k.node_id, s.key_id, k.key_type
FROM int_identity_keys k
JOIN int_identity_shared_keys s USING (key_type, value)
ANTI JOIN int_identity_junk USING (node_id);

DROP TABLE int_identity_shared_keys;
