/** What ingest left in a pipeline's warehouse, in a comparable form (sorted; no absolute paths or load times). */
import path from 'node:path';
import { Database } from '../../src/db/database.js';

export interface Snapshot {
  orders: unknown[];
  customers: unknown[];
  rejects: unknown[];
  files: unknown[];
}

export async function snapshot(dir: string): Promise<Snapshot> {
  const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
  try {
    return {
      orders: await db.all('SELECT * FROM stg_web_orders ORDER BY ALL'),
      customers: await db.all('SELECT * FROM stg_customers ORDER BY ALL'),
      rejects: await db.all('SELECT * FROM ingest_rejects ORDER BY ALL'),
      files: await db.all('SELECT * EXCLUDE (path, mtime_ms, loaded_at) FROM ingest_files ORDER BY ALL'),
    };
  } finally {
    db.close();
  }
}
