/**
 * `<output.dir>/<name>/bi.duckdb` for BI tools that speak DuckDB. Views over relative Parquet paths would resolve
 * against the reader's working directory, not the file's, so the tables are copied in: the file works from any
 * directory and after the folder is copied elsewhere.
 *
 * Publishing writes each produced table into this file first (sorted, personal columns keyed) and the Parquet file
 * from there, so the sort and the keyed hashes are computed once; reading the Parquet files back into the file, the
 * former way, took about half of the 99 s publishing took at 1M customers. Carried tables come in from their Parquet
 * files. The file is built beside the target and renamed into place after `latest` is swapped, so a dashboard never
 * opens a half-written file.
 */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { quoteIdent, quoteLiteral, type Database } from '../db/database.js';

/**
 * The storage formats the BI file can be written in (`output.bi_storage_version`). v1.3.0, the default, is read by
 * DuckDB 1.3 (May 2025) and later and is written faster than v1.0.0: alone on the 1M warehouse, the sorted copy of
 * the 10.4M order lines took 7.0–7.2 s against 9.0–9.4 s, a copy of the 12M interactions 3.6–3.9 s against 5.0–5.3 s,
 * for 4–5% larger files; in full runs the gain was about half that (docs/decisions.md). v1.0.0 is for BI tools whose
 * DuckDB driver is older than 1.3. The warehouse, cra's own file, is written in v1.4.0 (db/database.ts).
 */
export type BiStorageVersion = 'v1.3.0' | 'v1.0.0';

/** The schema name the file is attached under while a run publishes. */
export const BI_SCHEMA = 'cra_bi';

export class BiFile {
  private constructor(private readonly db: Database, private readonly temp: string, private readonly target: string) {}

  /** Attaches a new, empty file beside `<outputRoot>/bi.duckdb` as BI_SCHEMA, in the given storage format. */
  static async open(db: Database, outputRoot: string, storageVersion: BiStorageVersion): Promise<BiFile> {
    const temp = path.join(outputRoot, `.bi.${process.pid}.duckdb`);
    await rm(temp, { force: true });
    await rm(`${temp}.wal`, { force: true });
    await db.run(`ATTACH ${quoteLiteral(temp)} AS ${BI_SCHEMA} (STORAGE_VERSION ${quoteLiteral(storageVersion)})`);
    return new BiFile(db, temp, path.join(outputRoot, 'bi.duckdb'));
  }

  /** `<schema>.<table>` for a table's name. */
  table(name: string): string {
    return `${BI_SCHEMA}.${quoteIdent(name)}`;
  }

  /** Copies a carried table in from its Parquet file. */
  async addFromParquet(name: string, file: string): Promise<void> {
    await this.db.run(`CREATE TABLE ${this.table(name)} AS SELECT * FROM read_parquet(${quoteLiteral(file)})`);
  }

  /** Detaches the file (it is complete on disk, not yet in place). */
  async detach(): Promise<void> {
    await this.db.run(`DETACH ${BI_SCHEMA}`);
  }

  /** Renames the detached file over bi.duckdb. */
  async commit(): Promise<void> {
    await rename(this.temp, this.target);
    await rm(`${this.temp}.wal`, { force: true });
  }

  /** Detaches if still attached and removes the file: the run did not publish. */
  async discard(): Promise<void> {
    await this.db.run(`DETACH DATABASE IF EXISTS ${BI_SCHEMA}`);
    await rm(this.temp, { force: true });
    await rm(`${this.temp}.wal`, { force: true });
  }
}
