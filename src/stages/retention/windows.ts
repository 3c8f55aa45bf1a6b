/**
 * The three snapshots the retention models use, in one temp table `int_retention_windows` (column `snapshot`):
 *
 *   train  features as of as_of − 2h, labels from (as_of − 2h, as_of − h]   fit the tree
 *   valid  features as of as_of − h,  labels from (as_of − h, as_of]        choose pruning, report holdout figures,
 *                                                                           then refit on it (the latest labels)
 *   score  features as of as_of (the published customer_features), no label
 *
 * A time-based split: every label lies after its features' cutoff, and no row dated after as_of is read. Features
 * come from the features stage's own model (buildFeatures), so a snapshot means exactly what customer_features
 * means; that model overwrites int_customer_features, so each snapshot is copied out at once (the table is this
 * stage's scratch: the runner drops it afterwards).
 */
import type { Database } from '../../db/database.js';
import { buildFeatures } from '../features/index.js';
import { DERIVED_FEATURES } from './populations.js';

export type Snapshot = 'train' | 'valid' | 'score';

export interface Cutoffs {
  train: string;
  valid: string;
  score: string;
}

export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export function cutoffsFor(asOf: string, horizonDays: number): Cutoffs {
  return { train: addDays(asOf, -2 * horizonDays), valid: addDays(asOf, -horizonDays), score: asOf };
}

export interface WindowOptions {
  asOf: string;
  horizonDays: number;
  activeDays: number;
}

export async function buildWindows(db: Database, options: WindowOptions): Promise<Cutoffs> {
  const cutoffs = cutoffsFor(options.asOf, options.horizonDays);
  const derived = Object.entries(DERIVED_FEATURES).map(([name, expr]) => `, ${expr} AS "${name}"`).join('');
  let first = true;
  for (const snapshot of ['train', 'valid', 'score'] as const) {
    if (snapshot === 'score') {
      await db.run('CREATE OR REPLACE TEMP TABLE int_customer_features AS SELECT * FROM out_customer_features');
    } else {
      await buildFeatures(db, cutoffs[snapshot]);
    }
    await db.runFile('intermediate/int_retention_snapshot.sql', {
      cutoff: cutoffs[snapshot], as_of: options.asOf, horizon_days: options.horizonDays, active_days: options.activeDays,
    });
    const select = `SELECT CAST($snapshot AS VARCHAR) AS snapshot, *${derived} FROM int_retention_snapshot`;
    await db.run(first ? `CREATE OR REPLACE TEMP TABLE int_retention_windows AS ${select}` : `INSERT INTO int_retention_windows ${select}`, { snapshot });
    first = false;
  }
  return cutoffs;
}

export interface SnapshotCounts {
  rows: number;
  positives: number;
}

/** Rows and label-1 rows of one population in one snapshot; churn counts non-purchasers, leads purchasers. */
export async function countSnapshot(db: Database, snapshot: Snapshot, population: string, positiveIsPurchase: boolean): Promise<SnapshotCounts> {
  const [row] = await db.all<{ rows: number; positives: number | null }>(
    `SELECT count(*) AS rows, count(*) FILTER (WHERE purchased = $positive) AS positives
     FROM int_retention_windows WHERE snapshot = $snapshot AND population = $population`,
    { snapshot, population, positive: positiveIsPurchase },
  );
  return { rows: Number(row?.rows ?? 0), positives: Number(row?.positives ?? 0) };
}
