-- classify_batch: finds the rows of stg_batch that are duplicates; every other row is loaded or, with a
-- reject_reason, rejected. A duplicate repeats the row_key of a row already loaded for the same source (from another
-- file) or of an earlier row of this batch (scan order = file order, then line; stg_batch's rowid). Input: stg_batch,
-- stg_existing_keys. Output: batch_duplicates (filename, scan_row).
-- Most keys occur once, so the window that orders repeats runs only over keys seen more than once: a grouped
-- count and a small window instead of partitioning every row of the batch.
CREATE OR REPLACE TEMP TABLE batch_duplicates AS
WITH candidates AS (
    SELECT filename, rowid AS scan_row, row_key FROM stg_batch WHERE reject_reason IS NULL
),
repeated_keys AS (
    SELECT row_key FROM candidates GROUP BY row_key HAVING count(*) > 1
),
repeated_in_batch AS (
    SELECT c.filename, c.scan_row
    FROM candidates c
    SEMI JOIN repeated_keys r ON r.row_key = c.row_key
    QUALIFY row_number() OVER (PARTITION BY c.row_key ORDER BY c.scan_row) > 1
),
already_loaded AS (
    SELECT c.filename, c.scan_row
    FROM candidates c
    SEMI JOIN stg_existing_keys e ON e.row_key = c.row_key
)
SELECT filename, scan_row FROM repeated_in_batch
UNION
SELECT filename, scan_row FROM already_loaded;
