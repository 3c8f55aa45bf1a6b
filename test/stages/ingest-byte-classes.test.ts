// Ingest skips the per-row control-character test for files whose bytes cannot hold one (byte-classes.ts). The
// word-at-a-time scan is held to a byte-by-byte oracle at every alignment and chunking; and a load that mixes clean
// and dirty files, in CSV and in NDJSON (where a control character can arrive as an escape), must strip exactly what
// the per-row test strips.
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BACKSLASH, ByteClasses, CONTROL, mayHoldControl } from '../../src/stages/ingest/byte-classes.js';
import { Database } from '../../src/db/database.js';
import { runFile, tempDir, writePipeline } from '../helpers.js';

function oracle(bytes: Uint8Array): number {
  let classes = 0;
  for (const b of bytes) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) classes |= CONTROL;
    if (b === 0x5c) classes |= BACKSLASH;
  }
  return classes;
}

/** A deterministic text-like buffer: printable ASCII, UTF-8 multi-byte sequences, tabs and line ends. */
function text(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8;
  for (let i = 0; i < n; i++) {
    const r = next() % 100;
    out[i] = r < 2 ? 0x0a : r < 3 ? 0x09 : r < 4 ? 0x0d : r < 8 ? 0xc3 + (next() % 2) : r < 12 ? 0x80 + (next() % 64) : 0x20 + (next() % 0x5f);
  }
  for (let i = 0; i < n; i++) if (out[i] === 0x5c || out[i] === 0x7f) out[i] = 0x41;
  return out;
}

describe('ByteClasses', () => {
  it('finds every class at every position and alignment, however the bytes are chunked', () => {
    const base = text(203, 7);
    expect(oracle(base)).toBe(0);
    const planted = [0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f, 0x5c];
    for (const byte of planted) {
      for (let at = 0; at < base.length; at++) {
        // A backing buffer with room to start the view at each of the four alignments.
        for (let offset = 0; offset < 4; offset++) {
          const backing = new Uint8Array(base.length + 8);
          const view = backing.subarray(offset, offset + base.length);
          view.set(base);
          view[at] = byte;
          const scan = new ByteClasses();
          const cut = (at * 7 + offset) % base.length;
          scan.update(view.subarray(0, cut));
          scan.update(view.subarray(cut));
          expect(scan.classes, `byte ${byte} at ${at}, offset ${offset}, cut ${cut}`).toBe(oracle(view));
          if (byte === 0x5c) expect(scan.classes).toBe(BACKSLASH);
          else expect(scan.classes).toBe(CONTROL);
        }
      }
    }
  });

  it('finds nothing in text with tabs, line ends and UTF-8, and agrees with the oracle on random bytes', () => {
    const clean = text(100_003, 11);
    const scan = new ByteClasses();
    scan.update(clean);
    expect(scan.classes).toBe(0);
    for (let seed = 1; seed <= 50; seed++) {
      const noise = Uint8Array.from(text(64, seed), (b, i) => (i % (seed + 3) === 0 ? (b * seed) & 0xff : b));
      const s = new ByteClasses();
      s.update(noise);
      expect(s.classes).toBe(oracle(noise));
    }
  });

  it('tells which formats may carry a control character into a value', () => {
    expect(mayHoldControl(0, 'csv')).toBe(false);
    expect(mayHoldControl(BACKSLASH, 'csv')).toBe(false);
    expect(mayHoldControl(CONTROL, 'csv')).toBe(true);
    expect(mayHoldControl(0, 'ndjson')).toBe(false);
    expect(mayHoldControl(BACKSLASH, 'ndjson')).toBe(true);
    expect(mayHoldControl(0, 'parquet')).toBe(true);
  });
});

describe('ingest with clean and dirty files in one load', () => {
  it('strips control characters from the dirty files only, whether they are bytes (CSV) or escapes (NDJSON)', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'orders'));
    mkdirSync(path.join(dir, 'sessions'));
    const header = 'order_id,line_id,ordered_at,customer_id,product_id,quantity,unit_price\n';
    writeFileSync(path.join(dir, 'orders', 'a_clean.csv'), `${header}O1,1,2024-01-02 10:00:00,"c\tone",P1,1,5\n`);
    writeFileSync(path.join(dir, 'orders', 'b_dirty.csv'), `${header}O2,1,2024-01-03 10:00:00,c\u0007two,P\u00012,1,5\n`);
    writeFileSync(path.join(dir, 'sessions', 'a_clean.ndjson'), '{"session_id":"S1","started_at":"2024-01-02 10:00:00","customer_id":"c one"}\n');
    writeFileSync(path.join(dir, 'sessions', 'b_escaped.ndjson'), '{"session_id":"S2","started_at":"2024-01-03 10:00:00","customer_id":"c\\u0007two\\btoo"}\n');
    const yaml = `name: ctl\nas_of: 2024-06-30\nsources:\n  - { channel: web_orders, name: shop, path: "orders/*.csv" }\n  - { channel: web_sessions, name: web, path: "sessions/*.ndjson" }\noutput: { dir: out, pii: keep }\nstate_dir: state\nstages: [ingest]\n`;
    await runFile(writePipeline(dir, yaml));
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      expect(await db.all('SELECT order_id, customer_id, product_id FROM stg_web_orders ORDER BY order_id')).toEqual([
        { order_id: 'O1', customer_id: 'c\tone', product_id: 'P1' },
        { order_id: 'O2', customer_id: 'ctwo', product_id: 'P2' },
      ]);
      expect(await db.all('SELECT session_id, customer_id FROM stg_web_sessions ORDER BY session_id')).toEqual([
        { session_id: 'S1', customer_id: 'c one' },
        { session_id: 'S2', customer_id: 'ctwotoo' },
      ]);
    } finally {
      db.close();
    }
  }, 60_000);
});
