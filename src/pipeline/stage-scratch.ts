/**
 * A stage's temp tables and views are its own scratch unless it hands them on. After a stage succeeds or is skipped,
 * the runner drops the temp objects it created, except the output tables (`out_*`) and what the stage lists in
 * `handsOn` (what a later stage, the report or the orders/interactions views read). Kept to the end of the run, the
 * scratch (value's order lines, basket's transactions, retention's snapshots, …) held DuckDB's memory or its spill:
 * at 1M customers DuckDB's memory after satisfaction is now 701 MiB against 2,688, and the spill from value on stays
 * at or under 1.7 GiB against 3.6 GiB (docs/scaling.md).
 * A failed stage's scratch is kept: `--resume` saves every temp table, and the stage rebuilds its own on rerun.
 */
import { quoteIdent, type Database } from '../db/database.js';

export type TempObjects = ReadonlyMap<string, 'TABLE' | 'VIEW'>;

/** The connection's temp tables and (user) views, name → kind. */
export async function tempObjects(db: Database): Promise<TempObjects> {
  const rows = await db.all<{ name: string; kind: 'TABLE' | 'VIEW' }>(
    `SELECT table_name AS name, 'TABLE' AS kind FROM duckdb_tables() WHERE temporary
     UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE temporary AND NOT internal`,
  );
  return new Map(rows.map((r) => [r.name, r.kind]));
}

/** Drops the temp objects made since `before`, other than `out_*` and `handsOn`; views first, then tables. */
export async function dropStageScratch(db: Database, before: TempObjects, handsOn: readonly string[] = []): Promise<string[]> {
  const keep = new Set(handsOn);
  const scratch = [...(await tempObjects(db))].filter(([name]) => !before.has(name) && !name.startsWith('out_') && !keep.has(name));
  scratch.sort(([, a], [, b]) => (a === b ? 0 : a === 'VIEW' ? -1 : 1));
  for (const [name, kind] of scratch) await db.run(`DROP ${kind} IF EXISTS ${quoteIdent(name)}`);
  return scratch.map(([name]) => name);
}
