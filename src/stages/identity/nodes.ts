/**
 * Builds int_identity_nodes, the nodes of the identity graph, in four models: the rows that name identities (a
 * view), the distinct values and latest attributes per identity (in parts), the lists of values per identity (in
 * parts), and the nodes themselves.
 *
 * The values are built in parts because at 4M customers (95.8M activity rows) their two aggregates ran out of memory
 * at limits.memory 2GB in one pass, while a quarter of the identities passed, making 876 MiB of values: 36 bytes per
 * activity row overall. The parts are sized from the staging tables' row counts with that measure.
 *
 * The lists are built in parts because DuckDB's list aggregates keep their whole state in memory: one pass over
 * 1M customers' activity ran out of memory at limits.memory 2GB, where the rest of the pipeline spills. Each
 * part takes the identities whose hash falls in it, and the parts are sized so that one part's lists fit in a
 * fraction of DuckDB's memory limit. Measured at 100k customers: their 551,819 distinct (identity, value) rows
 * ran out of 238 MiB in one pass and fit in two, so a row takes between 430 and 860 bytes of list state.
 * The lists' parts are a multiple of the values' parts, and each value row keeps its part and its identity's hash,
 * so a list part scans one values part's row groups and hashes nothing (at 4M customers and 2GB, 40 list parts each
 * scanned every value row, about 31M, and hashed its keys: 155 s of the stage's 683 s).
 */
import type { Database } from '../../db/database.js';

/** The memory one distinct (identity, value) row takes in the list aggregates: the measured upper bound. */
const LIST_BYTES_PER_VALUE_ROW = 860;
/** The share of the memory limit one part's lists (or values) may use (joins and buffers need the rest). */
const LIST_MEMORY_SHARE = 0.4;
/** int_identity_values' bytes per staged activity row: 36 measured (above), rounded up. */
const VALUE_BYTES_PER_ACTIVITY_ROW = 40;
const ACTIVITY_TABLES = ['stg_customers', 'stg_web_orders', 'stg_web_sessions', 'stg_email_events', 'stg_phone_calls'];

/**
 * How many parts keep one part of an aggregate over `rows` rows, at `bytesPerRow` each, within LIST_MEMORY_SHARE of
 * DuckDB's memory limit (at least one). Identity's in-memory aggregates (values, lists, golden records) are sized so.
 */
export async function memoryParts(db: Database, rows: number, bytesPerRow: number): Promise<number> {
  const budget = (await db.memoryLimitBytes()) * LIST_MEMORY_SHARE;
  return Math.max(1, Math.ceil((rows * bytesPerRow) / budget));
}

/**
 * The lists' parts: at least `needed`, and a multiple of the values' parts, so that each list part reads the rows of
 * one values part only (int_identity_lists.sql).
 */
export function listParts(needed: number, valueParts: number): number {
  return valueParts * Math.max(1, Math.ceil(needed / valueParts));
}

/**
 * `idSpaces` is the pipeline's identity.id_spaces (space → sources that share customer ids). `fixedParts` overrides
 * the sizing (tests check that any number of parts gives the same nodes): one number for both, or the values' parts
 * and the lists' parts (a multiple of the former).
 */
export async function buildIdentityNodes(
  db: Database, idSpaces: Record<string, string[]>, fixedParts?: number | { values: number; lists: number },
): Promise<{ parts: number; valueParts: number }> {
  const fixed = typeof fixedParts === 'number' ? { values: fixedParts, lists: fixedParts } : fixedParts;
  if (fixed && fixed.lists % fixed.values !== 0) throw new Error(`identity nodes: ${fixed.lists} list parts are not a multiple of ${fixed.values} values parts`);
  await db.runFile('intermediate/int_identity_rows.sql');
  // Row counts from the catalogue: exact for these tables, and free where count(*) would scan them.
  const activityRows = Number(await db.value(
    `SELECT coalesce(sum(estimated_size), 0) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (${ACTIVITY_TABLES.map((t) => `'${t}'`).join(', ')})`,
  ));
  const valueParts = fixed?.values ?? (await memoryParts(db, activityRows, VALUE_BYTES_PER_ACTIVITY_ROW));
  for (let part = 0; part < valueParts; part++) await db.runFile('intermediate/int_identity_values.sql', { part, parts: valueParts });
  const valueRows = Number(await db.value('SELECT count(*) FROM int_identity_values'));
  const parts = fixed?.lists ?? listParts(await memoryParts(db, valueRows, LIST_BYTES_PER_VALUE_ROW), valueParts);
  for (let part = 0; part < parts; part++) await db.runFile('intermediate/int_identity_lists.sql', { part, parts, value_parts: valueParts });
  const spaces = Object.entries(idSpaces).flatMap(([space, sources]) => sources.map((source) => ({ source, space })));
  await db.runFile('intermediate/int_identity_nodes.sql', { id_spaces: JSON.stringify(spaces) });
  return { parts, valueParts };
}
