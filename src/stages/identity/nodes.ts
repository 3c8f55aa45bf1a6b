/**
 * Builds int_identity_nodes, the nodes of the identity graph, and int_node_values, the values their rows carry, in
 * three models: the rows that name identities (a view), the distinct values and latest attributes per identity (in
 * parts), and the nodes with their values (int_identity_nodes.sql).
 *
 * The values are built in parts because at 4M customers (95.8M activity rows) their two aggregates ran out of memory
 * at limits.memory 2GB in one pass, while a quarter of the identities passed, making 876 MiB of values: 36 bytes per
 * activity row overall. The parts are sized from the staging tables' row counts with that measure. Everything after
 * them (a window, joins, a grouping by node id) spills, so it runs in one pass.
 */
import type { Database } from '../../db/database.js';

/** The share of the memory limit one part of an in-memory aggregate may use (joins and buffers need the rest). */
const PART_MEMORY_SHARE = 0.4;
/** int_identity_values' bytes per staged activity row: 36 measured (above), rounded up. */
const VALUE_BYTES_PER_ACTIVITY_ROW = 40;
const ACTIVITY_TABLES = ['stg_customers', 'stg_web_orders', 'stg_web_sessions', 'stg_email_events', 'stg_phone_calls'];

/**
 * How many parts keep one part of an aggregate over `rows` rows, at `bytesPerRow` each, within PART_MEMORY_SHARE of
 * DuckDB's memory limit (at least one). Identity's in-memory aggregates (values, golden records) are sized so.
 */
export async function memoryParts(db: Database, rows: number, bytesPerRow: number): Promise<number> {
  const budget = (await db.memoryLimitBytes()) * PART_MEMORY_SHARE;
  return Math.max(1, Math.ceil((rows * bytesPerRow) / budget));
}

/**
 * `idSpaces` is the pipeline's identity.id_spaces (space → sources that share customer ids). `fixedParts` overrides
 * the values' sizing (tests check that any number of parts gives the same nodes). Returns the number of parts.
 */
export async function buildIdentityNodes(db: Database, idSpaces: Record<string, string[]>, fixedParts?: number): Promise<number> {
  await db.runFile('intermediate/int_identity_rows.sql');
  // Row counts from the catalogue: exact for these tables, and free where count(*) would scan them.
  const activityRows = Number(await db.value(
    `SELECT coalesce(sum(estimated_size), 0) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (${ACTIVITY_TABLES.map((t) => `'${t}'`).join(', ')})`,
  ));
  const parts = fixedParts ?? (await memoryParts(db, activityRows, VALUE_BYTES_PER_ACTIVITY_ROW));
  for (let part = 0; part < parts; part++) await db.runFile('intermediate/int_identity_values.sql', { part, parts });
  const spaces = Object.entries(idSpaces).flatMap(([space, sources]) => sources.map((source) => ({ source, space })));
  await db.runFile('intermediate/int_identity_nodes.sql', { id_spaces: JSON.stringify(spaces) });
  return parts;
}
