/**
 * Line numbers and duplicate order across a multi-file batch, against an oracle written alongside the files.
 *
 * The ingest reads all files of a source in one parallel scan and recovers each row's file and line afterwards (scan
 * position, file offsets, and the parser-rejected lines before it). This test writes several daily files with
 * ragged rows at random places, a blank-cell row, and rows repeated within and across files, recording for every
 * physical line what must happen to it; then checks every loaded row, reject and duplicate against that record.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { createRng } from '../../src/analytics/random.js';
import { runFile, tempDir, writePipeline } from '../helpers.js';

interface Expected {
  loaded: Map<string, { file: string; line: number }>;
  malformed: { file: string; line: number }[];
  duplicates: number;
}

/** Writes `files` daily order files; returns what each physical line must become. */
function writeOrders(dir: string, files: number, seed: number): Expected {
  const rng = createRng(seed);
  const expected: Expected = { loaded: new Map(), malformed: [], duplicates: 0 };
  const seen: string[] = [];
  mkdirSync(path.join(dir, 'orders'));
  for (let f = 0; f < files; f++) {
    const name = `orders/orders_2024-03-${String(f + 1).padStart(2, '0')}.csv`;
    const lines = ['InvoiceNo,Line,InvoiceDate,CustomerID,StockCode,Quantity,UnitPrice'];
    const rows = 2000 + rng.int(3000);
    for (let r = 0; r < rows; r++) {
      const line = lines.length + 1;
      const roll = rng.next();
      if (roll < 0.03) {
        lines.push(`X${f}-${line},1,0${1 + (f % 9)}/03/2024 10:00,C1,P1,1,2.50,extra,cells`);
        expected.malformed.push({ file: name, line });
      } else if (roll < 0.06 && seen.length > 0) {
        lines.push(rng.pick(seen));
        expected.duplicates++;
      } else {
        const id = `F${f}-L${line}`;
        const text = `${id},1,0${1 + (f % 9)}/03/2024 ${String(rng.int(24)).padStart(2, '0')}:00,C${rng.int(50)},P${rng.int(20)},${1 + rng.int(3)},${(1 + rng.int(900) / 100).toFixed(2)}`;
        lines.push(text);
        seen.push(text);
        expected.loaded.set(id, { file: name, line });
      }
    }
    writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
  }
  return expected;
}

describe('ingest: file and line of every row in a multi-file batch', () => {
  it('matches the physical line of every loaded, rejected and duplicate row', async () => {
    const dir = tempDir();
    const expected = writeOrders(dir, 7, 20261123);
    const file = writePipeline(dir, `name: lines
as_of: 2024-03-31
sources:
  - channel: web_orders
    name: shop
    path: orders/orders_*.csv
    csv: { timestamp_format: "%d/%m/%Y %H:%M" }
    columns: { order_id: InvoiceNo, line_id: Line, ordered_at: InvoiceDate, customer_id: CustomerID, product_id: StockCode, quantity: Quantity, unit_price: UnitPrice }
output: { dir: out }
state_dir: state
limits: { reject_rate: 0.2 }
`);
    const { manifest } = await runFile(file, { overrides: ['stages=[ingest]'] });
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      const loaded = await db.all<{ order_id: string; source_file: string; line: number }>('SELECT order_id, source_file, line FROM stg_web_orders');
      expect(loaded.length).toBe(expected.loaded.size);
      for (const row of loaded) {
        expect({ order_id: row.order_id, file: row.source_file, line: row.line }).toEqual({ order_id: row.order_id, ...expected.loaded.get(row.order_id) });
      }
      const rejects = await db.all<{ source_file: string; line: number; reason: string }>('SELECT source_file, line, reason FROM ingest_rejects ORDER BY source_file, line');
      expect(rejects.map((r) => ({ file: r.source_file, line: r.line }))).toEqual(expected.malformed);
      expect(new Set(rejects.map((r) => r.reason))).toEqual(new Set(['malformed_row']));
    } finally {
      db.close();
    }
    const totals = manifest.inputs.reduce((s, i) => ({ read: s.read + i.rows_read, dup: s.dup + i.rows_duplicate }), { read: 0, dup: 0 });
    expect(totals.dup).toBe(expected.duplicates);
    expect(totals.read).toBe(expected.loaded.size + expected.malformed.length + expected.duplicates);
    for (const input of manifest.inputs) expect(input.rows_read).toBe(input.rows_loaded + input.rows_rejected + input.rows_duplicate);
  });
});
