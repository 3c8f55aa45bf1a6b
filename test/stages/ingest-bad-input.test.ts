/**
 * The bad-input suite: one file per case in test/fixtures/bad/. Each case either loads with every row accounted
 * for (rows_read = loaded + rejected + duplicate, rejects carrying file, line and reason) or stops with a clear
 * message naming the file or key — never a crash.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { CraError } from '../../src/errors.js';
import { fixture, readParquet, runFile, tempDir, writePipeline } from '../helpers.js';

interface Case {
  file: string;
  /** Extra keys of the source (e.g. `, csv: { delimiter: "," }`). */
  csv?: string;
  channel?: string;
  expect: (r: Outcome) => void;
}

interface Outcome {
  error?: CraError;
  inputs: { rows_read: number; rows_loaded: number; rows_rejected: number; rows_duplicate: number }[];
  rejects: { line: number; reason: string; detail: string; raw: string }[];
  rows: Record<string, unknown>[];
  warnings: string[];
}

async function ingest(file: string, csv = '', channel = 'web_orders'): Promise<Outcome> {
  const dir = tempDir();
  copyFileSync(fixture('bad', file), path.join(dir, file));
  const yaml = `name: bad\nas_of: 2024-06-30\nsources:\n  - { channel: ${channel}, name: src, path: ${JSON.stringify(file)}${csv} }\noutput: { dir: out, pii: keep }\nstate_dir: state\nlimits: { reject_rate: 1 }\nstages: [ingest]\n`;
  const pipelineFile = writePipeline(dir, yaml);
  try {
    const { manifest, log } = await runFile(pipelineFile);
    const latest = path.join(dir, 'out', 'bad', 'latest');
    const rejects = await readParquet<Outcome['rejects'][number]>(path.join(latest, 'rejects.parquet'));
    const { Database } = await import('../../src/db/database.js');
    const db = await Database.open(path.join(dir, 'state', 'warehouse.duckdb'));
    const rows = await db.all(`SELECT * FROM stg_${channel} ORDER BY line`);
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
  // email events
  { file: 'email_unknown_event.csv', channel: 'email_events', expect: (r) => { accounted(r); expect(r.rejects).toEqual([expect.objectContaining({ line: 3, reason: 'unknown_value', detail: 'event_type "forwarded" is not a known event type; add it under values.event_type' })]); } },
  {
    file: 'email_malformed.ndjson', channel: 'email_events',
    expect: (r) => { accounted(r); expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([[2, 'malformed_row']]); expect(r.rows.map((x) => x.event_type)).toEqual(['open', 'click']); },
  },
  { file: 'email_spellings.csv', channel: 'email_events', expect: (r) => { accounted(r); expect(r.rows.map((x) => x.event_type)).toEqual(['open', 'click', 'bounce', 'unsubscribe']); } },
  { file: 'email_no_identity_column.csv', channel: 'email_events', expect: (r) => { expect(r.error?.exitCode).toBe(2); expect(r.error?.message).toMatch(/sources\[0\]\.columns: map at least one of email \/ customer_id \(columns found in email_no_identity_column\.csv: event_id, event_at, recipient_hash, event_type\)/); } },
  { file: 'email_duplicate_event_ids.csv', channel: 'email_events', expect: (r) => { accounted(r); expect(r.inputs[0]).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_duplicate: 1 }); } },
  { file: 'email_crlf.csv', channel: 'email_events', expect: (r) => { accounted(r); expect(r.rows.map((x) => x.email)).toEqual(['a@x.com', 'b@x.com']); } },
  { file: 'email_utf16.csv', channel: 'email_events', expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ email: 'zoë@x.com', line: 2 }); } },
  // phone calls
  {
    file: 'calls_cp1252_semicolon.csv', channel: 'phone_calls',
    csv: ', columns: { call_id: CallRef, started_at: Start, phone: Number, caller_name: Name, reason: Reason, csat: CSAT, resolved: Resolved }',
    expect: (r) => { accounted(r); expect(r.rows.map((x) => [x.caller_name, x.reason, x.resolved])).toEqual([['Seán O’Brien', 'complaint', false], ['Zoë Müller', 'billing', true]]); },
  },
  {
    file: 'calls_csat_out_of_range.csv', channel: 'phone_calls',
    csv: ', columns: { call_id: CallRef, started_at: Start, phone: Number, caller_name: Name, reason: Reason, csat: CSAT, resolved: Resolved }',
    expect: (r) => { accounted(r); expect(r.rejects).toEqual([expect.objectContaining({ line: 2, reason: 'out_of_range', detail: 'csat 7 is outside 1–5' })]); },
  },
  {
    file: 'calls_bad_resolved.csv', channel: 'phone_calls',
    csv: ', columns: { call_id: CallRef, started_at: Start, phone: Number, caller_name: Name, reason: Reason, csat: CSAT, resolved: Resolved }',
    expect: (r) => { accounted(r); expect(r.rejects[0]).toMatchObject({ reason: 'unknown_value', detail: 'resolved "maybe" is not a yes/no value' }); },
  },
  {
    file: 'calls_anonymous.csv', channel: 'phone_calls',
    csv: ', columns: { call_id: CallRef, started_at: Start, phone: Number, caller_name: Name, reason: Reason, csat: CSAT, resolved: Resolved }',
    expect: (r) => { accounted(r); expect(r.rows.map((x) => [x.phone, x.reason])).toEqual([[null, 'sales'], [null, 'other']]); },
  },
  // web sessions
  { file: 'sessions_bad_numbers.ndjson', channel: 'web_sessions', expect: (r) => { accounted(r); expect(r.rejects[0]).toMatchObject({ line: 2, reason: 'bad_number', detail: 'page_views "many" is not a number' }); } },
  { file: 'sessions_blank_lines.ndjson', channel: 'web_sessions', expect: (r) => { accounted(r); expect(r.rows.map((x) => x.session_id)).toEqual(['s1', 's2']); } },
  {
    file: 'sessions_offsets.ndjson', channel: 'web_sessions',
    expect: (r) => { accounted(r); expect(r.rows.map((x) => x.started_at)).toEqual(['2024-03-10T21:30:00.000Z', '2024-03-10T21:30:00.000Z']); },
  },
  // customers
  { file: 'customers_no_identity.csv', channel: 'customers', expect: (r) => { accounted(r); expect(r.rejects).toEqual([expect.objectContaining({ line: 3, reason: 'missing_required', detail: 'no customer_id, email or phone' })]); } },
  { file: 'customers_bad_boolean.csv', channel: 'customers', expect: (r) => { accounted(r); expect(r.rejects[0]).toMatchObject({ reason: 'unknown_value', detail: 'email_opt_out "perhaps" is not a yes/no value' }); } },
  {
    file: 'customers_formula_injection.csv', channel: 'customers',
    expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ first_name: '=HYPERLINK("http://evil.example")', last_name: '+SUM(A1)', city: '@cmd' }); },
  },
  {
    file: 'customers_html_injection.csv', channel: 'customers',
    expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ first_name: '<script>alert(1)</script>', last_name: '<img src=x onerror=alert(1)>', city: '<b>York</b>' }); },
  },
  {
    file: 'customers_injection_column.csv', channel: 'customers', csv: `, columns: { city: 'x"; DROP TABLE y; --' }`,
    expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ customer_id: 'C1', city: 'Leeds' }); },
  },
  // products
  { file: 'products_bad_cost.csv', channel: 'products', expect: (r) => { accounted(r); expect(r.rejects[0]).toMatchObject({ line: 3, reason: 'bad_number', detail: 'unit_cost "n/a" is not a number' }); } },
  { file: 'products_only_bom.csv', channel: 'products', expect: (r) => { accounted(r); expect(r.inputs[0]!.rows_read).toBe(0); expect(r.warnings.join()).toMatch(/products_only_bom\.csv: empty file; loaded as 0 rows/); } },
  // more orders
  { file: 'orders_thousands_separator.csv', expect: (r) => { accounted(r); expect(r.rejects[0]).toMatchObject({ line: 2, reason: 'bad_number', detail: 'unit_price "1,234.50" is not a number' }); } },
  { file: 'orders_tab_delimited.tsv', expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ order_id: '1', unit_price: 2.5 }); } },
  { file: 'orders_unknown_status.csv', expect: (r) => { accounted(r); expect(r.rejects[0]!.detail).toBe('status "lost in post" is not a known status; add it under values.status'); } },
  {
    file: 'orders_status_synonyms.csv', csv: ', values: { status: { cancelled: [storno, C] } }',
    expect: (r) => {
      accounted(r);
      expect(r.rows.map((x) => [x.order_id, x.status, x.quantity, x.revenue])).toEqual([['1', 'cancelled', 1, 0], ['2', 'returned', -1, -2.5], ['3', 'cancelled', -2, 0]]);
    },
  },
  {
    file: 'orders_status_synonyms.csv', csv: ', values: { status: { canceled: [storno] } }',
    expect: (r) => { expect(r.error?.exitCode).toBe(2); expect(r.error?.message).toMatch(/sources\[0\]\.values\.status\.canceled: not a canonical value; use one of completed, cancelled, returned/); },
  },
  { file: 'orders_day_first.csv', expect: (r) => { accounted(r); expect(r.rows.map((x) => x.ordered_at)).toEqual(['2024-03-05T10:00:00.000Z', '2024-03-25T10:00:00.000Z']); } },
  { file: 'orders_empty_lines.csv', expect: (r) => { accounted(r); expect(r.rows.map((x) => x.order_id)).toEqual(['1', '2']); } },
  { file: 'orders_guest.csv', expect: (r) => { accounted(r); expect(r.rows[0]).toMatchObject({ customer_id: null, email: null }); } },
  { file: 'orders_negative_price.csv', expect: (r) => { accounted(r); expect(r.rejects[0]).toMatchObject({ reason: 'out_of_range' }); } },
];

describe('ingest: bad input', () => {
  for (const c of cases) {
    it(`${c.file}${c.csv ? ` (${c.csv.trim()})` : ''}`, async () => c.expect(await ingest(c.file, c.csv, c.channel)));
  }

  it('a symlink loop and a directory named like a file in the glob are passed over', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'exports', 'looks_like.csv'), { recursive: true });
    copyFileSync(fixture('bad', 'duplicate_rows.csv'), path.join(dir, 'exports', 'orders.csv'));
    symlinkSync('..', path.join(dir, 'exports', 'loop'));
    const yaml = 'name: loop\nsources:\n  - { channel: web_orders, path: "exports/**/*.csv" }\noutput: { dir: out }\nstate_dir: state\nstages: [ingest]\n';
    const { manifest } = await runFile(writePipeline(dir, yaml));
    expect(manifest.inputs.map((i) => i.path)).toEqual(['exports/orders.csv']);
    expect(manifest.inputs[0]).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_duplicate: 1 });
  });
});
