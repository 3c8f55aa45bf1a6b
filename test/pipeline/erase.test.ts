/**
 * cra erase: the person disappears from the warehouse, every retained run and history partition, and the
 * republished latest; their identifiers are suppressed at the next ingest of the same exports (counted, raw text
 * dropped); the audit line says when and what kind of identifier, never who.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadPipeline } from '../../src/config/load.js';
import { Database } from '../../src/db/database.js';
import { DataError } from '../../src/errors.js';
import type { Stage } from '../../src/pipeline/context.js';
import { erasePerson } from '../../src/pipeline/erase.js';
import { memoryLogger } from '../../src/pipeline/logger.js';
import { ALL_STAGES } from '../../src/stages/index.js';
import { copyFixture, FIXED_NOW, readParquet, runFile } from '../helpers.js';

type Crosswalk = { source: string; source_record_id: string; customer_key: string };
const janeIds = ['crm/C1', 'shop/S1', 'calls/+44 20 7946 0958', 'calls/00442079460958', 'email/JANE.DOE@example.com', 'email/jane.doe@example.com'];

describe('cra erase', () => {
  it('removes a person everywhere and keeps them out on the next run', async () => {
    const dir = copyFixture('identity');
    const file = path.join(dir, 'pipeline.yaml');
    const first = await runFile(file);
    const latest = path.join(dir, 'out', 'ident', 'latest');
    const before = await readParquet<Crosswalk>(path.join(latest, 'customer_crosswalk.parquet'));
    const jane = before.find((r) => `${r.source}/${r.source_record_id}` === 'crm/C1')!.customer_key;

    const result = await erasePerson(loadPipeline(file), { email: ' Jane.Doe@EXAMPLE.com' }, memoryLogger(), () => FIXED_NOW);
    expect(result.customers).toEqual([jane]);
    expect(result.rows).toBeGreaterThanOrEqual(6);

    for (const runDir of readdirSync(path.join(dir, 'out', 'ident', 'runs'))) {
      for (const table of ['customers', 'customer_crosswalk', 'orders', 'interactions']) {
        const rows = await readParquet<{ customer_key: string | null }>(path.join(dir, 'out', 'ident', 'runs', runDir, `${table}.parquet`));
        expect(rows.some((r) => r.customer_key === jane), `${runDir}/${table}`).toBe(false);
      }
    }
    const after = await readParquet<Crosswalk>(path.join(latest, 'customer_crosswalk.parquet'));
    for (const id of janeIds) expect(after.some((r) => `${r.source}/${r.source_record_id}` === id), id).toBe(false);
    expect(readFileSync(path.join(dir, 'out', 'ident', 'runs', first.manifest.run_id, 'report.html'), 'utf8')).not.toContain(jane);

    // The same exports again: Jane's rows are suppressed, counted, and nothing of hers is loaded.
    const rerun = await runFile(file);
    const again = await readParquet<Crosswalk>(path.join(dir, 'out', 'ident', 'latest', 'customer_crosswalk.parquet'));
    for (const id of janeIds) expect(again.some((r) => `${r.source}/${r.source_record_id}` === id), id).toBe(false);
    for (const input of rerun.manifest.inputs) expect(input.rows_read).toBe(input.rows_loaded + input.rows_rejected + input.rows_duplicate);
    const rejects = await readParquet<{ reason: string; raw: string | null }>(path.join(dir, 'out', 'ident', 'latest', 'rejects.parquet'));
    const held = rejects.filter((r) => r.reason === 'suppressed' || r.reason === 'erased');
    expect(held.length).toBeGreaterThanOrEqual(6);
    expect(held.every((r) => r.raw === null)).toBe(true);

    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      const dump = JSON.stringify(await db.all("SELECT * FROM stg_web_orders UNION ALL BY NAME SELECT * FROM stg_customers UNION ALL BY NAME SELECT * FROM stg_email_events UNION ALL BY NAME SELECT * FROM stg_phone_calls")).toLowerCase();
      expect(dump).not.toContain('jane.doe@example.com');
      expect(dump).not.toContain('7946 0958');
    } finally {
      db.close();
    }
    const audit = readFileSync(path.join(dir, 'state', 'erase-audit.jsonl'), 'utf8');
    expect(JSON.parse(audit.trim())).toMatchObject({ identifier_type: 'email', customers: 1 });
    expect(audit.toLowerCase()).not.toContain('jane');
  });

  it("drops a failed run's keyed activity and saved state, even when the republish fails before rebuilding them", async () => {
    const dir = copyFixture('identity');
    const file = path.join(dir, 'pipeline.yaml');
    const [ingest, identity] = ALL_STAGES.filter((s) => s.name === 'ingest' || s.name === 'identity');
    // The fixture's pipeline runs identity and report: the report fails.
    const failing: Stage = { name: 'report', needs: ['identity'], run: async () => { throw new DataError('boom'); } };
    await expect(runFile(file, { stages: [ingest!, identity!, failing] })).rejects.toThrow(/continue with --resume/);
    const scratch = async (): Promise<string> => {
      const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
      try {
        const tables = await db.all<{ t: string }>("SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() WHERE schema_name IN ('cra_work', 'resume_state')");
        const rows = await Promise.all(tables.map((t) => db.all(`SELECT * FROM ${t.t}`)));
        return JSON.stringify(rows).toLowerCase();
      } finally {
        db.close();
      }
    };
    expect(await scratch()).toContain('jane.doe@example.com');
    // The exports are gone, so the republish fails at ingest, before identity would rebuild the keyed activity.
    rmSync(path.join(dir, 'calls.csv'));
    await expect(erasePerson(loadPipeline(file), { email: 'jane.doe@example.com' }, memoryLogger(), () => FIXED_NOW)).rejects.toThrow(/calls/);
    expect(await scratch()).not.toContain('jane.doe@example.com');
  });

  it('says "nothing to erase" (exit 1) for an unknown person', async () => {
    const dir = copyFixture('identity');
    const file = path.join(dir, 'pipeline.yaml');
    await runFile(file);
    const error = await erasePerson(loadPipeline(file), { phone: '+44 20 7946 0999' }, memoryLogger(), () => FIXED_NOW).catch((e: unknown) => e);
    expect((error as { exitCode: number }).exitCode).toBe(1);
    expect((error as Error).message).toMatch(/nothing to erase: no customer has that phone/);
  });
});
