/**
 * The pipeline file's schema (contract §2), in zod. Every object is strict so a misspelt key is an error (the
 * loader adds a did-you-mean), every default lives here, and messages say how to fix the input. The JSON
 * Schema for editors (pipelines/schema.json) is generated from this one definition.
 */
import { z } from 'zod';
import { CHANNEL_SPECS, CHANNELS } from './channels.js';

export const STAGES = [
  'ingest', 'identity', 'features', 'value', 'segments', 'retention', 'basket', 'anomalies', 'satisfaction', 'report',
] as const;
export type StageName = (typeof STAGES)[number];

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date written YYYY-MM-DD (YAML 1.2 keeps it a string). */
const isoDate = z
  .string({ error: (issue) => (typeof issue.input === 'number' ? 'must be a date string; quote it' : 'must be a date YYYY-MM-DD') })
  .regex(datePattern, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real calendar date');
/** Strings that users often write as bare numbers (ids, phone numbers): the error says to quote them. */
const quotedString = z.string({ error: (issue) => (typeof issue.input === 'number' ? 'must be a string; quote it' : 'must be a string') });
const fraction = z.number().min(0).max(1);
const memory = z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'must be a size such as 3GB or 512MB');

const csvOptions = z.strictObject({
  delimiter: z.string().min(1).max(4).optional(),
  quote: z.string().length(1).optional(),
  escape: z.string().length(1).optional(),
  header: z.boolean().optional(),
  encoding: z.enum(['utf-8', 'latin-1', 'windows-1252', 'utf-16']).optional(),
  timestamp_format: z.string().optional(),
  date_format: z.string().optional(),
  skip: z.number().int().min(0).optional(),
});

const source = z
  .strictObject({
    channel: z.enum(CHANNELS, { error: () => `must be one of ${CHANNELS.join(', ')}` }),
    name: z.string().regex(/^[a-z0-9_-]+$/, 'must match [a-z0-9_-]+').optional(),
    path: quotedString.min(1, 'must name a file or glob'),
    format: z.enum(['csv', 'ndjson', 'parquet']).optional(),
    csv: csvOptions.optional(),
    columns: z.record(z.string(), quotedString.min(1)).default({}),
    values: z.record(z.string(), z.record(z.string(), z.array(quotedString))).optional(),
    on_missing_file: z.enum(['keep', 'remove']).default('keep'),
  })
  .superRefine((src, ctx) => {
    const spec = CHANNEL_SPECS[src.channel];
    for (const key of Object.keys(src.columns)) {
      if (!(key in spec.columns)) {
        ctx.addIssue({ code: 'custom', path: ['columns', key], message: `"${key}" is not a canonical ${src.channel} column; expected one of ${Object.keys(spec.columns).join(', ')}` });
      }
    }
  });

const identity = z.strictObject({
  default_country: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as GB').default('GB'),
  email_folding: z.enum(['none', 'gmail']).default('none'),
  /** Sources whose customer_id values are one id space (e.g. the shop and its web analytics): { space: [source, …] }. */
  id_spaces: z.record(z.string(), z.array(z.string())).default({}),
  /** An email or phone shared by more accounts (per source) or names than this is ignored for matching. */
  max_fanout: z.number().int().min(2).default(5),
  blocklist: z.array(quotedString).default([]),
  max_cluster_size: z.number().int().min(2).default(1000),
  /** Golden-record survivorship: sources in priority order (others after), then CRM, then most recent / frequent. */
  survivorship: z.strictObject({
    source_priority: z.array(z.string()).default([]),
    rule: z.enum(['recent', 'frequent']).default('recent'),
  }).prefault({}),
  /** Name + postcode links between records that lack a shared email or phone (Jaro-Winkler on normalised names). */
  fuzzy: z.strictObject({
    enabled: z.boolean().default(true),
    threshold: fraction.default(0.95),
    max_block: z.number().int().min(2).default(50),
  }).prefault({}),
});

const value = z.strictObject({
  costs: z.strictObject({ email_send: z.number().min(0).default(0.001), call_minute: z.number().min(0).default(0.8) }).prefault({}),
  margin_rate: fraction.default(0.3),
  currency_rates: z.record(z.string(), z.number().positive()).optional(),
  clv: z.strictObject({
    calibration_end: isoDate.optional(),
    time_unit: z.enum(['week', 'day']).default('week'),
    horizon_days: z.number().int().positive().default(365),
    annual_discount_rate: z.number().min(0).max(1).default(0.1),
  }).prefault({}),
});

const segments = z.strictObject({
  features: z.array(z.string()).min(1).default(['recency_days', 'frequency', 'monetary']),
  k: z.union([z.literal('auto'), z.number().int().min(2)]).default('auto'),
  k_range: z.tuple([z.number().int().min(2), z.number().int().min(2)]).default([2, 10]),
  n_init: z.number().int().min(1).default(4),
  transform: z.enum(['auto', 'standardise', 'none']).default('auto'),
  /** transform: auto clips each feature to these quantiles of the buyers (after imputing the median). */
  winsor: z.tuple([fraction, fraction]).default([0.01, 0.99]),
  seed: z.number().int().default(42),
}).superRefine((s, ctx) => {
  if (s.k_range[0] > s.k_range[1]) ctx.addIssue({ code: 'custom', path: ['k_range'], message: `[${s.k_range.join(', ')}] is empty; write [low, high] with low <= high` });
  if (s.winsor[0] >= s.winsor[1]) ctx.addIssue({ code: 'custom', path: ['winsor'], message: `[${s.winsor.join(', ')}]: the lower quantile must be below the upper, e.g. [0.01, 0.99]` });
});

const retention = z.strictObject({
  churn_horizon_days: z.number().int().positive().default(90),
  active_days: z.number().int().positive().default(365),
  max_depth: z.number().int().min(1).max(20).default(6),
  min_leaf: z.number().int().min(1).default(50),
  /** customer_features columns (numeric, or text/boolean split as categories) plus the derived preferred_channel. */
  features: z.array(z.string()).min(1).default([
    'recency_days', 'frequency', 'monetary', 'tenure_days', 'avg_order_value', 'distinct_products', 'distinct_categories',
    'return_rate', 'discount_share', 'email_sends', 'email_open_rate', 'email_click_rate', 'sessions', 'page_views',
    'days_since_last_visit', 'calls', 'call_minutes', 'complaints', 'complaints_90d', 'unresolved_calls', 'avg_csat',
    'spend_90d', 'spend_trend', 'orders_90d', 'orders_trend', 'engagement_90d', 'engagement_trend', 'preferred_channel',
  ]),
  criterion: z.enum(['gini', 'entropy']).default('gini'),
  /** balanced: classes weigh n / (2 · n_class) when choosing splits; leaf probabilities stay unweighted rates. */
  class_weight: z.enum(['none', 'balanced']).default('none'),
});

const basket = z.strictObject({
  transaction: z.enum(['order', 'customer']).default('order'),
  item: z.enum(['product_id', 'category']).default('product_id'),
  min_support: z.number().gt(0).max(1).default(0.001),
  min_confidence: fraction.default(0.5),
  max_length: z.number().int().min(2).default(10),
  min_lift: z.number().min(0).default(0),
  max_itemsets: z.number().int().positive().default(5_000_000),
  /** Drop a rule when one with the same consequent, a smaller antecedent and at least its confidence exists. */
  prune_redundant: z.boolean().default(false),
  /** Item constraints (product ids or categories): rules must involve all of require_items, none of exclude_items, and have a consequent in consequent_items. */
  require_items: z.array(quotedString).optional(),
  exclude_items: z.array(quotedString).optional(),
  consequent_items: z.array(quotedString).optional(),
  /** Published rules: the first max_rules in rule order (lift, confidence); all are counted in model_metrics. */
  max_rules: z.number().int().positive().default(100_000),
  recommendations_per_customer: z.number().int().min(0).default(5),
});

const anomalies = z.strictObject({
  /** A customer × metric is reported when its robust z (signed in the metric's alarming direction) reaches this. */
  threshold: z.number().positive().default(3.5),
  /** The recent window compared with the customer's own history (orders, spend, returns). */
  window_days: z.number().int().min(7).default(90),
  /** The recent window for complaint and long calls. */
  service_window_days: z.number().int().min(7).default(60),
  /** The history before each window that sets the customer's usual level. */
  baseline_days: z.number().int().min(30).default(365),
  /** Order metrics judge only buyers with this many completed orders in the baseline … */
  min_history_orders: z.number().int().min(1).default(2),
  /** … whose first completed order is at least this many days old (return rates and calls need no history). */
  min_history_days: z.number().int().min(1).default(120),
  /** Spend per order is judged only with at least this many orders in the window. */
  min_window_orders: z.number().int().min(1).default(3),
  /** A segment with fewer judged customers than this (for a metric) is compared with all customers: a MAD of fewer is unsteady. */
  min_peers: z.number().int().min(2).default(50),
  long_call_minutes: z.number().positive().default(30),
  /** Return rates leave out the window's orders of the last return_lag_days: their returns may still come. */
  return_lag_days: z.number().int().min(0).default(14),
  max_per_metric: z.number().int().min(1).default(200),
  max_total: z.number().int().min(1).default(1000),
});

const satisfaction = z.strictObject({
  /** Calls and emails in the last period_days up to as_of are described (churn by CSAT band has its own window). */
  period_days: z.number().int().positive().default(365),
  /** A call is a first contact when the customer made no call with the same reason in the window before it. */
  fcr_window_days: z.number().int().positive().default(7),
});

export const pipelineSchema = z.strictObject({
  name: z.string({ error: 'is required: a name made of [a-z0-9_-]' }).regex(/^[a-z0-9_-]+$/, 'must match [a-z0-9_-]+ (it names the output folder)'),
  as_of: isoDate.optional(),
  timezone: z.string().default('UTC'),
  sources: z.array(source).min(1, 'needs at least one source'),
  stages: z.array(z.enum(STAGES, { error: () => `must be one of ${STAGES.join(', ')}` })).optional(),
  identity: identity.prefault({}),
  value: value.prefault({}),
  segments: segments.prefault({}),
  retention: retention.prefault({}),
  basket: basket.prefault({}),
  anomalies: anomalies.prefault({}),
  satisfaction: satisfaction.prefault({}),
  output: z.strictObject({
    dir: z.string().default('../reports'),
    pii: z.enum(['pseudonymise', 'keep']).default('pseudonymise'),
    keep_runs: z.number().int().min(1).default(7),
    /** bi.duckdb's storage format (bi-file.ts): v1.3.0 opens in DuckDB 1.3 and later; v1.0.0 for older BI drivers. */
    bi_storage_version: z.enum(['v1.3.0', 'v1.0.0']).default('v1.3.0'),
  }).prefault({}),
  state_dir: z.string().default('.cra'),
  limits: z.strictObject({
    reject_rate: fraction.default(0.05),
    memory: memory.default('3GB'),
    threads: z.number().int().min(1).default(2),
  }).prefault({}),
});

export type PipelineInput = z.input<typeof pipelineSchema>;
export type PipelineConfig = z.output<typeof pipelineSchema>;
export type SourceConfig = PipelineConfig['sources'][number];
