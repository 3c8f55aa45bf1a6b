-- batch_lines: gives every row of the staged batch its file (as the user names it) and line number.
-- Runs after the staging model, so the scan that filled stg_batch is the one whose parser rejects it reads.
-- stg_batch was written in scan order, so its rowid is the row's position in the scan (`scan_row`).
-- Input: stg_batch (filename, rowid), raw_files (read path → display path),
-- raw_reject_errors / raw_reject_scans (rows DuckDB's CSV parser rejected, with their physical line).
-- Output: raw_parse_rejects, batch_file_offsets and the view batch_rows (stg_batch + source_file + line).

CREATE OR REPLACE TEMP TABLE raw_parse_rejects AS
SELECT f.display AS source_file,
       CAST(e.line AS BIGINT) AS line,
       any_value(e.csv_line) AS raw,
       string_agg(DISTINCT lower(e.error_type) || ': ' || e.error_message, '; ') AS detail
FROM raw_reject_errors e
JOIN raw_reject_scans s USING (scan_id, file_id)
JOIN raw_files f ON f.read_path = s.file_path
GROUP BY ALL;

-- One row per file: where its rows start in the scan, and for each parser-rejected line the number of accepted rows
-- before it (`gaps`, usually empty). A row's line = its ordinal + header + the rejected lines whose gap lies below its
-- ordinal: a short list filter per row instead of a join (rejected lines are few; an ASOF join sorted every row).
CREATE OR REPLACE TEMP TABLE batch_file_offsets AS
WITH firsts AS (
    SELECT filename, min(rowid) - 1 AS rows_before FROM stg_batch GROUP BY filename
),
reject_index AS (
    SELECT source_file, line - row_number() OVER (PARTITION BY source_file ORDER BY line) - CAST($header_lines AS BIGINT) AS accepted_before
    FROM raw_parse_rejects
),
gaps AS (
    SELECT source_file, list(accepted_before ORDER BY accepted_before) AS gaps FROM reject_index GROUP BY source_file
)
SELECT f.filename, r.display AS source_file, f.rows_before, CAST($header_lines AS BIGINT) AS header_lines,
       coalesce(g.gaps, []) AS gaps
FROM firsts f
JOIN raw_files r ON r.read_path = f.filename
LEFT JOIN gaps g ON g.source_file = r.display;

CREATE OR REPLACE TEMP VIEW batch_rows AS
WITH numbered AS (
    SELECT o.source_file, b.rowid - o.rows_before AS ordinal, o.header_lines, o.gaps, b.rowid AS scan_row, b.*
    FROM stg_batch b
    JOIN batch_file_offsets o ON o.filename = b.filename
)
SELECT source_file,
       CAST(ordinal + header_lines + CASE WHEN len(gaps) = 0 THEN 0 ELSE len(list_filter(gaps, g -> g < ordinal)) END AS BIGINT) AS line,
       * EXCLUDE (source_file, ordinal, header_lines, gaps)
FROM numbered;
