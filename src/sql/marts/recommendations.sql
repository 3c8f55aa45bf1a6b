-- recommendations: next-best products per customer from the published association rules. A rule applies to a
-- customer who has bought every antecedent item (completed lines up to as_of, any order) and not the
-- consequent; its score is confidence × lift. Each customer × product keeps its best rule (score, then rule
-- rank), and each customer the top $per_customer products (score desc, product_id). Customers who are not
-- contactable, or who opted out of profiling, get none; guests have no customer to recommend to. Only
-- product rules recommend products, so with `basket.item: category` the table is empty.
-- Item sets are bitstrings, so "has bought every antecedent item" is one AND and compare; list_has_all on lists
-- measured about 20 times slower on 100,000 rules. The bits range over the items some rule names, numbered densely
-- (rule_codes: 0 .. $max_code), not over the whole catalogue: a basket only has to say which of those it holds, and
-- lines of other items never enter (at 1M customers 45 rules name a few dozen of 2,000 products, and the statement
-- took 6.5 s with a bit per product). Candidate customers come from an equi-join on the antecedent item with the
-- fewest eligible owners.
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
rule_codes AS (
    SELECT item_code, CAST(row_number() OVER (ORDER BY item_code) - 1 AS INTEGER) AS code
    FROM (SELECT item_code FROM rule_items UNION SELECT consequent_code FROM rules)
),
rule_item_names AS (
    SELECT i.item, rc.code FROM int_basket_items i JOIN rule_codes rc USING (item_code)
),
lines AS (
    SELECT customer_key, item FROM int_basket_lines WHERE customer_key IS NOT NULL AND item IS NOT NULL
),
customers AS (
    SELECT customer_key FROM out_customers WHERE is_contactable AND NOT profiling_opt_out
),
owned AS (
    SELECT DISTINCT l.customer_key, n.code
    FROM lines l JOIN rule_item_names n USING (item) JOIN customers c USING (customer_key)
),
baskets AS (
    SELECT customer_key, bitstring_agg(code, 0, $max_code) AS bits FROM owned GROUP BY customer_key
),
owners AS (
    SELECT code, count(*) AS n FROM owned GROUP BY code
),
antecedents AS (
    SELECT ri.rule_index, bitstring_agg(rc.code, 0, $max_code) AS bits,
           arg_min(rc.code, (coalesce(o.n, 0), rc.code)) AS rarest
    FROM rule_items ri JOIN rule_codes rc USING (item_code) LEFT JOIN owners o USING (code)
    GROUP BY ri.rule_index
),
candidates AS (
    SELECT o.customer_key, r.consequent_code, r.score, r.rule_id, r.rule_index
    FROM rules r
    JOIN rule_codes consequent ON consequent.item_code = r.consequent_code
    JOIN antecedents a USING (rule_index)
    JOIN owned o ON o.code = a.rarest
    JOIN baskets b ON b.customer_key = o.customer_key
    WHERE (b.bits & a.bits) = a.bits AND get_bit(b.bits, consequent.code) = 0
),
best_rule AS (
    SELECT customer_key, consequent_code, max(score) AS score, arg_min(rule_id, (-score, rule_index)) AS rule_id
    FROM candidates GROUP BY customer_key, consequent_code
),
final AS (
    SELECT b.customer_key, i.item AS product_id, b.score, b.rule_id,
           CAST(row_number() OVER (PARTITION BY b.customer_key ORDER BY b.score DESC, i.item) AS INTEGER) AS "rank"
    FROM best_rule b JOIN int_basket_items i ON i.item_code = b.consequent_code
    QUALIFY "rank" <= $per_customer
)
SELECT * FROM final;
