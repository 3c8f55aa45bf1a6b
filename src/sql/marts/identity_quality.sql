-- identity checks appended to data_quality: match rate per source (share of its identities that joined another
-- identity), the cluster-size histogram, the five largest clusters by customer_key, over-merge guard hits, and
-- identifiers unusable for matching (emails without @, phones that do not parse).
INSERT INTO out_data_quality
WITH crosswalk AS (SELECT * FROM out_customer_crosswalk),
sizes AS (SELECT customer_key, count(*) AS identities FROM crosswalk GROUP BY customer_key),
checks AS (
    SELECT 'identity_match_rate' AS check_name, source AS table_name, NULL AS source_file,
           avg(CASE WHEN match_rule <> 'singleton' THEN 1.0 ELSE 0.0 END) AS value, 'ok' AS status
    FROM crosswalk GROUP BY source
    UNION ALL
    SELECT 'identity_cluster_size_' || CASE WHEN identities >= 10 THEN '10+' ELSE CAST(identities AS VARCHAR) END,
           'customers', NULL, count(*), 'ok'
    FROM sizes GROUP BY ALL
    UNION ALL
    SELECT 'identity_largest_cluster', customer_key, NULL, identities, CASE WHEN identities >= 10 THEN 'warn' ELSE 'ok' END
    FROM (SELECT * FROM sizes ORDER BY identities DESC, customer_key LIMIT 5)
    UNION ALL
    SELECT 'identity_guard_' || guard, key_type, NULL, count(*), 'warn' FROM int_identity_guarded GROUP BY ALL
    UNION ALL
    SELECT 'identity_junk_identities', 'customers', NULL, count(*), CASE WHEN count(*) > 0 THEN 'warn' ELSE 'ok' END FROM int_identity_junk
    UNION ALL
    SELECT 'identity_unusable_emails', 'customers', NULL, emails, CASE WHEN emails > 0 THEN 'warn' ELSE 'ok' END
    FROM int_identity_unusable_emails
    UNION ALL
    SELECT 'identity_unusable_phones', 'customers', NULL, $unusable_phones, CASE WHEN $unusable_phones > 0 THEN 'warn' ELSE 'ok' END
)
SELECT check_name, table_name, source_file, CAST(value AS DOUBLE), status FROM checks;
