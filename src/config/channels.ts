/**
 * The canonical columns of each channel (contract §3): their types, which are required, and the "one of" identity
 * groups. The pipeline schema uses this to reject unknown canonical names; ingest uses it to build the
 * rename-and-cast layer. One table, so the two can never disagree.
 */

export const CHANNELS = ['email_events', 'web_orders', 'web_sessions', 'phone_calls', 'customers', 'products'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How a canonical column is parsed from its source text. */
export type ColumnType = 'text' | 'timestamp' | 'date' | 'number' | 'integer' | 'boolean' | 'enum';

export interface ColumnSpec {
  type: ColumnType;
  required?: boolean;
  /** For enums: the canonical values. */
  values?: readonly string[];
}

export interface ChannelSpec {
  columns: Record<string, ColumnSpec>;
  /** At least one of these must be mapped (and present in the file); a row with all of them empty is a guest. */
  identityOneOf: readonly string[];
  /** The natural key that defines a duplicate; empty → a row identical in every mapped column. */
  naturalKey: readonly string[];
  /** The column that dates a row, for as_of and future-date checks. */
  dateColumn?: string;
}

export const EMAIL_EVENT_TYPES = ['sent', 'delivered', 'open', 'click', 'bounce', 'unsubscribe', 'complaint'] as const;
export const ORDER_STATUSES = ['completed', 'cancelled', 'returned'] as const;
export const CALL_REASONS = ['complaint', 'billing', 'support', 'sales', 'other'] as const;
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;

const text: ColumnSpec = { type: 'text' };
const number: ColumnSpec = { type: 'number' };
const integer: ColumnSpec = { type: 'integer' };
const boolean: ColumnSpec = { type: 'boolean' };

export const CHANNEL_SPECS: Record<Channel, ChannelSpec> = {
  email_events: {
    columns: {
      event_at: { type: 'timestamp', required: true },
      event_type: { type: 'enum', required: true, values: EMAIL_EVENT_TYPES },
      email: text,
      customer_id: text,
      campaign_id: text,
      event_id: text,
    },
    identityOneOf: ['email', 'customer_id'],
    naturalKey: ['event_id'],
    dateColumn: 'event_at',
  },
  web_orders: {
    columns: {
      order_id: { type: 'text', required: true },
      ordered_at: { type: 'timestamp', required: true },
      customer_id: text,
      email: text,
      phone: text,
      product_id: { type: 'text', required: true },
      quantity: { type: 'number', required: true },
      unit_price: { type: 'number', required: true },
      product_name: text,
      category: text,
      discount: number,
      status: { type: 'enum', values: ORDER_STATUSES },
      currency: text,
      country: text,
      line_id: text,
    },
    identityOneOf: ['customer_id', 'email', 'phone'],
    naturalKey: ['order_id', 'line_id'],
    dateColumn: 'ordered_at',
  },
  web_sessions: {
    columns: {
      session_id: { type: 'text', required: true },
      started_at: { type: 'timestamp', required: true },
      customer_id: text,
      email: text,
      visitor_id: text,
      page_views: integer,
      duration_s: number,
      source: text,
      device: text,
    },
    identityOneOf: ['customer_id', 'email', 'visitor_id'],
    naturalKey: ['session_id'],
    dateColumn: 'started_at',
  },
  phone_calls: {
    columns: {
      call_id: { type: 'text', required: true },
      started_at: { type: 'timestamp', required: true },
      phone: text,
      customer_id: text,
      email: text,
      duration_s: number,
      direction: { type: 'enum', values: CALL_DIRECTIONS },
      reason: { type: 'enum', values: CALL_REASONS },
      resolved: boolean,
      csat: integer,
      caller_name: text,
    },
    identityOneOf: ['phone', 'customer_id', 'email'],
    naturalKey: ['call_id'],
    dateColumn: 'started_at',
  },
  customers: {
    columns: {
      customer_id: text,
      email: text,
      phone: text,
      first_name: text,
      last_name: text,
      name: text,
      postcode: text,
      city: text,
      country: text,
      created_at: { type: 'timestamp' },
      email_opt_out: boolean,
      marketing_consent: boolean,
      profiling_opt_out: boolean,
    },
    identityOneOf: ['customer_id', 'email', 'phone'],
    naturalKey: [],
  },
  products: {
    columns: {
      product_id: { type: 'text', required: true },
      name: text,
      category: text,
      unit_cost: number,
    },
    identityOneOf: [],
    naturalKey: [],
  },
};
