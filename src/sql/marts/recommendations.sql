-- recommendations: next-best products per customer from the published association rules. A rule applies to a
-- customer who has bought every antecedent item (completed lines up to as_of, any order) and not the
-- consequent; its score is confidence × lift. Each customer × product keeps its best rule (score, then rule
-- rank), and each customer the top $per_customer products (score desc, product_id). Customers who are not
-- contactable, or who opted out of profiling, get none; guests have no customer to recommend to. Only
-- product rules recommend products, so with `basket.item: category` the table is empty.
CREATE OR REPLACE TEMP TABLE out_recommendations AS
WITH rules AS (
    SELECT rule_id, antecedent, consequent, confidence * lift AS score, "rank" AS rule_rank
    FROM out_association_rules
    WHERE $item = 'product_id'
),
lines AS (
    SELECT customer_key, item FROM int_basket_lines WHERE customer_key IS NOT NULL AND item IS NOT NULL
),
customers AS (
    SELECT customer_key FROM out_customers WHERE is_contactable AND NOT profiling_opt_out
),
owned AS (
    SELECT DISTINCT l.customer_key, l.item FROM lines l JOIN customers c USING (customer_key)
),
baskets AS (
    SELECT customer_key, list(item) AS items FROM owned GROUP BY customer_key
),
candidates AS (
    -- The equi-join on the first antecedent item narrows the pairs; list_has_all then checks the whole antecedent.
    SELECT b.customer_key, r.consequent AS product_id, r.score, r.rule_id, r.rule_rank
    FROM rules r
    JOIN owned o ON o.item = r.antecedent[1]
    JOIN baskets b ON b.customer_key = o.customer_key
    WHERE list_has_all(b.items, r.antecedent) AND NOT list_contains(b.items, r.consequent)
),
best_rule AS (
    SELECT customer_key, product_id, arg_min(rule_id, (-score, rule_rank)) AS rule_id, max(score) AS score
    FROM candidates GROUP BY customer_key, product_id
),
final AS (
    SELECT customer_key, product_id, score, rule_id,
           CAST(row_number() OVER (PARTITION BY customer_key ORDER BY score DESC, product_id) AS INTEGER) AS "rank"
    FROM best_rule
    QUALIFY "rank" <= $per_customer
)
SELECT * FROM final;
