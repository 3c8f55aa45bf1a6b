// A rejected row keeps its text for whoever fixes the export: every field of the source row (mapped or not) joined by
// the file's delimiter, or the JSON line as read. Staging joins the fields only for rejected rows (read-raw.ts,
// cra_rejected_text); accepted rows carry no text.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { runFile, tempDir, writePipeline } from '../helpers.js';

describe('the text of rejected rows', () => {
  it('is the whole source row in the file\'s own delimiter, or the JSON line; a malformed JSON line has none', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sessions'));
    writeFileSync(path.join(dir, 'orders.csv'), [
      'order_id;line_id;ordered_at;customer_id;product_id;quantity;unit_price;note',
      'O1;1;2024-01-02 10:00:00;c1;P1;1;5;fine',
      'O2;1;2024-01-03 10:00:00;c2;P2;lots;5;',
      'O3;1;2024-01-04 10:00:00;;P3;1;;"a;b"',
      '',
    ].join('\n'));
    const goodLine = '{"session_id":"S1","started_at":"2024-01-02 10:00:00","customer_id":"c1"}';
    const badLine = '{"session_id":"S2","started_at":"yesterday","customer_id":"c2"}';
    writeFileSync(path.join(dir, 'sessions', 'day.ndjson'), `${goodLine}\n${badLine}\n{"session_id": "S3", oops\n`);
    const yaml = `name: rt\nas_of: 2024-06-30\nsources:\n  - { channel: web_orders, name: shop, path: orders.csv, csv: { delimiter: ";" } }\n  - { channel: web_sessions, name: web, path: "sessions/*.ndjson" }\noutput: { dir: out, pii: keep }\nstate_dir: state\nlimits: { reject_rate: 1 }\nstages: [ingest]\n`;
    await runFile(writePipeline(dir, yaml));
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    try {
      const rejects = await db.all('SELECT source, line, reason, raw FROM ingest_rejects ORDER BY source, line');
      expect(rejects).toEqual([
        { source: 'shop', line: 3, reason: 'bad_number', raw: 'O2;1;2024-01-03 10:00:00;c2;P2;lots;5;' },
        { source: 'shop', line: 4, reason: 'bad_number', raw: 'O3;1;2024-01-04 10:00:00;;P3;1;;a;b' },
        { source: 'web', line: 2, reason: 'bad_timestamp', raw: badLine },
        { source: 'web', line: 3, reason: 'malformed_row', raw: null },
      ]);
      expect(await db.value('SELECT count(*) FROM stg_web_orders')).toBe(1);
      expect(await db.value('SELECT count(*) FROM stg_web_sessions')).toBe(1);
    } finally {
      db.close();
    }
  }, 60_000);
});
