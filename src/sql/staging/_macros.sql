-- Parsing helpers shared by the staging models (temp macros, created once per run). They run on every row of
-- every export, so each is the cheapest form measured (bench/run.ts --ingest-only):
-- cra_trim: trim(x), skipped where it would change nothing. DuckDB's trim looks up the Unicode category of every
--   character and copies the string; an ASCII string that neither starts nor ends with a space (the only ASCII
--   character trim removes) is its own trim, and strlen = length holds only for ASCII. Every parser below trims
--   through it: 14 columns of 1.37M order lines took 0.56 s against 1.29 s with trim, the orders' staging model
--   3.45 s against 4.05 s on one thread (test/stages/ingest-macros.test.ts holds it to trim).
-- cra_text: trims, '' → NULL. Control characters are already gone: raw_batch strips them, and only on the rare rows
--   that have any (one regex test per row instead of a regex replace per column).
-- cra_number: a plain decimal number or NULL.
-- cra_ts: a naive timestamp is read with the source's format in the pipeline's timezone, then converted to UTC (no
--   conversion at all when that timezone is UTC); ISO strings with an offset are converted to UTC.
--   The cheap forms are tried first; coalesce evaluates a later argument only on the rows still NULL.
-- cra_value: a categorical value through the value map, passed as two parameter lists (synonyms, canonicals) so the
--   lookup is an expression, not a join: the staging models stay pure projections, which keeps them parallel and
--   keeps stg_batch in scan order (its rowid is the row's position in the scan).
-- cra_row_key: a row's identity for the duplicate checks, the md5 of its natural key (or of every mapped column) as a
--   128-bit number: 16 bytes in place, where md5's 32 hex characters were a string stored apart from the row. Per
--   1.75M order lines the insert into the staging table took 3.5 against 3.8 s, the duplicate checks 0.84 against
--   1.08 s (docs/decisions.md). Warehouses written before hold the hex form; staging-tables.ts converts them once.
-- cra_rejected_text: a rejected row's text, from the fields raw_batch passes on (`list_value(*COLUMNS('^__raw_'))`,
--   read-raw.ts), joined only for the rows that have a reject reason (a NULL JSON line stays NULL). A macro, because
--   DuckDB's binder does not take *COLUMNS under an IS NOT NULL written in the model itself.

CREATE OR REPLACE TEMP MACRO cra_strip_control(x) AS
    regexp_replace(x, '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]', '', 'g');

CREATE OR REPLACE TEMP MACRO cra_rejected_text(reason, fields, delimiter) AS
    CASE WHEN reason IS NOT NULL THEN array_to_string(fields, delimiter) END;

CREATE OR REPLACE TEMP MACRO cra_trim(x) AS
    CASE WHEN NOT starts_with(x, ' ') AND NOT ends_with(x, ' ') AND strlen(x) = length(x) THEN x ELSE trim(x) END;

CREATE OR REPLACE TEMP MACRO cra_text(x) AS
    nullif(cra_trim(x), '');

CREATE OR REPLACE TEMP MACRO cra_number(x) AS
    TRY_CAST(replace(cra_trim(x), ' ', '') AS DOUBLE);

CREATE OR REPLACE TEMP MACRO cra_local_to_utc(ts, tz) AS
    CASE WHEN tz = 'UTC' THEN ts ELSE timezone('UTC', timezone(tz, ts)) END;

CREATE OR REPLACE TEMP MACRO cra_ts(x, fmt, tz) AS
    coalesce(
        -- ISO 8601 in UTC first where the naive format cannot read it (no z or Z in the format, a value ending in Z):
        -- a failed try_strptime formats an error message, and every value would fail it first (the web sessions'
        -- staging model took 1.50 s against 1.93 s for 672k sessions on one thread).
        CASE WHEN ends_with(x, 'Z') AND NOT contains(lower(fmt), 'z') THEN try_strptime(x, '%Y-%m-%dT%H:%M:%SZ') END,
        cra_local_to_utc(try_strptime(cra_trim(x), fmt), tz),
        -- ISO 8601 in UTC where the first form was not tried (surrounding spaces, a format with z or Z), without a
        -- time-zone library call per row.
        try_strptime(cra_trim(x), '%Y-%m-%dT%H:%M:%SZ'),
        CASE WHEN regexp_matches(cra_trim(x), '(Z|[+-]\d\d:?\d\d)$') THEN timezone('UTC', TRY_CAST(cra_trim(x) AS TIMESTAMPTZ))
             ELSE cra_local_to_utc(TRY_CAST(cra_trim(x) AS TIMESTAMP), tz)
        END
    );

CREATE OR REPLACE TEMP MACRO cra_value(x, synonyms, canonicals) AS
    map(synonyms, canonicals)[lower(cra_trim(x))];

-- The first failing check names the reason; detail says which column and value.
CREATE OR REPLACE TEMP MACRO cra_present(raw_value) AS nullif(cra_trim(raw_value), '') IS NOT NULL;
CREATE OR REPLACE TEMP MACRO cra_bad_ts(raw_value, parsed) AS cra_present(raw_value) AND parsed IS NULL;
CREATE OR REPLACE TEMP MACRO cra_bad_number(raw_value) AS cra_present(raw_value) AND cra_number(raw_value) IS NULL;
-- A categorical value is bad when present but not found in the value map.
CREATE OR REPLACE TEMP MACRO cra_bad_value(raw_value, mapped) AS cra_present(raw_value) AND mapped IS NULL;
CREATE OR REPLACE TEMP MACRO cra_row_key(use_natural, natural_key, whole_row) AS
    md5_number(to_json(CASE WHEN use_natural THEN natural_key ELSE whole_row END));

-- The row key as warehouses before it was a number stored it (md5's 32 hex characters) → the same key as a number:
-- md5_number reads the digest little-endian, so the low 64 bits are the first 8 bytes reversed, the high the last 8.
-- (Written out byte by byte: a list comprehension here made ALTER TABLE … USING fail inside DuckDB 1.5.)
CREATE OR REPLACE TEMP MACRO cra_hex_uint64_le(h, byte) AS
    CAST('0x' || substr(h, 2 * byte + 15, 2) || substr(h, 2 * byte + 13, 2) || substr(h, 2 * byte + 11, 2)
         || substr(h, 2 * byte + 9, 2) || substr(h, 2 * byte + 7, 2) || substr(h, 2 * byte + 5, 2)
         || substr(h, 2 * byte + 3, 2) || substr(h, 2 * byte + 1, 2) AS UBIGINT);
CREATE OR REPLACE TEMP MACRO cra_row_key_from_hex(h) AS
    (CAST(cra_hex_uint64_le(h, 8) AS UHUGEINT) << 64) | CAST(cra_hex_uint64_le(h, 0) AS UHUGEINT);
