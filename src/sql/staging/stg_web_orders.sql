-- stg_web_orders: order lines as exported → typed, categorised, validated (no joins: a pure projection of the scan).
-- Status: a negative quantity is a return unless the status maps to cancelled (contract §3); revenue is
-- quantity × unit_price − discount for completed and returned lines (returns negative), 0 for cancelled.
-- Money columns are DECIMAL(18,4): exact, order-independent sums (same inputs, same outputs).
CREATE OR REPLACE TEMP TABLE stg_batch AS
WITH source AS (
    SELECT *,
           cra_value(status, $vm_status_synonyms, $vm_status_canonicals) AS vm_status
    FROM raw_batch
),
parsed AS (
    SELECT filename, COLUMNS('^__raw_'), is_malformed, order_id AS order_id_raw, ordered_at AS ordered_at_raw,
           quantity AS quantity_raw, unit_price AS unit_price_raw, discount AS discount_raw, status AS status_raw,
           cra_text(order_id) AS order_id,
           cra_text(line_id) AS line_id,
           cra_ts(ordered_at, $ts_format, $timezone) AS ordered_at,
           cra_text(customer_id) AS customer_id,
           cra_text(email) AS email,
           cra_text(phone) AS phone,
           cra_text(product_id) AS product_id,
           cra_text(product_name) AS product_name,
           cra_text(category) AS category,
           cra_number(quantity) AS quantity,
           cra_number(unit_price) AS unit_price,
           coalesce(cra_number(discount), 0) AS discount,
           vm_status AS status_mapped,
           upper(cra_text(currency)) AS currency,
           cra_text(country) AS country,
           cra_row_key($natural_key, list_value(order_id, line_id),
                       list_value(order_id, line_id, ordered_at, customer_id, email, phone, product_id, product_name,
                                 category, quantity, unit_price, discount, status, currency, country)) AS row_key
    FROM source
),
checked AS (
    SELECT *,
           CASE
               WHEN is_malformed THEN 'malformed_row'
               WHEN order_id IS NULL THEN 'missing_required'
               WHEN product_id IS NULL THEN 'missing_required'
               WHEN ordered_at_raw IS NULL OR cra_trim(ordered_at_raw) = '' THEN 'missing_required'
               WHEN cra_bad_ts(ordered_at_raw, ordered_at) THEN 'bad_timestamp'
               WHEN quantity IS NULL OR unit_price IS NULL OR cra_bad_number(discount_raw) THEN 'bad_number'
               WHEN unit_price < 0 OR discount < 0 THEN 'out_of_range'
               WHEN cra_bad_value(status_raw, status_mapped) THEN 'unknown_value'
               WHEN ordered_at > $future_limit THEN 'future_date'
           END AS reject_reason
    FROM parsed
),
-- Worded only for rejected rows: CASE evaluates its ELSE branch on those rows alone.
explained AS (
    SELECT *,
           CASE WHEN reject_reason IS NULL THEN NULL ELSE CASE
               WHEN order_id IS NULL THEN 'order_id is empty'
               WHEN product_id IS NULL THEN 'product_id is empty'
               WHEN ordered_at_raw IS NULL OR cra_trim(ordered_at_raw) = '' THEN 'ordered_at is empty'
               WHEN cra_bad_ts(ordered_at_raw, ordered_at) THEN 'ordered_at "' || ordered_at_raw || '" does not match the timestamp format'
               WHEN quantity IS NULL THEN 'quantity "' || coalesce(quantity_raw, '') || '" is not a number'
               WHEN unit_price IS NULL THEN 'unit_price "' || coalesce(unit_price_raw, '') || '" is not a number'
               WHEN cra_bad_number(discount_raw) THEN 'discount "' || discount_raw || '" is not a number'
               WHEN unit_price < 0 THEN 'unit_price ' || unit_price || ' is negative; credit notes belong in returns'
               WHEN discount < 0 THEN 'discount ' || discount || ' is negative'
               WHEN cra_bad_value(status_raw, status_mapped) THEN 'status "' || status_raw || '" is not a known status; add it under values.status'
               WHEN ordered_at > $future_limit THEN 'ordered_at ' || CAST(ordered_at AS VARCHAR) || ' is in the future'
           END END AS reject_detail
    FROM checked
),
final AS (
    SELECT filename, cra_rejected_text(reject_reason, list_value(*COLUMNS('^__raw_')), $raw_delimiter) AS raw, row_key, reject_reason, reject_detail,
           order_id, coalesce(line_id, '') AS line_id, ordered_at, customer_id, email, phone, product_id, product_name, category,
           CASE WHEN status_mapped = 'returned' THEN -abs(quantity) ELSE quantity END AS quantity,
           -- Money is DECIMAL so sums are exact and the same whatever order parallel aggregation takes.
           CAST(unit_price AS DECIMAL(18, 4)) AS unit_price, CAST(discount AS DECIMAL(18, 4)) AS discount,
           CASE WHEN status_mapped = 'cancelled' THEN 'cancelled'
                WHEN quantity < 0 OR status_mapped = 'returned' THEN 'returned'
                ELSE 'completed' END AS status,
           currency, country
    FROM explained
)
SELECT *,
       CAST(CASE WHEN status = 'cancelled' THEN 0
                 WHEN status = 'returned' THEN -(abs(quantity) * unit_price - discount)
                 ELSE quantity * unit_price - discount END AS DECIMAL(18, 4)) AS revenue,
       ordered_at AS activity_at
FROM final;
