-- int_identity_components (start): every usable node is its own component. A node whose own identifier is
-- guarded (the guest identity "test@test.com", calls from the shop's own number) is junk: its activity stays
-- anonymous, like a guest's.
CREATE OR REPLACE TEMP TABLE int_identity_junk AS
SELECT n.node_id
FROM int_identity_nodes n
WHERE n.id_type IN ('email', 'phone')
  AND EXISTS (SELECT 1 FROM int_identity_keys_all k WHERE k.node_id = n.node_id AND k.key_type = n.id_type)
  AND NOT EXISTS (SELECT 1 FROM int_identity_keys k WHERE k.node_id = n.node_id AND k.key_type = n.id_type);

CREATE OR REPLACE TEMP TABLE int_identity_components AS
SELECT node_id, node_id AS component
FROM int_identity_nodes
ANTI JOIN int_identity_junk USING (node_id);
