/**
 * When the retention models cannot be fitted, and the sentence that says why. Churn needs history reaching back
 * past as_of − 2h (two consecutive labelled windows) and both classes in each window; otherwise the stage is
 * skipped (contract §1). The lead model needs a minimum of prospects who did and did not buy in each window — a
 * tree and an AUC on a handful of first purchases would be noise — and is otherwise left out, not failed.
 */
import type { Database } from '../../db/database.js';
import { addDays, type Cutoffs, type SnapshotCounts } from './windows.js';

/** Minimum prospects of each class (bought / did not) in the training and the validation window. */
export const MIN_LEAD_CLASS = 10;

export async function historySkipReason(db: Database, asOf: string, horizonDays: number, cutoffs: Cutoffs): Promise<string | null> {
  const first = await db.value<string | null>(
    `SELECT CAST(min(ordered_at) AS DATE)::VARCHAR FROM cra_work.int_orders_keyed
     WHERE status = 'completed' AND customer_key IS NOT NULL AND ordered_at < CAST($as_of AS DATE) + INTERVAL 1 DAY`,
    { as_of: asOf },
  );
  if (!first) return `no identified customer has a completed order up to as_of ${asOf}`;
  if (first > cutoffs.train) {
    return `too little history for two ${horizonDays}-day windows: training needs orders on or before as_of − 2 × ` +
      `retention.churn_horizon_days = ${cutoffs.train}, but the first completed order is on ${first}; ` +
      'lower retention.churn_horizon_days or run again with more history';
  }
  return null;
}

export function churnClassSkipReason(train: SnapshotCounts, valid: SnapshotCounts, cutoffs: Cutoffs, horizonDays: number): string | null {
  const windows = [
    ['training', cutoffs.train, addDays(cutoffs.train, horizonDays), train],
    ['validation', cutoffs.valid, addDays(cutoffs.valid, horizonDays), valid],
  ] as const;
  for (const [label, from, to, c] of windows) {
    if (c.rows === 0) return `no active buyers at the ${label} cutoff ${from}, so there is nothing to learn churn from`;
    if (c.positives === 0 || c.positives === c.rows) {
      return `one class only: ${c.positives === 0 ? 'none' : 'all'} of the ${c.rows} active buyers at the ${label} cutoff ${from} ` +
        `churned (made no purchase in (${from}, ${to}]); a churn model needs both churners and returning buyers`;
    }
  }
  return null;
}

export function leadSkipReason(train: SnapshotCounts, valid: SnapshotCounts): string | null {
  const short = (c: SnapshotCounts): boolean => c.positives < MIN_LEAD_CLASS || c.rows - c.positives < MIN_LEAD_CLASS;
  if (!short(train) && !short(valid)) return null;
  return `too few prospects or first purchases: ${train.rows} prospects in the training window (${train.positives} bought), ` +
    `${valid.rows} in the validation window (${valid.positives} bought); the lead model needs at least ${MIN_LEAD_CLASS} ` +
    'buyers and non-buyers in each';
}
