-- int_identity_lists: one part of the identities (by a hash of the identity), with the distinct values their rows
-- carry as lists. Run once per part: DuckDB's list aggregates keep their state in memory (they do not spill), so
-- src/stages/identity/nodes.ts sizes the parts to the memory limit. Lists are sorted: same inputs, same nodes.
-- Params: $part, $parts.
INSERT INTO int_identity_lists
SELECT source, id_type, source_record_id,
       list(DISTINCT channel ORDER BY channel) AS channels,
       list(DISTINCT email ORDER BY email) FILTER (WHERE email IS NOT NULL) AS emails,
       list(DISTINCT phone ORDER BY phone) FILTER (WHERE phone IS NOT NULL) AS phones,
       list(DISTINCT visitor_id ORDER BY visitor_id) FILTER (WHERE visitor_id IS NOT NULL) AS visitor_ids,
       list(DISTINCT full_name ORDER BY full_name) FILTER (WHERE full_name IS NOT NULL) AS full_names
FROM int_identity_values
WHERE hash(source, id_type, source_record_id) % CAST($parts AS UBIGINT) = CAST($part AS UBIGINT)
GROUP BY ALL;
