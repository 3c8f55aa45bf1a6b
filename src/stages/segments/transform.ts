/**
 * The feature transform of the segments stage, run in SQL (intermediate/int_segment_params.sql, macros in
 * _segment_macros.sql): median imputation, winsorising, log1p of skewed non-negative features, z-scores. Its
 * parameters come back as plain objects (stored with the model so a later run can apply them again), and the
 * transformed matrix crosses to JS once, as one Float64Array read in (row_id, feature_index) order — which is
 * exactly the row-major n×d layout k-means takes, with no per-row objects.
 */
import type { Database } from '../../db/database.js';

/** transform auto takes log1p of a feature whose clipped values are ≥ 0 with skewness above this. */
export const SKEW_THRESHOLD = 1;

export type TransformMode = 'auto' | 'standardise' | 'none';

export interface FeatureTransform {
  feature: string;
  /** Buyers, and buyers with a value (the rest are imputed). */
  rows: number;
  present: number;
  /** NULL only when no buyer has a value. */
  median: number | null;
  /** Winsorising bounds; null = no clipping. */
  lo: number | null;
  hi: number | null;
  skewness: number | null;
  log: boolean;
  center: number;
  scale: number;
}

/** Fits the transform of int_segment_raw (features named in int_segment_feature_names); returns it in feature order. */
export async function fitTransform(db: Database, mode: TransformMode, winsor: readonly [number, number]): Promise<FeatureTransform[]> {
  await db.runFile('intermediate/_segment_macros.sql');
  await db.runFile('intermediate/int_segment_params.sql', {
    transform: mode, winsor_lo: winsor[0], winsor_hi: winsor[1], skew_threshold: SKEW_THRESHOLD,
  });
  const rows = await db.all<Record<string, unknown>>('SELECT * FROM int_segment_params ORDER BY feature_index');
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    feature: String(r.feature), rows: Number(r.rows), present: Number(r.present), median: num(r.median),
    lo: num(r.lo), hi: num(r.hi), skewness: num(r.skewness), log: r.log === true, center: Number(r.center), scale: Number(r.scale),
  }));
}

/** The transformed n×d matrix, row-major (row_id, then feature order). */
export async function readMatrix(db: Database, n: number, d: number): Promise<Float64Array> {
  const { rows, columns } = await db.numericColumns('SELECT z FROM int_segment_matrix ORDER BY row_id, feature_index');
  if (rows !== n * d) throw new Error(`segments: matrix has ${rows} values, expected ${n}×${d}`);
  return columns.z!;
}

/** The raw n×d values (NaN = missing), row-major: the decision-tree rules read original units. */
export async function readRaw(db: Database, n: number, d: number): Promise<Float64Array> {
  const { rows, columns } = await db.numericColumns('SELECT value FROM int_segment_raw ORDER BY row_id, feature_index');
  if (rows !== n * d) throw new Error(`segments: raw table has ${rows} values, expected ${n}×${d}`);
  return columns.value!;
}

/**
 * Puts a previous run's parameters into int_segment_prev_params, in this run's feature order (`params[i]` is the
 * previous transform of this run's feature i), for int_segment_prev_space.sql.
 */
export async function loadPreviousParams(db: Database, params: readonly FeatureTransform[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE int_segment_prev_params (feature_index INTEGER, median DOUBLE, lo DOUBLE, hi DOUBLE,
                  log BOOLEAN, center DOUBLE, scale DOUBLE)`);
  for (const [i, p] of params.entries()) {
    await db.run('INSERT INTO int_segment_prev_params VALUES ($i, $median, $lo, $hi, $log, $center, $scale)', {
      i, median: p.median, lo: p.lo, hi: p.hi, log: p.log, center: p.center, scale: p.scale,
    });
  }
}
