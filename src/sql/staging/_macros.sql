-- Parsing helpers shared by the staging models (temp macros, created once per run).
-- cra_text: trims, drops control characters, '' → NULL. cra_number: a plain decimal number or NULL.
-- cra_ts: ISO strings with an offset are converted to UTC; naive ones are read with the source's format in the
-- pipeline's timezone, then converted to UTC. Categorical values are mapped by joining `value_map` (field,
-- synonym → canonical) in each staging model: a join, not a per-row subquery, because it runs on every row.

CREATE TEMP TABLE IF NOT EXISTS value_map (field VARCHAR, synonym VARCHAR, canonical VARCHAR);

CREATE OR REPLACE TEMP MACRO cra_text(x) AS
    nullif(trim(regexp_replace(x, '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]', '', 'g')), '');

CREATE OR REPLACE TEMP MACRO cra_number(x) AS
    TRY_CAST(replace(trim(x), ' ', '') AS DOUBLE);

CREATE OR REPLACE TEMP MACRO cra_ts(x, fmt, tz) AS
    CASE
        WHEN cra_text(x) IS NULL THEN NULL
        WHEN regexp_matches(trim(x), '(Z|[+-]\d\d:?\d\d)$') THEN timezone('UTC', TRY_CAST(trim(x) AS TIMESTAMPTZ))
        ELSE timezone('UTC', timezone(tz, coalesce(try_strptime(trim(x), fmt), TRY_CAST(trim(x) AS TIMESTAMP))))
    END;

-- The first failing check names the reason; detail says which column and value.
CREATE OR REPLACE TEMP MACRO cra_present(raw_value) AS nullif(trim(raw_value), '') IS NOT NULL;
CREATE OR REPLACE TEMP MACRO cra_bad_ts(raw_value, parsed) AS cra_present(raw_value) AND parsed IS NULL;
CREATE OR REPLACE TEMP MACRO cra_bad_number(raw_value) AS cra_present(raw_value) AND cra_number(raw_value) IS NULL;
-- A categorical value is bad when present but not found in value_map (joined by the staging model).
CREATE OR REPLACE TEMP MACRO cra_bad_value(raw_value, mapped) AS cra_present(raw_value) AND mapped IS NULL;
CREATE OR REPLACE TEMP MACRO cra_row_key(use_natural, natural_key, whole_row) AS
    md5(to_json(CASE WHEN use_natural THEN natural_key ELSE whole_row END));
