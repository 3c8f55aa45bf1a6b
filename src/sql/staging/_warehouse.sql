-- Ingest bookkeeping tables in the warehouse (created once; kept across runs for incremental loads).
-- ingest_files: one row per loaded input file with its fingerprint and row accounting
--   (rows_read = rows_loaded + rows_rejected + rows_duplicate). ingest_rejects: quarantined rows with reasons.
CREATE TABLE IF NOT EXISTS ingest_files (
    source VARCHAR, channel VARCHAR, path VARCHAR, display VARCHAR, size BIGINT, mtime_ms BIGINT, sha256 VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, rows_duplicate BIGINT, rows_after_as_of BIGINT,
    loaded_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS ingest_rejects (
    source VARCHAR, source_file VARCHAR, line BIGINT, reason VARCHAR, detail VARCHAR, raw VARCHAR
);
CREATE TABLE IF NOT EXISTS suppressed_identities (
    id_type VARCHAR, value_hash VARCHAR, erased_at TIMESTAMP
);
