-- int_identity_components (one step of label propagation over the linked nodes): each key takes the smallest
-- component among its nodes, each node the smallest among its keys, then labels jump to their label's label.
-- Repeated until no label changes; connected components in plain SQL, linear in edges per step.
CREATE OR REPLACE TEMP TABLE int_identity_key_labels AS
SELECT e.key_id, min(c.component) AS component
FROM int_identity_edges e
JOIN int_identity_linked c USING (node_id)
GROUP BY e.key_id;

CREATE OR REPLACE TEMP TABLE int_identity_linked_next AS
WITH offered AS (
    SELECT e.node_id, min(kl.component) AS component
    FROM int_identity_edges e
    JOIN int_identity_key_labels kl USING (key_id)
    GROUP BY e.node_id
),
proposed AS (
    SELECT c.node_id, least(c.component, o.component) AS component
    FROM int_identity_linked c JOIN offered o USING (node_id)
),
jumped AS (
    SELECT p.node_id, least(p.component, coalesce(q.component, p.component)) AS component
    FROM proposed p LEFT JOIN proposed q ON q.node_id = p.component
)
SELECT * FROM jumped;

CREATE OR REPLACE TEMP TABLE int_identity_changes AS
SELECT count(*) AS changed
FROM int_identity_linked_next n JOIN int_identity_linked c USING (node_id)
WHERE n.component <> c.component;

CREATE OR REPLACE TEMP TABLE int_identity_linked AS SELECT * FROM int_identity_linked_next;
DROP TABLE int_identity_linked_next;
