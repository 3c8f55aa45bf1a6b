-- int_identity_lists: one part of the identities (by a hash of the identity), with the distinct values their rows
-- carry as lists. Run once per part: DuckDB's list aggregates keep their state in memory (they do not spill), so
-- src/stages/identity/nodes.ts sizes the parts to the memory limit. Lists are sorted: same inputs, same nodes.
-- Plain list() then list_distinct and list_sort per group, not list(DISTINCT x ORDER BY x): the same lists (4,550,189
-- nodes at 1M customers, equal both ways), in 10.0–10.4 s against 11.7–13.3 s for the 7 parts. It holds more in
-- memory than the former form, which could spill its sort: at 1M in one part it ran out of DuckDB's 2.4 GB (the former
-- form took 31 s), in two it fitted, so it needs less than the 860 bytes per value row that nodes.ts sizes parts for.
-- The parts are a multiple of the values' parts ($value_parts), so a list part's identities all lie in one values
-- part: the filter on value_part skips the other parts' row groups, and the stored identity_hash is not computed
-- again. With 42 list parts over 6 values parts at 1M customers (the proportion at 4M and 2GB) the lists took 8.7 s
-- against 20.8 s hashing the keys of every value row in every part.
-- Params: $part, $parts, $value_parts.
INSERT INTO int_identity_lists
SELECT source, id_type, source_record_id,
       list_sort(list_distinct(list(channel))) AS channels,
       list_sort(list_distinct(list(email) FILTER (WHERE email IS NOT NULL))) AS emails,
       list_sort(list_distinct(list(phone) FILTER (WHERE phone IS NOT NULL))) AS phones,
       list_sort(list_distinct(list(visitor_id) FILTER (WHERE visitor_id IS NOT NULL))) AS visitor_ids,
       list_sort(list_distinct(list(full_name) FILTER (WHERE full_name IS NOT NULL))) AS full_names
FROM int_identity_values
WHERE value_part = CAST($part AS UINTEGER) % CAST($value_parts AS UINTEGER)
  AND identity_hash % CAST($parts AS UBIGINT) = CAST($part AS UBIGINT)
GROUP BY source, id_type, source_record_id;
