-- raw_batch_lines: gives every row of one raw scan its file (as the user names it) and line number.
-- Input: raw_scan (rows in scan order), raw_files (read path → display path), raw_reject_errors / raw_reject_scans
-- (rows DuckDB's CSV parser rejected, with their physical line). Output: raw_parse_rejects, and raw_batch — a view,
-- so the wide rows are not copied again before the staging model reads them once.
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

CREATE OR REPLACE TEMP TABLE raw_file_offsets AS
SELECT r.filename, f.display AS source_file, min(r.scan_row) - 1 AS rows_before,
       CASE WHEN $has_header THEN 1 ELSE 0 END AS header_lines
FROM raw_scan r JOIN raw_files f ON f.read_path = r.filename
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE raw_reject_gaps AS
WITH reject_index AS (
    SELECT source_file, line, row_number() OVER (PARTITION BY source_file ORDER BY line) AS j
    FROM raw_parse_rejects
)
SELECT source_file, line - j - (CASE WHEN $has_header THEN 1 ELSE 0 END) AS accepted_before, max(j) AS j
FROM reject_index
GROUP BY ALL;

CREATE TEMP VIEW raw_batch AS
WITH numbered AS (
    SELECT o.source_file, o.header_lines, r.* EXCLUDE (filename), r.scan_row - o.rows_before AS ordinal
    FROM raw_scan r JOIN raw_file_offsets o USING (filename)
),
final AS (
    SELECT n.* EXCLUDE (scan_row, ordinal, header_lines),
           CAST(n.ordinal + n.header_lines + coalesce(g.j, 0) AS BIGINT) AS line
    FROM numbered n
    ASOF LEFT JOIN raw_reject_gaps g ON n.source_file = g.source_file AND n.ordinal > g.accepted_before
)
SELECT * FROM final;
