-- data_quality (ingest part): per input file, the row accounting and the rows dated after as_of.
-- rows_read = rows_loaded + rows_rejected + rows_duplicate holds by construction; the check `accounting`
-- re-verifies it so a broken invariant shows as status fail rather than hiding.
CREATE OR REPLACE TEMP TABLE out_data_quality AS
WITH files AS (
    SELECT * FROM ingest_files WHERE list_contains($current_paths, path)
),
privacy AS (
    -- Rows held back because their person was erased are accounted as rejects but are not a data-quality failure.
    SELECT r.source, count(*) AS rows FROM ingest_rejects r JOIN files f ON f.source = r.source AND f.display = r.source_file
    WHERE r.reason IN ('suppressed', 'erased') GROUP BY r.source
),
after_as_of AS (
    SELECT source, source_file, count(*) AS rows_after_as_of
    FROM stg_activity_dates
    WHERE activity_at >= CAST($as_of AS DATE) + INTERVAL 1 DAY
    GROUP BY ALL
),
checks AS (
    SELECT 'rows_read' AS check_name, source AS table_name, display AS source_file, rows_read AS value, 'ok' AS status FROM files
    UNION ALL SELECT 'rows_loaded', source, display, rows_loaded, 'ok' FROM files
    UNION ALL SELECT 'rows_rejected', source, display, rows_rejected, CASE WHEN rows_rejected > 0 THEN 'warn' ELSE 'ok' END FROM files
    UNION ALL SELECT 'rows_duplicate', source, display, rows_duplicate, 'ok' FROM files
    UNION ALL SELECT 'accounting', source, display, rows_read - rows_loaded - rows_rejected - rows_duplicate,
                     CASE WHEN rows_read = rows_loaded + rows_rejected + rows_duplicate THEN 'ok' ELSE 'fail' END FROM files
    UNION ALL SELECT 'empty_file', source, display, 1, 'warn' FROM files WHERE rows_read = 0
    UNION ALL SELECT 'rows_after_as_of', f.source, f.display, coalesce(a.rows_after_as_of, 0), 'ok'
              FROM files f LEFT JOIN after_as_of a ON a.source = f.source AND a.source_file = f.display
    UNION ALL SELECT 'reject_rate', f.source, NULL, (sum(f.rows_rejected) - any_value(coalesce(p.rows, 0))) / greatest(sum(f.rows_read), 1),
                     CASE WHEN (sum(f.rows_rejected) - any_value(coalesce(p.rows, 0))) / greatest(sum(f.rows_read), 1) > $reject_rate THEN 'fail'
                          WHEN sum(f.rows_rejected) > 0 THEN 'warn' ELSE 'ok' END
              FROM files f LEFT JOIN privacy p ON p.source = f.source GROUP BY f.source
    UNION ALL SELECT 'rows_suppressed', source, NULL, rows, 'ok' FROM privacy
)
SELECT check_name, table_name, source_file, CAST(value AS DOUBLE) AS value, status FROM checks;

CREATE OR REPLACE TEMP TABLE out_rejects AS
SELECT r.source_file, r.line, r.reason, r.detail, r.raw
FROM ingest_rejects r
JOIN ingest_files f ON f.source = r.source AND f.display = r.source_file
WHERE list_contains($current_paths, f.path);
