-- recommendations: next-best products per customer from the published association rules. A rule applies to a
-- customer who has bought every antecedent item (completed lines up to as_of, any order) and not the
-- consequent; its score is confidence × lift. Each customer × product keeps its best rule (score, then rule
-- rank), and each customer the top $per_customer products (score desc, product_id). Customers who are not
-- contactable, or who opted out of profiling, get none; guests have no customer to recommend to. Only
-- product rules recommend products, so with `basket.item: category` the table is empty.
-- Item sets are bitstrings over the dense item codes (0 .. $max_code), so "has bought every antecedent item"
-- is one AND and compare; list_has_all on lists measured about 20 times slower on 100,000 rules. Candidate
-- customers come from an equi-join on the antecedent item with the fewest eligible owners.
CREATE OR REPLACE TEMP TABLE out_recommendations AS
WITH rules AS (
    SELECT CAST(rule_index AS INTEGER) AS rule_index, rule_id, CAST(consequent_code AS INTEGER) AS consequent_code,
           confidence * lift AS score
    FROM int_basket_rules
    WHERE $item = 'product_id'
),
rule_items AS (
    SELECT CAST(rule_index AS INTEGER) AS rule_index, CAST(item_code AS INTEGER) AS item_code FROM int_basket_rule_items
),
items AS (
    SELECT item_code, item FROM int_basket_items
),
lines AS (
    SELECT customer_key, item FROM int_basket_lines WHERE customer_key IS NOT NULL AND item IS NOT NULL
),
customers AS (
    SELECT customer_key FROM out_customers WHERE is_contactable AND NOT profiling_opt_out
),
owned AS (
    SELECT DISTINCT l.customer_key, i.item_code
    FROM lines l JOIN customers c USING (customer_key) JOIN items i USING (item)
),
baskets AS (
    SELECT customer_key, bitstring_agg(item_code, 0, $max_code) AS bits FROM owned GROUP BY customer_key
),
owners AS (
    SELECT item_code, count(*) AS n FROM owned GROUP BY item_code
),
antecedents AS (
    SELECT ri.rule_index, bitstring_agg(ri.item_code, 0, $max_code) AS bits,
           arg_min(ri.item_code, (coalesce(o.n, 0), ri.item_code)) AS rarest
    FROM rule_items ri LEFT JOIN owners o USING (item_code)
    GROUP BY ri.rule_index
),
candidates AS (
    SELECT o.customer_key, r.consequent_code, r.score, r.rule_id, r.rule_index
    FROM rules r
    JOIN antecedents a USING (rule_index)
    JOIN owned o ON o.item_code = a.rarest
    JOIN baskets b ON b.customer_key = o.customer_key
    WHERE (b.bits & a.bits) = a.bits AND get_bit(b.bits, r.consequent_code) = 0
),
best_rule AS (
    SELECT customer_key, consequent_code, max(score) AS score, arg_min(rule_id, (-score, rule_index)) AS rule_id
    FROM candidates GROUP BY customer_key, consequent_code
),
final AS (
    SELECT b.customer_key, i.item AS product_id, b.score, b.rule_id,
           CAST(row_number() OVER (PARTITION BY b.customer_key ORDER BY b.score DESC, i.item) AS INTEGER) AS "rank"
    FROM best_rule b JOIN items i ON i.item_code = b.consequent_code
    QUALIFY "rank" <= $per_customer
)
SELECT * FROM final;
