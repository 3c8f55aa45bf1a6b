-- customer_crosswalk, customer_key_history, orders, interactions: the identity stage's other marts.
-- match_rule names how an identity joined its customer: the kinds of key it shares with other identities of the
-- same customer (customer_id, email, phone, visitor_id), or singleton when it matched nothing. Those are its edges
-- (int_identity_components_init.sql): a key shared by two usable identities puts both in one component, hence under one
-- customer_key, so no join back to the keys' strings is needed.
-- In cra_work behind a temp view, as out_customers (customers.sql): 4.5M identities at 1M customers.
CREATE OR REPLACE TABLE cra_work.out_customer_crosswalk AS
-- One flag per kind of key, joined in name order: string_agg keeps a list per group that does not spill, and here the
-- groups are every linked identity (14M at 4M customers). The kinds are those int_identity_keys.sql and
-- int_identity_fuzzy_links.sql make.
WITH rules AS (
    SELECT node_id,
           concat_ws('+', CASE WHEN bool_or(key_type = 'customer_id') THEN 'customer_id' END,
                          CASE WHEN bool_or(key_type = 'email') THEN 'email' END,
                          CASE WHEN bool_or(key_type = 'name_postcode') THEN 'name_postcode' END,
                          CASE WHEN bool_or(key_type = 'phone') THEN 'phone' END,
                          CASE WHEN bool_or(key_type = 'visitor_id') THEN 'visitor_id' END) AS match_rule
    FROM int_identity_edges GROUP BY node_id
)
SELECT nk.source, nk.id_type, nk.source_record_id, nk.customer_key,
       coalesce(r.match_rule, 'singleton') AS match_rule,
       -- Deterministic rules score 1; a record joined only by name + postcode carries its name similarity.
       CASE WHEN r.match_rule = 'name_postcode' THEN f.score ELSE 1.0 END AS match_score
FROM int_node_keys nk LEFT JOIN rules r USING (node_id) LEFT JOIN int_identity_fuzzy_scores f USING (node_id);
CREATE OR REPLACE TEMP VIEW out_customer_crosswalk AS SELECT * FROM cra_work.out_customer_crosswalk;

CREATE OR REPLACE TEMP TABLE out_customer_key_history AS SELECT * FROM identity_key_history;

-- orders and interactions are views over the keyed activity: a copy would be a second full set of every activity row
-- in temp (it spills uncompressed); publishing and the report read them a few times, each a filtered scan. A view
-- takes no parameters, so the as_of cutoff is a one-row table they read.
CREATE OR REPLACE TEMP TABLE int_activity_cutoff AS SELECT CAST($as_of AS DATE) + INTERVAL 1 DAY AS before;

CREATE OR REPLACE TEMP VIEW out_orders AS
SELECT o.source, o.order_id, o.line_id, o.customer_key, o.ordered_at, o.product_id, o.quantity, o.unit_price, o.discount, o.revenue, o.status
FROM cra_work.int_orders_keyed o, int_activity_cutoff c
WHERE o.ordered_at < c.before;

CREATE OR REPLACE TEMP VIEW out_interactions AS
WITH all_interactions AS (
    SELECT customer_key, 'email' AS channel, event_type, event_at AS occurred_at,
           source || ':' || coalesce(event_id, CAST(line AS VARCHAR)) AS interaction_id FROM cra_work.int_email_events_keyed
    UNION ALL
    SELECT customer_key, 'web', 'session', started_at, source || ':' || session_id FROM cra_work.int_sessions_keyed
    UNION ALL
    SELECT customer_key, 'phone', coalesce(reason, 'other'), started_at, source || ':' || call_id FROM cra_work.int_calls_keyed
)
SELECT a.* FROM all_interactions a, int_activity_cutoff c WHERE a.occurred_at < c.before;
