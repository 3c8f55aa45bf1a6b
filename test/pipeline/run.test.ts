import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { Database } from '../../src/db/database.js';
import path from 'node:path';
import { StageSkip, DataError } from '../../src/errors.js';
import type { Stage } from '../../src/pipeline/context.js';
import { selectStages } from '../../src/pipeline/run.js';
import { ALL_STAGES } from '../../src/stages/index.js';
import { copyFixture, readParquet, runFile, tempDir } from '../helpers.js';

const ingest = ALL_STAGES.find((s) => s.name === 'ingest')!;
const identity = ALL_STAGES.find((s) => s.name === 'identity')!;

const failing: Stage = { name: 'features', needs: ['identity'], run: async () => { throw new DataError('boom: the model exploded'); } };
const skipping: Stage = { name: 'segments', needs: ['identity'], run: async () => { throw new StageSkip('all orders on one day'); } };

describe('selectStages', () => {
  it('adds prerequisites and keeps contract order', () => {
    expect(selectStages(ALL_STAGES, ['features']).map((s) => s.name)).toEqual(['ingest', 'identity', 'features']);
    expect(selectStages(ALL_STAGES, ['report', 'ingest']).map((s) => s.name)).toEqual(['ingest', 'report']);
  });
});

describe('runPipeline', () => {
  it('publishes a successful run atomically as latest with a manifest', async () => {
    const dir = copyFixture('mini');
    const { manifest, runDir } = await runFile(path.join(dir, 'pipeline.yaml'));
    const latest = path.join(dir, 'out', 'mini', 'latest');
    expect(readlinkSync(latest)).toBe(path.join('runs', manifest.run_id));
    expect(path.basename(runDir)).toBe(manifest.run_id);
    const written = JSON.parse(readFileSync(path.join(latest, 'manifest.json'), 'utf8'));
    expect(written.status).toBe('success');
    expect(written.as_of).toBe('2024-02-29');
    const names = written.stages.map((s: { name: string }) => s.name);
    expect(names.slice(0, 3)).toEqual(['ingest', 'identity', 'features']);
    expect(names.at(-1)).toBe('report');
    expect(written.outputs.find((o: { table: string }) => o.table === 'customers').rows).toBe(3);
    expect(written.versions.duckdb).toMatch(/^v1\./);
  });

  it('lets an observer query the open warehouse on its own connection and stops it before the warehouse closes', async () => {
    const dir = copyFixture('mini');
    const seen: string[] = [];
    let probe: Database | undefined;
    await runFile(path.join(dir, 'pipeline.yaml'), {
      stages: [ingest, identity],
      observe: async (db) => {
        probe = await db.fork();
        seen.push(`open ${Number(await probe.value('SELECT count(*) FROM duckdb_memory()')) > 0}`);
        return async () => {
          seen.push(`stop ${Number(await probe!.value("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'stg_customers'"))}`);
          probe!.close();
        };
      },
    });
    // At the stop the run's tables are there: the observer ran after the stages and before the close.
    expect(seen).toEqual(['open true', 'stop 1']);
  });

  it('a failing stage publishes nothing, keeps the run folder with a manifest naming the stage', async () => {
    const dir = copyFixture('mini');
    const good = await runFile(path.join(dir, 'pipeline.yaml'));
    const error = await runFile(path.join(dir, 'pipeline.yaml'), { stages: [ingest, identity, failing] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).exitCode).toBe(1);
    expect((error as Error).message).toMatch(/stage features failed: boom: the model exploded/);
    const latest = path.join(dir, 'out', 'mini', 'latest');
    expect(readlinkSync(latest)).toBe(path.join('runs', good.manifest.run_id));
    const runs = path.join(dir, 'out', 'mini', 'runs');
    const failedId = require('node:fs').readdirSync(runs).find((r: string) => r !== good.manifest.run_id);
    const failed = JSON.parse(readFileSync(path.join(runs, failedId, 'manifest.json'), 'utf8'));
    expect(failed.status).toBe('failed');
    expect(failed.stages.at(-1)).toMatchObject({ name: 'features', status: 'failed', reason: 'boom: the model exploded' });
  });

  it('records a skipped stage with its reason and still publishes; --strict turns the skip into a failure', async () => {
    const dir = copyFixture('mini');
    const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'), { stages: [ingest, identity, skipping] });
    expect(manifest.status).toBe('success');
    expect(manifest.stages.find((s) => s.name === 'segments')).toMatchObject({ status: 'skipped', reason: 'all orders on one day' });
    const strict = await runFile(path.join(dir, 'pipeline.yaml'), { stages: [ingest, identity, skipping], strict: true }).catch((e: unknown) => e);
    expect((strict as Error).message).toMatch(/stage segments failed: skipped under --strict: all orders on one day/);
    expect(readlinkSync(path.join(dir, 'out', 'mini', 'latest'))).toBe(path.join('runs', manifest.run_id));
  });

  it('a restricted run carries the other tables of the previous latest forward', async () => {
    const dir = copyFixture('mini');
    const full = await runFile(path.join(dir, 'pipeline.yaml'));
    const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['stages=[ingest]'] });
    const carried = manifest.outputs.filter((o) => o.carried).map((o) => o.table).sort();
    const expected = full.manifest.outputs.map((o) => o.table).filter((t) => t !== 'data_quality' && t !== 'rejects').sort();
    expect(carried).toEqual(expected);
    expect(carried).toEqual(expect.arrayContaining(['customer_crosswalk', 'customer_features', 'customers', 'orders']));
    const latest = path.join(dir, 'out', 'mini', 'latest');
    expect(existsSync(path.join(latest, 'customers.parquet'))).toBe(true);
    expect((await readParquet(path.join(latest, 'customers.parquet'))).length).toBe(3);
    expect(existsSync(path.join(latest, 'report.html'))).toBe(true);
  });

  it('writes bi.duckdb that works from any directory after the folder is copied', async () => {
    const dir = copyFixture('mini');
    await runFile(path.join(dir, 'pipeline.yaml'));
    const copy = path.join(tempDir(), 'elsewhere');
    cpSync(path.join(dir, 'out', 'mini'), copy, { recursive: true });
    rmSync(path.join(dir, 'out'), { recursive: true });
    const db = await Database.open(path.join(copy, 'bi.duckdb'));
    try {
      expect(Number(await db.value('SELECT count(*) FROM customers'))).toBe(3);
      expect(Number(await db.value('SELECT count(*) FROM orders WHERE customer_key IS NULL'))).toBe(1);
    } finally {
      db.close();
    }
  });

  it('writes the warehouse in v1.4.0 storage and bi.duckdb in v1.3.0, or in v1.0.0 for older BI drivers when asked', async () => {
    const storageVersion = async (file: string) => {
      const db = await Database.open(file);
      try {
        return await db.value<string>("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()");
      } finally {
        db.close();
      }
    };
    const dir = copyFixture('mini');
    await runFile(path.join(dir, 'pipeline.yaml'));
    expect(await storageVersion(path.join(dir, 'out', 'mini', 'bi.duckdb'))).toBe('v1.3.0+');
    expect(await storageVersion(path.join(dir, 'state', 'warehouse.duckdb'))).toBe('v1.4.0+');
    await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['output.bi_storage_version=v1.0.0'] });
    expect(await storageVersion(path.join(dir, 'out', 'mini', 'bi.duckdb'))).toBe('v1.0.0+');
  });

  it('a second run while the lock is held exits 3 naming the holder', async () => {
    const dir = copyFixture('mini');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'state'), { recursive: true });
    writeFileSync(path.join(dir, 'state', 'run.lock'), JSON.stringify({ pid: process.pid, host: require('node:os').hostname(), started_at: '2024-07-01T00:00:00Z' }));
    const error = await runFile(path.join(dir, 'pipeline.yaml')).catch((e: unknown) => e);
    expect((error as { exitCode: number }).exitCode).toBe(3);
    expect((error as Error).message).toMatch(new RegExp(`pid ${process.pid}`));
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = copyFixture('mini');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'state'), { recursive: true });
    writeFileSync(path.join(dir, 'state', 'run.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: require('node:os').hostname(), started_at: '2024-07-01T00:00:00Z' }));
    const { manifest, log } = await runFile(path.join(dir, 'pipeline.yaml'));
    expect(manifest.status).toBe('success');
    expect(log.lines.some((l) => l.level === 'warn' && /stale lock/.test(l.message))).toBe(true);
  });

  it('--if-changed does nothing when inputs and configuration are unchanged, and runs when a file changes', async () => {
    const dir = copyFixture('mini');
    const file = path.join(dir, 'pipeline.yaml');
    const first = await runFile(file);
    const again = await runFile(file, { ifChanged: true });
    expect(again.skipped).toBe(true);
    expect(again.manifest.run_id).toBe(first.manifest.run_id);
    const otherConfig = await runFile(file, { ifChanged: true, overrides: ['segments.k=4'] });
    expect(otherConfig.skipped).toBeFalsy();
    const { appendFileSync } = await import('node:fs');
    appendFileSync(path.join(dir, 'customers.csv'), 'C9,new@example.com,,New,Person,York,2023-05-01,N\n');
    const changed = await runFile(file, { ifChanged: true, overrides: ['segments.k=4'] });
    expect(changed.skipped).toBeFalsy();
    expect(changed.manifest.run_id).not.toBe(otherConfig.manifest.run_id);
  });

  it('--resume continues a failed run from the failed stage, in the same run folder', async () => {
    const dir = copyFixture('mini');
    const file = path.join(dir, 'pipeline.yaml');
    const features = ALL_STAGES.find((s) => s.name === 'features')!;
    const report = ALL_STAGES.find((s) => s.name === 'report')!;
    const error = await runFile(file, { stages: [ingest, identity, failing, report] }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/continue with --resume/);
    const { manifest, log } = await runFile(file, { stages: [ingest, identity, features, report], resume: true });
    expect(manifest.status).toBe('success');
    expect(log.lines.filter((l) => /finished before the failure/.test(l.message)).map((l) => l.message)).toEqual([
      'stage ingest: finished before the failure; resuming after it', 'stage identity: finished before the failure; resuming after it']);
    expect(manifest.stages.map((s) => `${s.name}:${s.status}`)).toEqual(['ingest:success', 'identity:success', 'features:success', 'report:success']);
    expect(manifest.inputs.length).toBe(3);
    const customers = await readParquet(path.join(dir, 'out', 'mini', 'latest', 'customers.parquet'));
    expect(customers.length).toBe(3);
    // orders and interactions are views over the keyed activity (cra_work): the resumed run publishes them whole,
    // as a run that never failed does.
    const reference = copyFixture('mini');
    await runFile(path.join(reference, 'pipeline.yaml'), { stages: [ingest, identity, features, report] });
    for (const table of ['orders', 'interactions']) {
      const rows = async (root: string): Promise<string[]> => (await readParquet(path.join(root, 'out', 'mini', 'latest', `${table}.parquet`))).map((r) => JSON.stringify(r)).sort();
      const published = await rows(dir);
      // The mini fixture has orders and no interactions (no email, web or phone source).
      expect(published.length > 0).toBe(table === 'orders');
      expect(published).toEqual(await rows(reference));
    }
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      // Once published, the run's scratch (keyed activity, saved state) is gone from the warehouse.
      expect(await db.all("SELECT schema_name FROM duckdb_schemas() WHERE schema_name IN ('cra_work', 'resume_state')")).toEqual([]);
    } finally {
      db.close();
    }
    const again = await runFile(file, { resume: true });
    expect(again.log.lines.some((l) => /nothing to resume/.test(l.message))).toBe(true);
  });
});
