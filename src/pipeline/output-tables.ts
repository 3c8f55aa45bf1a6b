/**
 * The registry of published tables (contract §4): grain, column types, meanings, deterministic order and which
 * columns carry personal data. It is the single source for the Parquet writer (explicit casts and ORDER BY)
 * and for docs/outputs.md (generated; a test fails when the two drift). Stages build warehouse tables named
 * `out_<table>` with at least these columns; the writer selects exactly these.
 */

export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'INTEGER' | 'BOOLEAN' | 'TIMESTAMP' | 'DATE' | 'VARCHAR[]';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  description: string;
  /** With `pii: pseudonymise`: `hash` publishes a keyed HMAC-SHA256, `null` publishes NULL. */
  pii?: 'hash' | 'null';
}

export interface TableDef {
  name: string;
  grain: string;
  orderBy: readonly string[];
  columns: readonly ColumnDef[];
}

const col = (name: string, type: ColumnType, description: string, pii?: ColumnDef['pii']): ColumnDef => ({ name, type, description, ...(pii ? { pii } : {}) });
const customerKey = col('customer_key', 'VARCHAR', 'Stable cra customer key (survives reruns and --full-refresh).');

export const OUTPUT_TABLES: readonly TableDef[] = [
  {
    name: 'customers',
    grain: 'resolved customer',
    orderBy: ['customer_key'],
    columns: [
      customerKey,
      col('first_seen_at', 'TIMESTAMP', 'Earliest activity or CRM creation time in any channel.'),
      col('last_seen_at', 'TIMESTAMP', 'Latest activity in any channel up to as_of.'),
      col('channels', 'VARCHAR[]', 'Channels the customer appears in, sorted.'),
      col('is_buyer', 'BOOLEAN', 'Has at least one completed order up to as_of.'),
      col('is_contactable', 'BOOLEAN', 'Latest explicit consent signal allows marketing (none → contactable).'),
      col('profiling_opt_out', 'BOOLEAN', 'Opted out of profiling: left out of segments, churn and lead scores.'),
      col('email', 'VARCHAR', 'Golden email (normalised).', 'hash'),
      col('phone', 'VARCHAR', 'Golden phone (E.164).', 'hash'),
      col('first_name', 'VARCHAR', 'Golden first name.', 'hash'),
      col('last_name', 'VARCHAR', 'Golden last name.', 'hash'),
      col('city', 'VARCHAR', 'Golden city.'),
      col('country', 'VARCHAR', 'Golden country.'),
      col('source_records', 'INTEGER', 'Number of source identities resolved into this customer.'),
    ],
  },
  {
    name: 'customer_crosswalk',
    grain: 'distinct source identity',
    orderBy: ['source', 'id_type', 'source_record_id'],
    columns: [
      col('source', 'VARCHAR', 'Source name from the pipeline file.'),
      col('id_type', 'VARCHAR', 'customer_id, email, phone or visitor_id.'),
      col('source_record_id', 'VARCHAR', 'The identity as it appears in its source, trimmed (contract §4).', 'hash'),
      customerKey,
      col('match_rule', 'VARCHAR', 'The rule that linked it (email, phone, customer_id, …; singleton when it matched nothing).'),
      col('match_score', 'DOUBLE', 'Score of that rule (1 for deterministic rules).'),
    ],
  },
  {
    name: 'customer_key_history',
    grain: 'key change',
    orderBy: ['run_id', 'customer_key', 'replaced_key'],
    columns: [
      customerKey,
      col('replaced_key', 'VARCHAR', 'The key that was merged into customer_key, or split from it.'),
      col('change', 'VARCHAR', 'merge or split.'),
      col('run_id', 'VARCHAR', 'Run that made the change.'),
    ],
  },
  {
    name: 'orders',
    grain: 'order line (guests too)',
    orderBy: ['source', 'order_id', 'line_id', 'product_id'],
    columns: [
      col('source', 'VARCHAR', 'Source name.'),
      col('order_id', 'VARCHAR', 'Order id within its source.'),
      col('line_id', 'VARCHAR', 'Line id, when the export has one.'),
      col('customer_key', 'VARCHAR', 'Customer key; NULL for guest orders.'),
      col('ordered_at', 'TIMESTAMP', 'Order time (UTC).'),
      col('product_id', 'VARCHAR', 'Product id.'),
      col('quantity', 'DOUBLE', 'Quantity (negative for returns).'),
      col('unit_price', 'DOUBLE', 'Unit price.'),
      col('discount', 'DOUBLE', 'Discount amount on the line.'),
      col('revenue', 'DOUBLE', 'quantity × unit_price − discount for completed and returned lines, 0 for cancelled.'),
      col('status', 'VARCHAR', 'completed, cancelled or returned.'),
    ],
  },
  {
    name: 'interactions',
    grain: 'email event, web session or call',
    orderBy: ['channel', 'occurred_at', 'interaction_id'],
    columns: [
      col('customer_key', 'VARCHAR', 'Customer key; NULL for anonymous activity.'),
      col('channel', 'VARCHAR', 'email, web or phone.'),
      col('event_type', 'VARCHAR', 'Email event type, `session`, or the call reason.'),
      col('occurred_at', 'TIMESTAMP', 'When it happened (UTC).'),
      col('interaction_id', 'VARCHAR', 'event_id, session_id or call_id (source-prefixed).'),
    ],
  },
  {
    name: 'customer_features',
    grain: 'customer',
    orderBy: ['customer_key'],
    columns: [
      customerKey,
      col('as_of', 'DATE', 'The date the features describe; nothing after it is used.'),
      col('recency_days', 'INTEGER', 'Days from the last completed order to as_of (NULL for non-buyers).'),
      col('frequency', 'INTEGER', 'Completed orders up to as_of.'),
      col('monetary', 'DOUBLE', 'Net revenue up to as_of (returns subtracted).'),
      col('tenure_days', 'INTEGER', 'Days from first seen to as_of.'),
      col('avg_order_value', 'DOUBLE', 'monetary / frequency (NULL for non-buyers).'),
      col('distinct_products', 'INTEGER', 'Distinct products in completed orders.'),
      col('distinct_categories', 'INTEGER', 'Distinct categories in completed orders.'),
      col('return_rate', 'DOUBLE', 'Returned value / completed value.'),
      col('discount_share', 'DOUBLE', 'Discounts / gross value of completed lines.'),
      col('email_sends', 'INTEGER', 'Emails sent.'),
      col('email_open_rate', 'DOUBLE', 'Opens / sends (NULL without sends).'),
      col('email_click_rate', 'DOUBLE', 'Clicks / sends (NULL without sends).'),
      col('unsubscribed', 'BOOLEAN', 'Has an unsubscribe event.'),
      col('sessions', 'INTEGER', 'Web sessions.'),
      col('page_views', 'INTEGER', 'Web page views.'),
      col('days_since_last_visit', 'INTEGER', 'Days since the last web session (NULL without sessions).'),
      col('calls', 'INTEGER', 'Phone calls.'),
      col('call_minutes', 'DOUBLE', 'Minutes on the phone.'),
      col('complaints', 'INTEGER', 'Calls with reason complaint.'),
      col('complaints_90d', 'INTEGER', 'Complaint calls in the last 90 days.'),
      col('unresolved_calls', 'INTEGER', 'Calls marked unresolved.'),
      col('avg_csat', 'DOUBLE', 'Mean CSAT (1–5) of rated calls.'),
      col('spend_90d', 'DOUBLE', 'Net revenue in the last 90 days.'),
      col('spend_trend', 'DOUBLE', 'Net revenue, last 90 days minus the 90 before.'),
      col('orders_90d', 'INTEGER', 'Completed orders in the last 90 days.'),
      col('orders_trend', 'INTEGER', 'Orders, last 90 days minus the 90 before.'),
      col('engagement_90d', 'INTEGER', 'Email opens and clicks in the last 90 days.'),
      col('engagement_trend', 'INTEGER', 'Opens and clicks, last 90 days minus the 90 before.'),
    ],
  },
  {
    name: 'data_quality',
    grain: 'check',
    orderBy: ['check_name', 'table_name', 'source_file'],
    columns: [
      col('check_name', 'VARCHAR', 'What was checked (rows_read, rows_rejected, reject_rate, after_as_of, …).'),
      col('table_name', 'VARCHAR', 'Source or table the check is about.'),
      col('source_file', 'VARCHAR', 'Input file (relative to the pipeline file), when per file.'),
      col('value', 'DOUBLE', 'The measured value.'),
      col('status', 'VARCHAR', 'ok, warn or fail.'),
    ],
  },
  {
    name: 'rejects',
    grain: 'rejected row',
    orderBy: ['source_file', 'line', 'reason'],
    columns: [
      col('source_file', 'VARCHAR', 'Input file (relative to the pipeline file).'),
      col('line', 'BIGINT', 'Line number in the file (header is line 1).'),
      col('reason', 'VARCHAR', 'Reason code: missing_required, bad_number, bad_timestamp, unknown_value, future_date, malformed_row, …'),
      col('detail', 'VARCHAR', 'Which column and value caused it.'),
      col('raw', 'VARCHAR', 'The raw row text (NULL when PII is pseudonymised).', 'null'),
    ],
  },
];

export function tableDef(name: string): TableDef {
  const def = OUTPUT_TABLES.find((t) => t.name === name);
  if (!def) throw new Error(`unknown output table ${name}`);
  return def;
}
