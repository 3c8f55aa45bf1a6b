/**
 * `<output.dir>/<name>/bi.duckdb` for BI tools that speak DuckDB. Views over relative Parquet paths would resolve
 * against the reader's working directory, not the file's, so the tables are copied in: the file works from any
 * directory and after the folder is copied elsewhere. Built beside the target and renamed into place, so a
 * dashboard never opens a half-written file.
 */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { quoteIdent, quoteLiteral, type Database } from '../db/database.js';
import type { OutputRecord } from './manifest.js';

export async function writeBiFile(db: Database, outputRoot: string, runDir: string, outputs: OutputRecord[]): Promise<void> {
  const target = path.join(outputRoot, 'bi.duckdb');
  const temp = path.join(outputRoot, `.bi.${process.pid}.duckdb`);
  await rm(temp, { force: true });
  await db.run(`ATTACH ${quoteLiteral(temp)} AS cra_bi`);
  try {
    for (const output of outputs) {
      const file = path.join(runDir, output.path);
      await db.run(`CREATE TABLE cra_bi.${quoteIdent(output.table)} AS SELECT * FROM read_parquet(${quoteLiteral(file)})`);
    }
  } finally {
    await db.run('DETACH cra_bi');
  }
  await rename(temp, target);
  await rm(`${temp}.wal`, { force: true });
}
