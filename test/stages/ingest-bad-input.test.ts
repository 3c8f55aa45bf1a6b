/**
 * The bad-input suite: one file per case in test/fixtures/bad/. Each case either loads with every row accounted
 * for (rows_read = loaded + rejected + duplicate, rejects carrying file, line and reason) or stops with a clear
 * message naming the file or key — never a crash.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { CraError } from '../../src/errors.js';
import { fixture, readParquet, runFile, tempDir, writePipeline } from '../helpers.js';

interface Case {
  file: string;
  csv?: string;
  expect: (r: Outcome) => void;
}

interface Outcome {
  error?: CraError;
  inputs: { rows_read: number; rows_loaded: number; rows_rejected: number; rows_duplicate: number }[];
  rejects: { line: number; reason: string; detail: string; raw: string }[];
  rows: Record<string, unknown>[];
  warnings: string[];
}

async function ingest(file: string, csv = ''): Promise<Outcome> {
  const dir = tempDir();
  copyFileSync(fixture('bad', file), path.join(dir, file));
  const yaml = `name: bad\nas_of: 2024-06-30\nsources:\n  - { channel: web_orders, name: shop, path: ${JSON.stringify(file)}${csv} }\noutput: { dir: out, pii: keep }\nstate_dir: state\nlimits: { reject_rate: 1 }\nstages: [ingest]\n`;
  const pipelineFile = writePipeline(dir, yaml);
  try {
    const { manifest, log } = await runFile(pipelineFile);
    const latest = path.join(dir, 'out', 'bad', 'latest');
    const rejects = await readParquet<Outcome['rejects'][number]>(path.join(latest, 'rejects.parquet'));
    const { Database } = await import('../../src/db/database.js');
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    const rows = await db.all('SELECT * FROM stg_web_orders ORDER BY line');
    db.close();
    return { inputs: manifest.inputs, rejects, rows, warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message) };
  } catch (error) {
    if (!(error instanceof CraError)) throw error;
    return { error, inputs: [], rejects: [], rows: [], warnings: [] };
  }
}

function accounted(r: Outcome): void {
  expect(r.error).toBeUndefined();
  for (const i of r.inputs) expect(i.rows_read).toBe(i.rows_loaded + i.rows_rejected + i.rows_duplicate);
  expect(r.rejects.length).toBe(r.inputs.reduce((s, i) => s + i.rows_rejected, 0));
}

const cases: Case[] = [
  { file: 'empty.csv', expect: (r) => { accounted(r); expect(r.inputs[0]!.rows_read).toBe(0); expect(r.warnings.join()).toMatch(/empty\.csv: empty file; loaded as 0 rows/); } },
  { file: 'header_only.csv', expect: (r) => { accounted(r); expect(r.inputs[0]!.rows_read).toBe(0); expect(r.warnings.join()).toMatch(/header_only\.csv: no data rows/); } },
  {
    file: 'missing_required_column.csv',
    expect: (r) => {
      expect(r.error?.exitCode).toBe(2);
      expect(r.error?.message).toMatch(/sources\[0\]\.columns\.product_id: required, but missing_required_column\.csv has no column "product_id"; map it to one of: order_id, ordered_at, customer_id, product, quantity, unit_price \(closest: "product"\)/);
    },
  },
  { file: 'semicolon_delimiter.csv', expect: (r) => { accounted(r); expect(r.inputs[0]!.rows_loaded).toBe(2); } },
  {
    file: 'semicolon_delimiter.csv', csv: ', csv: { delimiter: "," }',
    expect: (r) => { expect(r.error?.exitCode).toBe(2); expect(r.error?.message).toMatch(/has no column "order_id"; map it to one of: order_id;ordered_at;customer_id;product_id;quantity;unit_price/); },
  },
  { file: 'utf8_bom.csv', expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ order_id: '1', line: 2 }); } },
  {
    file: 'latin1_accents.csv',
    expect: (r) => {
      accounted(r);
      expect(r.rows[0]).toMatchObject({ customer_id: 'José', line: 2 });
      expect(r.rejects).toEqual([expect.objectContaining({ line: 3, reason: 'bad_number', detail: 'unit_price "€" is not a number', raw: expect.stringContaining('Renée,“B”') })]);
    },
  },
  {
    file: 'ragged_rows.csv',
    expect: (r) => {
      accounted(r);
      expect(r.rows.map((x) => [x.order_id, x.line])).toEqual([['1', 2], ['4', 5]]);
      expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([[3, 'malformed_row'], [4, 'malformed_row']]);
      expect(r.rejects[0]!.raw).toBe('2,2024-01-01 10:00:00,c1,A,1,2.5,extra');
    },
  },
  { file: 'quoted_newlines.csv', expect: (r) => { accounted(r); expect(r.rows[0]!.product_id).toBe('A\nwith newline'); expect(r.inputs[0]!.rows_loaded).toBe(2); } },
  {
    file: 'bad_dates_numbers.csv',
    expect: (r) => {
      accounted(r);
      expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([[2, 'bad_timestamp'], [3, 'bad_number']]);
      expect(r.rejects[1]!.detail).toBe('quantity "two" is not a number');
      expect(r.rows.map((x) => x.line)).toEqual([4]);
    },
  },
  { file: 'future_dates.csv', expect: (r) => { accounted(r); expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([[2, 'future_date']]); } },
  { file: 'control_characters.csv', expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ customer_id: 'cone', product_id: 'A' }); } },
  { file: 'huge_field.csv', expect: (r) => { accounted(r); expect(r.inputs[0]!.rows_loaded).toBe(2); expect(String(r.rows[0]!.product_id).length).toBe(1_100_000); } },
  {
    file: 'duplicate_headers.csv',
    expect: (r) => { expect(r.error?.exitCode).toBe(2); expect(r.error?.message).toMatch(/columns\.unit_price: required.*quantity, quantity_1/); },
  },
  { file: 'duplicate_rows.csv', expect: (r) => { accounted(r); expect(r.inputs[0]).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_duplicate: 1 }); } },
  { file: 'truncated.csv.gz', expect: (r) => { expect(r.error?.exitCode).toBe(1); expect(r.error?.message).toMatch(/truncated\.csv\.gz/); } },
  {
    file: 'wrong_types.parquet',
    expect: (r) => {
      accounted(r);
      expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([[1, 'bad_timestamp'], [2, 'bad_number']]);
      expect(r.rejects[1]!.detail).toBe('unit_price "false" is not a number');
    },
  },
];

describe('ingest: bad input', () => {
  for (const c of cases) {
    it(`${c.file}${c.csv ? ` (${c.csv.trim()})` : ''}`, async () => c.expect(await ingest(c.file, c.csv)));
  }
});
