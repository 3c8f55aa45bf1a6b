-- int_activity_keyed: every staging row with its customer_key (NULL for guests, anonymous and junk identities),
-- matched through the same source_record_id rule as int_identity_nodes. Rows after as_of are kept here; marts
-- and features filter by date, so features can be built at any earlier cutoff.
-- They are the run's biggest tables (every activity row, ~96M at 4M customers), so they live in the warehouse's
-- schema cra_work, not in temp: a persistent table is stored compressed and the buffer manager can evict its blocks
-- without writing them, where a temp table spills uncompressed (at 4M/2GB that filled the disk). The run drops
-- cra_work once it has published (pipeline/run.ts); it holds personal data, so `cra erase` drops it too.
-- Each copy keeps only the columns a later stage reads (the list below is every one of them; a missing one fails the
-- tests at bind time). Ingest's bookkeeping (row_key, source_file, activity_at) and the identifiers already resolved
-- into customer_key (customer_id, email, phone, visitor_id, names) stay behind: long strings are the costliest columns
-- to store (at 1M customers the orders copy took 11.0 s without the bookkeeping against 13.6 s with it), and the
-- copies then hold no personal data the stages do not need. The order lines' product names stay behind too: only the
-- report reads them, from stg_web_orders (alone on the 1M warehouse the copy took 5.7 s without them, 6.4–6.8 s with them).
-- The three large copies join only the identities of their own table's sources (read from the staging table: rows of
-- a source the pipeline file no longer lists stay staged): DuckDB builds the hash table on the identities, the
-- smaller side, and an identity of another source fails `nk.source = x.source` anyway, so the same rows match. Alone
-- on the 1M warehouse the joins took 0.6 s against 0.9 s for the email events and the sessions (4.55M identities, of
-- which 0.59M and 1.62M are theirs), the same for the order lines; at 4M customers and 2GB, where all 18.2M identities
-- do not fit in memory, the three copies took 53.6 s against 99.5 s (docs/scaling.md). The calls and the CRM rows are
-- fewer than the identities, so their joins build on them instead.
CREATE SCHEMA IF NOT EXISTS cra_work;
CREATE OR REPLACE TEMP MACRO cra_id_type(customer_id, email, phone, visitor_id) AS
    CASE WHEN customer_id IS NOT NULL THEN 'customer_id' WHEN email IS NOT NULL THEN 'email'
         WHEN phone IS NOT NULL THEN 'phone' WHEN visitor_id IS NOT NULL THEN 'visitor_id' END;

CREATE OR REPLACE TABLE cra_work.int_orders_keyed AS
SELECT o.source, o.order_id, o.line_id, o.ordered_at, o.product_id, o.category, o.quantity, o.unit_price,
       o.discount, o.status, o.currency, o.revenue, nk.customer_key
FROM stg_web_orders o
LEFT JOIN (SELECT * FROM int_node_keys WHERE source IN (SELECT DISTINCT source FROM stg_web_orders)) nk
       ON nk.source = o.source AND nk.id_type = cra_id_type(o.customer_id, o.email, o.phone, NULL)
      AND nk.source_record_id = coalesce(o.customer_id, o.email, o.phone);

CREATE OR REPLACE TABLE cra_work.int_email_events_keyed AS
SELECT e.source, e.line, e.event_id, e.event_at, e.event_type, e.campaign_id, nk.customer_key
FROM stg_email_events e
LEFT JOIN (SELECT * FROM int_node_keys WHERE source IN (SELECT DISTINCT source FROM stg_email_events)) nk
       ON nk.source = e.source AND nk.id_type = cra_id_type(e.customer_id, e.email, NULL, NULL)
      AND nk.source_record_id = coalesce(e.customer_id, e.email);

CREATE OR REPLACE TABLE cra_work.int_sessions_keyed AS
SELECT s.source, s.session_id, s.started_at, s.page_views, s.duration_s, nk.customer_key
FROM stg_web_sessions s
LEFT JOIN (SELECT * FROM int_node_keys WHERE source IN (SELECT DISTINCT source FROM stg_web_sessions)) nk
       ON nk.source = s.source AND nk.id_type = cra_id_type(s.customer_id, s.email, NULL, s.visitor_id)
      AND nk.source_record_id = coalesce(s.customer_id, s.email, s.visitor_id);

CREATE OR REPLACE TABLE cra_work.int_calls_keyed AS
SELECT c.source, c.call_id, c.started_at, c.duration_s, c.reason, c.resolved, c.csat, nk.customer_key
FROM stg_phone_calls c
LEFT JOIN int_node_keys nk
       ON nk.source = c.source AND nk.id_type = cra_id_type(c.customer_id, c.email, c.phone, NULL)
      AND nk.source_record_id = coalesce(c.customer_id, c.email, c.phone);

CREATE OR REPLACE TABLE cra_work.int_crm_keyed AS
SELECT c.source, c.created_at, c.email_opt_out, c.marketing_consent, c.profiling_opt_out, nk.customer_key
FROM stg_customers c
LEFT JOIN int_node_keys nk
       ON nk.source = c.source AND nk.id_type = cra_id_type(c.customer_id, c.email, c.phone, NULL)
      AND nk.source_record_id = coalesce(c.customer_id, c.email, c.phone);
