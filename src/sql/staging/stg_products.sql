-- stg_products: the product catalogue → product_id, name, category, unit_cost (NULL when unknown).
CREATE OR REPLACE TEMP TABLE stg_batch AS
WITH source AS (
    SELECT * FROM raw_batch
),
parsed AS (
    SELECT filename, COLUMNS('^__raw_'), is_malformed, unit_cost AS unit_cost_raw,
           cra_text(product_id) AS product_id,
           cra_text(name) AS name,
           cra_text(category) AS category,
           cra_number(unit_cost) AS unit_cost,
           cra_row_key(false, CAST(NULL AS VARCHAR[]), list_value(product_id, name, category, unit_cost)) AS row_key
    FROM source
)
SELECT filename, array_to_string(list_value(*COLUMNS('^__raw_')), $raw_delimiter) AS raw, row_key,
       CASE WHEN is_malformed THEN 'malformed_row'
            WHEN product_id IS NULL THEN 'missing_required'
            WHEN cra_bad_number(unit_cost_raw) THEN 'bad_number' END AS reject_reason,
       CASE WHEN product_id IS NULL THEN 'product_id is empty'
            WHEN cra_bad_number(unit_cost_raw) THEN 'unit_cost "' || unit_cost_raw || '" is not a number' END AS reject_detail,
       product_id, name, category, unit_cost, CAST(NULL AS TIMESTAMP) AS activity_at
FROM parsed;
