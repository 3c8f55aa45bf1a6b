-- int_identity_components (one step of label propagation): each key takes the smallest component among its
-- nodes, each node the smallest among its keys, then labels jump to their label's label. Repeated until no
-- label changes; connected components in plain SQL, linear in edges per step.
CREATE OR REPLACE TEMP TABLE int_identity_key_labels AS
SELECT k.key_type, k.value, min(c.component) AS component
FROM int_identity_keys k
JOIN int_identity_components c USING (node_id)
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE int_identity_components_next AS
WITH proposed AS (
    SELECT c.node_id, least(c.component, coalesce(min(kl.component), c.component)) AS component
    FROM int_identity_components c
    LEFT JOIN int_identity_keys k USING (node_id)
    LEFT JOIN int_identity_key_labels kl ON kl.key_type = k.key_type AND kl.value = k.value
    GROUP BY c.node_id, c.component
),
jumped AS (
    SELECT p.node_id, least(p.component, coalesce(q.component, p.component)) AS component
    FROM proposed p LEFT JOIN proposed q ON q.node_id = p.component
)
SELECT * FROM jumped;

CREATE OR REPLACE TEMP TABLE int_identity_changes AS
SELECT count(*) AS changed
FROM int_identity_components_next n JOIN int_identity_components c USING (node_id)
WHERE n.component <> c.component;

CREATE OR REPLACE TEMP TABLE int_identity_components AS SELECT * FROM int_identity_components_next;
