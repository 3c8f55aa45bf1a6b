// The demo people try first: pipelines/demo.yaml on the samples in data-samples/, with its outputs and state sent
// to a temp folder (`--set output.dir=… state_dir=…`, so the repo is never written). The run succeeds and the
// published customers and customer_features read back through DuckDB agree with the manifest, the registry and
// each other (a buyer is exactly a customer with a completed order).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDef } from '../../src/pipeline/output-tables/index.js';
import { readParquet, repoRoot, runFile, tempDir } from '../helpers.js';

const DEMO = path.join(repoRoot, 'pipelines', 'demo.yaml');

describe('pipelines/demo.yaml', () => {
  let latest: string;
  let manifest: Awaited<ReturnType<typeof runFile>>['manifest'];

  beforeAll(async () => {
    if (!existsSync(DEMO)) throw new Error('pipelines/demo.yaml is missing: the demo pipeline (and its samples in data-samples/) ship with the repo');
    const out = tempDir('cra-demo-');
    ({ manifest } = await runFile(DEMO, { overrides: [`output.dir=${path.join(out, 'reports')}`, `state_dir=${path.join(out, 'state')}`] }));
    latest = realpathSync(path.join(out, 'reports', manifest.pipeline, 'latest'));
  });

  it('runs to success and publishes the report beside the tables', () => {
    expect(manifest.status).toBe('success');
    expect(manifest.stages.filter((s) => s.status === 'failed')).toEqual([]);
    for (const file of ['report.html', 'summary.md', 'manifest.json', 'customers.parquet', 'customer_features.parquet']) {
      expect(existsSync(path.join(latest, file)), file).toBe(true);
    }
  });

  it("draws the report's figures from the temp tables the stages hand on (the runner drops every other stage scratch)", () => {
    const html = readFileSync(path.join(latest, 'report.html'), 'utf8');
    expect(html).not.toContain('No projection was computed in this run.');
    expect(html).toContain('Buyers on the first two principal components');
  });

  it('reads customers.parquet and customer_features.parquet back through DuckDB, as the manifest and registry say', async () => {
    for (const table of ['customers', 'customer_features']) {
      const file = path.join(latest, `${table}.parquet`);
      const columns = await readParquet<{ column_name: string }>(file, 'SELECT column_name FROM (DESCRIBE t)');
      expect(columns.map((c) => c.column_name)).toEqual(tableDef(table).columns.map((c) => c.name));
      const [count] = await readParquet<{ n: number }>(file, 'SELECT count(*) AS n FROM t');
      expect(count?.n).toBe(manifest.outputs.find((o) => o.table === table)?.rows);
      expect(count?.n).toBeGreaterThan(0);
    }
    const customers = await readParquet<{ customer_key: string; is_buyer: boolean }>(path.join(latest, 'customers.parquet'), 'SELECT customer_key, is_buyer FROM t');
    const features = await readParquet<{ customer_key: string; frequency: number; as_of: string }>(path.join(latest, 'customer_features.parquet'),
      'SELECT customer_key, frequency, CAST(as_of AS VARCHAR) AS as_of FROM t');
    // One feature row per resolved customer, at the run's as_of; a buyer is a customer with a completed order.
    expect(features.map((f) => f.customer_key).sort()).toEqual(customers.map((c) => c.customer_key).sort());
    expect(new Set(features.map((f) => f.as_of))).toEqual(new Set([manifest.as_of]));
    const frequency = new Map(features.map((f) => [f.customer_key, f.frequency]));
    expect(customers.filter((c) => c.is_buyer !== (frequency.get(c.customer_key)! > 0))).toEqual([]);
    expect(customers.some((c) => c.is_buyer)).toBe(true);
  });
});
