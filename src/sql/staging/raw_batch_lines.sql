-- raw_batch_lines: gives every row of one raw scan its file (as the user names it) and line number.
-- Input: raw_scan (rows in scan order), raw_files (read path → display path), raw_reject_errors / raw_reject_scans
-- (rows DuckDB's CSV parser rejected, with their physical line). Output: raw_batch, raw_parse_rejects.
-- A row's line = its ordinal among accepted rows + header + the parser-rejected lines before it (an ASOF join
-- on "accepted rows before the j-th rejected line"), so lines stay right after a ragged row.

CREATE OR REPLACE TEMP TABLE raw_parse_rejects AS
SELECT f.display AS source_file,
       CAST(e.line AS BIGINT) AS line,
       any_value(e.csv_line) AS raw,
       string_agg(DISTINCT lower(e.error_type) || ': ' || e.error_message, '; ') AS detail
FROM raw_reject_errors e
JOIN raw_reject_scans s USING (scan_id, file_id)
JOIN raw_files f ON f.read_path = s.file_path
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE raw_batch AS
WITH numbered AS (
    SELECT f.display AS source_file,
           r.*,
           r.scan_row - min(r.scan_row) OVER (PARTITION BY r.filename) + 1 AS ordinal
    FROM raw_scan r
    JOIN raw_files f ON f.read_path = r.filename
),
reject_index AS (
    SELECT source_file, line, row_number() OVER (PARTITION BY source_file ORDER BY line) AS j
    FROM raw_parse_rejects
),
reject_gaps AS (
    SELECT source_file, line - j - (CASE WHEN $has_header THEN 1 ELSE 0 END) AS accepted_before, max(j) AS j
    FROM reject_index
    GROUP BY ALL
),
final AS (
    SELECT n.* EXCLUDE (filename, scan_row, ordinal),
           CAST(n.ordinal + (CASE WHEN $has_header THEN 1 ELSE 0 END) + coalesce(g.j, 0) AS BIGINT) AS line
    FROM numbered n
    ASOF LEFT JOIN reject_gaps g ON n.source_file = g.source_file AND n.ordinal > g.accepted_before
)
SELECT * FROM final;
