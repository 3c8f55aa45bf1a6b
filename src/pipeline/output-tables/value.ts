/**
 * Published table of the value stage (contract §4): `customer_value`, one row per buyer, with profitability, RFM
 * and the predictive CLV. Money is in the orders' currency, or in the reporting currency when
 * `value.currency_rates` converts several; the CLV model inputs are published so users can refit or audit it.
 */
import { col, customerKey, type TableDef } from './types.js';

export const VALUE_TABLES: readonly TableDef[] = [
  {
    name: 'customer_value',
    grain: 'buyer',
    orderBy: ['customer_key'],
    columns: [
      customerKey,
      col('revenue', 'DOUBLE', 'Net revenue up to as_of: gross_sales − discounts − returns.'),
      col('gross_sales', 'DOUBLE', 'quantity × unit_price of completed lines.'),
      col('discounts', 'DOUBLE', 'Discounts on completed lines.'),
      col('returns', 'DOUBLE', 'Refunded value of returned lines (positive).'),
      col('cost_of_goods', 'DOUBLE', 'Cost of goods shipped: quantity × unit_cost, else line revenue × (1 − value.margin_rate); returned goods are not credited back.'),
      col('gross_margin', 'DOUBLE', 'revenue − cost_of_goods.'),
      col('email_cost', 'DOUBLE', 'Email sends × value.costs.email_send.'),
      col('call_cost', 'DOUBLE', 'Call minutes × value.costs.call_minute.'),
      col('cost_to_serve', 'DOUBLE', 'email_cost + call_cost.'),
      col('net_contribution', 'DOUBLE', 'gross_margin − cost_to_serve.'),
      col('profit_decile', 'INTEGER', 'Decile of net_contribution among buyers, 1 = most profitable (ties by customer_key).'),
      col('unprofitable_reason', 'VARCHAR', 'For net_contribution < 0: the largest drain (returns, discounts or service cost; product cost when none); NULL otherwise.'),
      col('recency_days', 'INTEGER', 'Days from the last completed order to as_of.'),
      col('frequency', 'INTEGER', 'Completed orders up to as_of.'),
      col('r_score', 'INTEGER', 'Recency quintile 1–5 (5 = most recent).'),
      col('f_score', 'INTEGER', 'Frequency quintile 1–5 (5 = most orders).'),
      col('m_score', 'INTEGER', 'Monetary quintile 1–5 (5 = highest net revenue).'),
      col('rfm_code', 'VARCHAR', 'The three scores as digits, e.g. 555.'),
      col('rfm_segment', 'VARCHAR', 'Named segment from r_score and f_score (rule table in the report and docs/decisions.md).'),
      col('clv_frequency', 'DOUBLE', 'CLV model input x: repeat transactions (days with positive net revenue after the first) up to as_of.'),
      col('clv_recency', 'DOUBLE', 'CLV model input t_x: first to last transaction, in value.clv.time_unit.'),
      col('clv_age', 'DOUBLE', 'CLV model input T: first transaction to as_of, in value.clv.time_unit.'),
      col('clv_monetary', 'DOUBLE', 'CLV model input m: mean value of the repeat transactions (NULL without repeats).'),
      col('p_alive', 'DOUBLE', 'BG/NBD probability the customer is still active at as_of (NULL when the model was not fitted).'),
      col('expected_purchases', 'DOUBLE', 'BG/NBD expected transactions in the next value.clv.horizon_days (NULL when not fitted).'),
      col('clv', 'DOUBLE', 'Expected margin over value.clv.horizon_days, discounted monthly (NULL when a model was not fitted, or for a customer without a repeat purchase when the fitted spend distribution has no mean: Gamma-Gamma q ≤ 1; manifest models.clv.notes says so).'),
      col('holdout_actual', 'DOUBLE', 'Transactions in (calibration_end, as_of], for customers of the calibration period (NULL without a holdout).'),
      col('holdout_predicted', 'DOUBLE', 'What the fitted BG/NBD predicted for that holdout from the calibration history (NULL without a holdout).'),
    ],
  },
];
