/**
 * Which columns the segments stage may cluster on, and the long raw table it transforms. Features come from
 * out_customer_features or, for a name only it has, out_customer_value (clv, net_contribution, …); only numeric
 * columns qualify. A name that is neither is the user's mistake: a UsageError naming `segments.features[i]` and
 * listing the valid names.
 *
 * The raw values are unpivoted to int_segment_raw (row_id, feature_index, value) so every later step (the
 * transform, profiles, matching) is one static SQL model over any feature list; this file is the only place
 * where the configured names reach SQL, through quoteIdent.
 */
import { quoteIdent, type Database } from '../../db/database.js';
import { UsageError } from '../../errors.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL(\(.*\))?)$/;

export interface FeatureSource {
  name: string;
  table: 'out_customer_features' | 'out_customer_value';
}

async function numericColumnsOf(db: Database, table: string): Promise<string[]> {
  const rows = await db.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $table AND database_name = 'temp' ORDER BY column_index`,
    { table },
  );
  return rows.filter((r) => NUMERIC.test(r.data_type)).map((r) => r.column_name);
}

/** Resolves segments.features to their tables, or throws a UsageError that names the file, the entry and the valid names. */
export async function resolveFeatures(db: Database, features: readonly string[], file: string): Promise<FeatureSource[]> {
  const fromFeatures = await numericColumnsOf(db, 'out_customer_features');
  const fromValue = (await numericColumnsOf(db, 'out_customer_value')).filter((c) => !fromFeatures.includes(c));
  const valid = [...fromFeatures, ...fromValue];
  return features.map((name, i) => {
    if (features.indexOf(name) !== i) {
      throw new UsageError(`${file}: segments.features[${i}]: "${name}" is listed twice (also segments.features[${features.indexOf(name)}]); list each feature once`, 'config_invalid');
    }
    if (fromFeatures.includes(name)) return { name, table: 'out_customer_features' };
    if (fromValue.includes(name)) return { name, table: 'out_customer_value' };
    throw new UsageError(
      `${file}: segments.features[${i}]: "${name}" is not a numeric column of customer_features or customer_value; valid features: ${valid.join(', ')}`,
      'config_invalid',
    );
  });
}

/** Builds int_segment_raw (row_id, feature_index, value DOUBLE; NULL = missing) for the rows of int_segment_buyers. */
export async function buildRawTable(db: Database, features: readonly FeatureSource[]): Promise<void> {
  const alias = (f: FeatureSource): string => (f.table === 'out_customer_features' ? 'f' : 'v');
  const columns = features.map((f, i) => `CAST(${alias(f)}.${quoteIdent(f.name)} AS DOUBLE) AS c${i}`);
  const parts = features.map((_f, i) => `SELECT row_id, CAST(${i} AS INTEGER) AS feature_index, c${i} AS value FROM joined`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE int_segment_raw AS
     WITH joined AS (
         SELECT b.row_id, ${columns.join(', ')}
         FROM int_segment_buyers b
         JOIN out_customer_features f USING (customer_key)
         LEFT JOIN out_customer_value v USING (customer_key)
     )
     ${parts.join('\n     UNION ALL ')}`,
    {},
    'segments: int_segment_raw',
  );
}
