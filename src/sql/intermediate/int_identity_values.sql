-- int_identity_values: for one part of the identities (by a hash of the identity), the distinct
-- channel/email/phone/visitor/name combinations each identity's rows carry (the nodes' values), and the latest name
-- and place with first and last seen. Run once per part: in one pass over 4M customers' activity (95.8M rows) both
-- aggregates ran out of memory at limits.memory 2GB, and a quarter of the identities passed (876 MiB of values), so
-- src/stages/identity/nodes.ts sizes the parts to the memory limit.
-- Params: $part, $parts.
INSERT INTO int_identity_values
SELECT DISTINCT source, id_type, source_record_id, channel, email, phone, visitor_id, full_name
FROM int_identity_rows
WHERE hash(source, id_type, source_record_id) % CAST($parts AS UBIGINT) = CAST($part AS UBIGINT);

INSERT INTO int_identity_latest
SELECT source, id_type, source_record_id,
       arg_max(first_name, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE first_name IS NOT NULL) AS first_name,
       arg_max(last_name, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE last_name IS NOT NULL) AS last_name,
       arg_max(postcode, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE postcode IS NOT NULL) AS postcode,
       arg_max(city, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE city IS NOT NULL) AS city,
       arg_max(country, coalesce(seen_at, TIMESTAMP '1970-01-01')) FILTER (WHERE country IS NOT NULL) AS country,
       min(seen_at) AS first_seen_at,
       max(seen_at) AS last_seen_at
FROM int_identity_rows
WHERE hash(source, id_type, source_record_id) % CAST($parts AS UBIGINT) = CAST($part AS UBIGINT)
GROUP BY ALL;
