/**
 * A source's files load in memory-sized batches (src/stages/ingest/batches.ts). The plan keeps file order and the
 * budget; loading file by file must leave the warehouse exactly as one scan of all files does, duplicates across
 * batches included.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { planBatches } from '../../src/stages/ingest/batches.js';
import { copyFixture, runFile } from '../helpers.js';
import { snapshot } from './ingest-snapshot.js';

const file = (name: string, size: number) => ({ path: `/in/${name}`, size });

describe('ingest: batch plan', () => {
  it('groups consecutive files up to the budget, keeps their order, and gives an oversized file a batch of its own', () => {
    const files = [file('a.csv', 40), file('b.csv', 50), file('c.csv', 20), file('huge.csv', 500), file('d.csv', 10)];
    expect(planBatches(files, 100).map((b) => b.map((f) => f.path.slice(4)))).toEqual([['a.csv', 'b.csv'], ['c.csv'], ['huge.csv'], ['d.csv']]);
    expect(planBatches(files, 10_000)).toHaveLength(1);
    expect(planBatches([], 100)).toEqual([]);
  });

  it('counts a gzip file at an estimate of its text, not its compressed size', () => {
    expect(planBatches([file('a.csv.gz', 30), file('b.csv.gz', 30)], 100)).toHaveLength(2);
    expect(planBatches([file('a.csv', 30), file('b.csv', 30)], 100)).toHaveLength(1);
  });
});

describe('ingest: loading in batches', () => {
  it('leaves the same rows, rejects and accounting as one scan, and still finds a duplicate in another batch', async () => {
    const whole = copyFixture('mini');
    const wholeRun = await runFile(path.join(whole, 'pipeline.yaml'), { overrides: ['stages=[ingest]'] });
    const split = copyFixture('mini');
    // One byte per batch: every file is a batch of its own.
    const splitRun = await runFile(path.join(split, 'pipeline.yaml'), { overrides: ['stages=[ingest]'], ingestBatchBytes: 1 });
    expect(splitRun.log.lines.some((l) => /shop: 2 file\(s\) load in 2 batches/.test(l.message))).toBe(true);
    expect(await snapshot(split)).toEqual(await snapshot(whole));
    expect(splitRun.manifest.inputs).toEqual(wholeRun.manifest.inputs);
    // Order 1004 line 1 is in January's file and again in February's: a counted duplicate across the two batches.
    const feb = splitRun.manifest.inputs.find((i) => i.path.endsWith('orders_2024-02.csv'))!;
    expect(feb.rows_duplicate).toBe(1);
  });
});
