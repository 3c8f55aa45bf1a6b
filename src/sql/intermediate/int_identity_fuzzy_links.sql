-- int_identity_fuzzy_links: probabilistic links that fill gaps the deterministic keys leave — two customer
-- records with the same person's name at the same postcode. Blocking on the normalised postcode keeps it
-- near-linear; a block larger than $max_block (a business address) is skipped. A pair links when the names'
-- Jaro-Winkler similarity reaches $threshold and nothing contradicts it: two records that both carry emails (or
-- phones) but share none are different people (lookalikes), however alike their names.
-- Output: extra rows in int_identity_keys (key_type 'name_postcode', one key per linked pair) and
-- int_identity_fuzzy_scores(node_id, score) for the crosswalk's match_score.
CREATE OR REPLACE TEMP TABLE int_identity_fuzzy_candidates AS
WITH people AS (
    SELECT node_id,
           upper(replace(postcode, ' ', '')) AS block,
           lower(strip_accents(regexp_replace(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '\s+', ' ', 'g'))) AS name
    FROM int_identity_nodes
    WHERE postcode IS NOT NULL AND (first_name IS NOT NULL OR last_name IS NOT NULL)
),
blocks AS (
    SELECT block FROM people GROUP BY block HAVING count(*) BETWEEN 2 AND $max_block
),
pairs AS MATERIALIZED (
    SELECT * FROM (
        SELECT a.node_id AS a, b.node_id AS b, jaro_winkler_similarity(a.name, b.name) AS score
        FROM people a JOIN people b ON a.block = b.block AND a.node_id < b.node_id
        WHERE a.block IN (SELECT block FROM blocks) AND length(a.name) > 2 AND length(b.name) > 2
    ) WHERE score >= $threshold
),
-- The emails and phones of the nodes in a pair only: list aggregates keep their state in memory, and over every
-- node (18.2M at 4M customers) they ran out of limits.memory 2GB.
strong AS (
    SELECT node_id,
           list(value) FILTER (WHERE key_type = 'email') AS emails,
           list(value) FILTER (WHERE key_type = 'phone') AS phones
    FROM int_identity_keys
    WHERE node_id IN (SELECT a FROM pairs UNION SELECT b FROM pairs)
    GROUP BY node_id
),
final AS (
    SELECT p.*
    FROM pairs p
    LEFT JOIN strong sa ON sa.node_id = p.a
    LEFT JOIN strong sb ON sb.node_id = p.b
    WHERE NOT (len(coalesce(sa.emails, [])) > 0 AND len(coalesce(sb.emails, [])) > 0 AND NOT list_has_any(sa.emails, sb.emails))
      AND NOT (len(coalesce(sa.phones, [])) > 0 AND len(coalesce(sb.phones, [])) > 0 AND NOT list_has_any(sa.phones, sb.phones))
)
SELECT * FROM final;

INSERT INTO int_identity_keys
SELECT a AS node_id, 'name_postcode', CAST(a AS VARCHAR) || ':' || CAST(b AS VARCHAR) FROM int_identity_fuzzy_candidates
UNION ALL
SELECT b, 'name_postcode', CAST(a AS VARCHAR) || ':' || CAST(b AS VARCHAR) FROM int_identity_fuzzy_candidates;

CREATE OR REPLACE TEMP TABLE int_identity_fuzzy_scores AS
SELECT node_id, max(score) AS score FROM (
    SELECT a AS node_id, score FROM int_identity_fuzzy_candidates UNION ALL SELECT b, score FROM int_identity_fuzzy_candidates
) GROUP BY node_id;
