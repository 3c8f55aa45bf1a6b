// The runner drops a stage's scratch: the temp tables and views it made, other than out_* and what it hands on.
// What existed before the stage is kept whatever its name; a view over a scratch table goes with it.
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { dropStageScratch, tempObjects } from '../../src/pipeline/stage-scratch.js';

describe('dropStageScratch', () => {
  it("drops only what the stage made and neither publishes nor hands on", async () => {
    const db = await Database.open(':memory:');
    try {
      await db.run('CREATE TEMP TABLE int_earlier AS SELECT 1 AS x; CREATE TABLE main_table AS SELECT 1 AS x');
      const before = await tempObjects(db);
      await db.run(`CREATE TEMP TABLE int_scratch AS SELECT 1 AS x;
                    CREATE TEMP VIEW int_scratch_view AS SELECT * FROM int_scratch;
                    CREATE TEMP TABLE int_handed AS SELECT 1 AS x;
                    CREATE TEMP VIEW out_view AS SELECT * FROM int_handed;
                    CREATE TEMP TABLE out_table AS SELECT 1 AS x;
                    CREATE OR REPLACE TEMP TABLE int_earlier AS SELECT 2 AS x;`);
      const dropped = await dropStageScratch(db, before, ['int_handed']);
      expect(dropped.sort()).toEqual(['int_scratch', 'int_scratch_view']);
      expect([...(await tempObjects(db)).keys()].sort()).toEqual(['int_earlier', 'int_handed', 'out_table', 'out_view']);
      expect(Number(await db.value('SELECT count(*) FROM out_view'))).toBe(1);
      expect(await db.tableExists('main_table')).toBe(true);
    } finally {
      db.close();
    }
  });
});
