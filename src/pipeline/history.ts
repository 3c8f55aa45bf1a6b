/**
 * History partitions for trend dashboards (contract §4): after `latest` is swapped, the tables analysts trend
 * over time are also written to `history/<table>/as_of=YYYY-MM-DD/part.parquet` via a temp folder and a rename;
 * a rerun for the same as_of replaces its partition.
 */
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OutputRecord } from './manifest.js';

export const HISTORY_TABLES = ['customer_segments', 'churn_scores', 'customer_value'] as const;

export async function writeHistory(outputRoot: string, runDir: string, asOf: string, outputs: OutputRecord[]): Promise<string[]> {
  const written: string[] = [];
  for (const table of HISTORY_TABLES) {
    const output = outputs.find((o) => o.table === table && !o.carried);
    if (!output) continue;
    const partition = path.join(outputRoot, 'history', table, `as_of=${asOf}`);
    const temp = path.join(outputRoot, 'history', table, `.as_of=${asOf}.${process.pid}.tmp`);
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    await copyFile(path.join(runDir, output.path), path.join(temp, 'part.parquet'));
    if (existsSync(partition)) {
      const old = `${temp}.old`;
      await rename(partition, old);
      await rename(temp, partition);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, partition);
    }
    written.push(table);
  }
  return written;
}
