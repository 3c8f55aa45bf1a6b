-- int_identity_components (end): every usable node with its component, the smallest node id it is linked to
-- (int_identity_linked, from the union-find, holds the nodes that share a key); a node that shares no key is its own.
-- int_identity_edges stays for the crosswalk (identity_outputs.sql).
CREATE OR REPLACE TEMP TABLE int_identity_components AS
SELECT n.node_id, coalesce(l.component, n.node_id) AS component
FROM int_identity_nodes n
ANTI JOIN int_identity_junk j USING (node_id)
LEFT JOIN int_identity_linked l USING (node_id);

DROP TABLE int_identity_linked;
