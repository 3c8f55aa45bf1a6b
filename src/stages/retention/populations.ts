/**
 * The two model populations and the derived categorical feature, written over customer_features columns only, so
 * the exported churn_model.sql / lead_model.sql can select exactly the scored customers with a join-free WHERE
 * (contract §4). The stage's own snapshot (sql/intermediate/int_retention_snapshot.sql) states the same predicates;
 * the stage tests run the exported queries over the published Parquet and compare row for row, so the two cannot
 * drift unnoticed.
 */
import { quoteString } from '../../analytics/cart/index.js';

export type Population = 'active_buyer' | 'prospect';

/**
 * preferred_channel: the channel with the most customer-initiated contacts up to the cutoff — email opens + clicks
 * (rates × sends, rounded back to the integer count), web sessions, calls; ties go to email, then web; 'none' when
 * there are none. Integer comparisons only, so DuckDB gives the same answer on the warehouse and on the Parquet.
 */
const EMAIL_ACTIONS = 'round((coalesce("email_open_rate", 0) + coalesce("email_click_rate", 0)) * coalesce("email_sends", 0))';
export const PREFERRED_CHANNEL_SQL =
  `CASE WHEN ${EMAIL_ACTIONS} = 0 AND coalesce("sessions", 0) = 0 AND coalesce("calls", 0) = 0 THEN 'none' ` +
  `WHEN ${EMAIL_ACTIONS} >= coalesce("sessions", 0) AND ${EMAIL_ACTIONS} >= coalesce("calls", 0) THEN 'email' ` +
  `WHEN coalesce("sessions", 0) >= coalesce("calls", 0) THEN 'web' ELSE 'phone' END`;

/** Features computed from customer_features columns rather than read from one (name → SQL expression). */
export const DERIVED_FEATURES: Readonly<Record<string, string>> = { preferred_channel: PREFERRED_CHANNEL_SQL };

/** The population predicate over customer_features columns (mirrors int_retention_snapshot.sql). */
export function populationPredicate(population: Population, activeDays: number): string {
  if (!Number.isInteger(activeDays)) throw new RangeError('active_days must be an integer');
  return population === 'active_buyer'
    ? `"frequency" > 0 AND "recency_days" < ${activeDays}`
    : `"frequency" = 0 AND ("sessions" > 0 OR "calls" > 0 OR coalesce("email_open_rate", 0) > 0 OR coalesce("email_click_rate", 0) > 0)`;
}

/** The full WHERE of an exported model: the population minus the profiling opt-outs, listed by customer_key. */
export function scoredPopulationWhere(population: Population, activeDays: number, optedOut: readonly string[]): string {
  const base = populationPredicate(population, activeDays);
  if (optedOut.length === 0) return base;
  const keys = optedOut.map(quoteString);
  const lines: string[] = [];
  for (let i = 0; i < keys.length; i += 8) lines.push(keys.slice(i, i + 8).join(', '));
  return `${base}\n  AND "customer_key" NOT IN (\n    ${lines.join(',\n    ')}\n  )`;
}

/** Replaces references to derived features in generated SQL by their expressions over customer_features. */
export function inlineDerivedFeatures(sql: string): string {
  let out = sql;
  for (const [name, expr] of Object.entries(DERIVED_FEATURES)) out = out.replaceAll(`"${name}"`, `(${expr})`);
  return out;
}
