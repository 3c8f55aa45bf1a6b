-- association_rules: the mined rules with their item names restored. The basket stage appends the engine's
-- rules with item codes only (int_basket_rules, int_basket_rule_items) in the engine's order (lift desc,
-- confidence desc, antecedent names, consequent name); rank keeps that order for the published file.
CREATE OR REPLACE TEMP TABLE out_association_rules AS
WITH rules AS (
    SELECT * FROM int_basket_rules
),
rule_items AS (
    SELECT * FROM int_basket_rule_items
),
items AS (
    SELECT item_code, item FROM int_basket_items
),
antecedents AS (
    SELECT ri.rule_index, list(i.item ORDER BY ri.position) AS antecedent
    FROM rule_items ri JOIN items i ON i.item_code = ri.item_code
    GROUP BY ri.rule_index
),
final AS (
    SELECT r.rule_id, a.antecedent, c.item AS consequent, CAST(r.rule_count AS BIGINT) AS "count",
           r.support, r.confidence, r.lift, r.leverage, r.conviction,
           CAST(r.rule_index AS INTEGER) + 1 AS "rank"
    FROM rules r
    JOIN antecedents a USING (rule_index)
    JOIN items c ON c.item_code = r.consequent_code
)
SELECT * FROM final;
