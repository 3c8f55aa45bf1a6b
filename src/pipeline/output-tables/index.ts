/**
 * The registry of published tables (contract §4): grain, column types, meanings, deterministic order and which
 * columns carry personal data. It is the single source for the Parquet writer (explicit casts and ORDER BY) and
 * for docs/outputs.md (generated; a test fails when the two drift). Each stage family keeps its tables in a file
 * of its own here; stages build warehouse tables named `out_<table>` with at least these columns.
 */
import { ANOMALY_TABLES } from './anomalies.js';
import { BASKET_TABLES } from './basket.js';
import { CORE_TABLES } from './core.js';
import { RETENTION_TABLES } from './retention.js';
import { SEGMENT_TABLES } from './segments.js';
import type { TableDef } from './types.js';
import { VALUE_TABLES } from './value.js';

export type { ColumnDef, ColumnType, TableDef } from './types.js';

export const OUTPUT_TABLES: readonly TableDef[] = [...CORE_TABLES, ...VALUE_TABLES, ...SEGMENT_TABLES, ...RETENTION_TABLES, ...BASKET_TABLES, ...ANOMALY_TABLES];

export function tableDef(name: string): TableDef {
  const def = OUTPUT_TABLES.find((t) => t.name === name);
  if (!def) throw new Error(`unknown output table ${name}`);
  return def;
}
