/**
 * Published tables of the retention stage (contract §4): churn scores for active buyers, first-purchase scores for
 * prospects, and monthly cohort retention. The trees themselves are published beside them as churn_model.sql/json
 * and lead_model.sql/json; model_metrics carries the holdout figures.
 */
import { col, customerKey, type TableDef } from './types.js';

export const RETENTION_TABLES: readonly TableDef[] = [
  {
    name: 'churn_scores',
    grain: 'active buyer (a completed order in the retention.active_days days up to as_of; profiling opt-outs left out)',
    orderBy: ['customer_key'],
    columns: [
      customerKey,
      col('churn_probability', 'DOUBLE', 'Probability of no completed order in the next retention.churn_horizon_days: the churn rate of the customer\'s leaf when the tree was fitted (churn_model.sql reproduces it).'),
      col('risk_band', 'VARCHAR', 'high (churn_probability ≥ 0.5), medium (≥ 0.2) or low.'),
      col('rule', 'VARCHAR', 'The leaf\'s rule over customer_features columns, in SQL syntax (exact thresholds).'),
      col('leaf_id', 'INTEGER', 'Node id of the leaf in churn_model.json.'),
    ],
  },
  {
    name: 'lead_scores',
    grain: 'prospect (engagement but no completed order; profiling opt-outs left out); empty when the lead model could not be fitted',
    orderBy: ['customer_key'],
    columns: [
      customerKey,
      col('purchase_probability', 'DOUBLE', 'Probability of a first completed order in the next retention.churn_horizon_days: the buying rate of the prospect\'s leaf when the tree was fitted (lead_model.sql reproduces it).'),
      col('is_contactable', 'BOOLEAN', 'May be contacted (customers.is_contactable); prospects who may not are flagged, not dropped.'),
      col('rule', 'VARCHAR', 'The leaf\'s rule over customer_features columns, in SQL syntax (exact thresholds).'),
      col('leaf_id', 'INTEGER', 'Node id of the leaf in lead_model.json.'),
    ],
  },
  {
    name: 'cohort_retention',
    grain: 'acquisition cohort × month since first purchase',
    orderBy: ['cohort_month', 'months_since_first'],
    columns: [
      col('cohort_month', 'DATE', 'First day of the month of the customers\' first completed order.'),
      col('months_since_first', 'INTEGER', 'Calendar months after the cohort month (0 = the cohort month itself); up to the month of as_of.'),
      col('customers', 'BIGINT', 'Customers in the cohort.'),
      col('retained', 'BIGINT', 'Of them, customers with a completed order in that month.'),
      col('retention_rate', 'DOUBLE', 'retained / customers (the month of as_of is partial unless as_of is a month end).'),
    ],
  },
];
