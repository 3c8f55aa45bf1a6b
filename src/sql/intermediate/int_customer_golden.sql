-- int_customer_golden: for one part of the customers (by a hash of customer_key), the survivorship winners of the
-- golden record (marts/customers.sql): identity.survivorship's source priority, then CRM records, then (rule 'recent')
-- the most recently seen or (rule 'frequent') the value the most records share. Run once per part: the winners are
-- arg_max states of strings ordered by a struct, which DuckDB did not spill: over 4M customers (18.2M identities)
-- one pass ran out of limits.memory 2GB; src/stages/identity/golden.ts sizes the parts to the memory limit.
-- Params: $part, $parts, $source_priority, $rule.
CREATE TEMP TABLE IF NOT EXISTS int_customer_golden (
    customer_key VARCHAR, email_raw VARCHAR, email_source VARCHAR, phone_raw VARCHAR, phone_source VARCHAR,
    first_name VARCHAR, last_name VARCHAR, name_source VARCHAR, city VARCHAR, city_source VARCHAR, country VARCHAR,
    source_records BIGINT
);

INSERT INTO int_customer_golden
WITH part_keys AS (
    SELECT node_id, customer_key FROM int_node_keys
    WHERE hash(customer_key) % CAST($parts AS UBIGINT) = CAST($part AS UBIGINT)
),
nodes AS (
    SELECT nk.customer_key, n.*
    FROM part_keys nk JOIN int_identity_nodes n USING (node_id)
),
ranked AS (
    -- Survivorship order of a record: listed source priority first ($source_priority; unlisted sources after),
    -- then CRM records, then (rule 'recent') the most recently seen or (rule 'frequent') the record whose value
    -- the most records of the customer share. One HUGEINT in that order, (1000 − position) · 2^65 + CRM · 2^64 +
    -- microseconds since 1970 + 2^63 (the last term within [0, 2^64) for every timestamp), not a struct of the three:
    -- the same order and the same winners, in 2.3 s against 3.4 s at 1M customers (docs/decisions.md).
    SELECT *, (CAST(1000 - coalesce(nullif(list_position($source_priority, source), 0), 1000) AS HUGEINT) << 65)
              + (CAST(coalesce(is_crm, false) AS HUGEINT) << 64)
              + (CAST(epoch_us(coalesce(last_seen_at, TIMESTAMP '1970-01-01')) AS HUGEINT) + (CAST(1 AS HUGEINT) << 63)) AS survivorship
    FROM nodes
),
-- mode() keeps a hash map per customer that does not spill: it is fed rows only under rule 'frequent'.
golden AS (
    SELECT customer_key,
           CASE WHEN $rule = 'frequent' THEN mode(first_email) FILTER (WHERE $rule = 'frequent' AND first_email IS NOT NULL)
                ELSE arg_max(first_email, survivorship) FILTER (WHERE first_email IS NOT NULL) END AS email_raw,
           arg_max(source, survivorship) FILTER (WHERE first_email IS NOT NULL) AS email_source,
           CASE WHEN $rule = 'frequent' THEN mode(first_phone) FILTER (WHERE $rule = 'frequent' AND first_phone IS NOT NULL)
                ELSE arg_max(first_phone, survivorship) FILTER (WHERE first_phone IS NOT NULL) END AS phone_raw,
           arg_max(source, survivorship) FILTER (WHERE first_phone IS NOT NULL) AS phone_source,
           CASE WHEN $rule = 'frequent' THEN mode(first_name) FILTER (WHERE $rule = 'frequent' AND first_name IS NOT NULL)
                ELSE arg_max(first_name, survivorship) FILTER (WHERE first_name IS NOT NULL) END AS first_name,
           CASE WHEN $rule = 'frequent' THEN mode(last_name) FILTER (WHERE $rule = 'frequent' AND last_name IS NOT NULL)
                ELSE arg_max(last_name, survivorship) FILTER (WHERE last_name IS NOT NULL) END AS last_name,
           arg_max(source, survivorship) FILTER (WHERE last_name IS NOT NULL OR first_name IS NOT NULL) AS name_source,
           arg_max(city, survivorship) FILTER (WHERE city IS NOT NULL) AS city,
           arg_max(source, survivorship) FILTER (WHERE city IS NOT NULL) AS city_source,
           arg_max(country, survivorship) FILTER (WHERE country IS NOT NULL) AS country,
           count(*) AS source_records
    FROM ranked GROUP BY customer_key
)
SELECT * FROM golden;
