/** Published tables of the basket stage (contract §4, §5): association rules and next-best-product recommendations. */
import { col, customerKey, type TableDef } from './types.js';

export const BASKET_TABLES: readonly TableDef[] = [
  {
    name: 'association_rules',
    grain: 'rule',
    orderBy: ['rank'],
    columns: [
      col('rule_id', 'VARCHAR', 'Stable id: first 16 hex digits of SHA-256 over the sorted antecedent items and the consequent.'),
      col('antecedent', 'VARCHAR[]', 'Items on the left (product ids or categories), sorted.'),
      col('consequent', 'VARCHAR', 'The one item on the right.'),
      col('count', 'BIGINT', 'Transactions containing every item of the rule.'),
      col('support', 'DOUBLE', 'count / transactions.'),
      col('confidence', 'DOUBLE', 'count / transactions containing the antecedent.'),
      col('lift', 'DOUBLE', 'confidence / support of the consequent.'),
      col('leverage', 'DOUBLE', 'support − support(antecedent) × support(consequent).'),
      col('conviction', 'DOUBLE', '(1 − support(consequent)) / (1 − confidence); +Infinity when confidence is 1.'),
      col('rank', 'INTEGER', 'Position in the rule order: lift desc, confidence desc, antecedent, consequent (1 first).'),
    ],
  },
  {
    name: 'recommendations',
    grain: 'customer × product',
    orderBy: ['customer_key', 'rank'],
    columns: [
      customerKey,
      col('product_id', 'VARCHAR', 'Recommended product, not bought by the customer up to as_of.'),
      col('score', 'DOUBLE', 'confidence × lift of the best rule whose antecedent the customer has bought.'),
      col('rule_id', 'VARCHAR', 'That rule (association_rules.rule_id).'),
      col('rank', 'INTEGER', 'Position among the recommendations for this customer (1 = best).'),
    ],
  },
];
