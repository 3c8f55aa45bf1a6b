-- classify_batch: decides, for every row of stg_batch, whether it is loaded, rejected or a duplicate.
-- A duplicate repeats the row_key of a row already loaded for the same source (from another file) or of an
-- earlier row of this batch (file order, then line). Input: stg_batch, stg_existing_keys. Output: batch_classified.
CREATE OR REPLACE TEMP TABLE batch_classified AS
WITH first_in_batch AS (
    SELECT source_file, line,
           row_number() OVER (PARTITION BY row_key ORDER BY source_file, line) AS occurrence
    FROM stg_batch
    WHERE reject_reason IS NULL
),
final AS (
    SELECT b.*,
           CASE
               WHEN b.reject_reason IS NOT NULL THEN 'rejected'
               WHEN e.row_key IS NOT NULL OR f.occurrence > 1 THEN 'duplicate'
               ELSE 'loaded'
           END AS outcome
    FROM stg_batch b
    LEFT JOIN first_in_batch f ON f.source_file = b.source_file AND f.line = b.line
    LEFT JOIN stg_existing_keys e ON e.row_key = b.row_key
)
SELECT * FROM final;
