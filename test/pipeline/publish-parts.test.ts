/**
 * Publishing a table sorted in parts (the registry's `sortInParts`: interactions, one channel at a time) gives the
 * very rows, in the very order, that one sort of the whole table gives: every channel's rows, a NULL channel first,
 * ties on the time broken by the id. The parts are real: one INSERT per channel value.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { memoryLogger } from '../../src/pipeline/logger.js';
import { loadPiiKey } from '../../src/pipeline/pii.js';
import { BiFile } from '../../src/pipeline/bi-file.js';
import { writeTables } from '../../src/pipeline/publish.js';
import { tableDef } from '../../src/pipeline/output-tables/index.js';
import { readParquet, tempDir } from '../helpers.js';

describe('publish: a table sorted in parts', () => {
  it('writes the same rows in the same order as one sort of the whole table', async () => {
    const def = tableDef('interactions');
    expect(def.sortInParts).toBe(true);
    const dir = tempDir();
    const db = await Database.open(path.join(dir, 'w.duckdb'));
    let expected: unknown[] = [];
    try {
      // 3,000 rows in a scrambled order: four channels (one NULL), times with ties, NULL times and keys.
      await db.run(`CREATE TEMP TABLE out_interactions AS
        SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE 'K' || (i % 97) END AS customer_key,
               CASE i % 4 WHEN 0 THEN 'web' WHEN 1 THEN 'email' WHEN 2 THEN 'phone' ELSE NULL END AS channel,
               'type' || (i % 3) AS event_type,
               CASE WHEN i % 31 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01' + INTERVAL (i % 50) HOUR END AS occurred_at,
               's:' || ((i * 7919) % 3000) AS interaction_id
        FROM range(3000) t(i) ORDER BY hash(i)`);
      expected = await db.all(`SELECT customer_key, channel, event_type, CAST(occurred_at AS VARCHAR) AS occurred_at, interaction_id FROM out_interactions
                               ORDER BY channel NULLS FIRST, occurred_at NULLS FIRST, interaction_id NULLS FIRST`);
      const timings = db.recordTimings();
      const bi = await BiFile.open(db, dir, 'v1.3.0');
      const [record] = await writeTables(db, dir, ['interactions'], { pii: 'keep', piiKey: loadPiiKey(dir, memoryLogger(), { CRA_PII_KEY: 'k' }) }, bi);
      await bi.discard();
      expect(record).toMatchObject({ table: 'interactions', rows: 3000 });
      expect(timings.filter((t) => t.origin.startsWith('INSERT INTO cra_bi."interactions"'))).toHaveLength(4);
    } finally {
      db.close();
    }
    const published = await readParquet(path.join(dir, 'interactions.parquet'),
      'SELECT customer_key, channel, event_type, CAST(occurred_at AS VARCHAR) AS occurred_at, interaction_id FROM t');
    expect(published).toEqual(expected);
  });
});
