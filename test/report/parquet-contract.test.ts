// The Parquet contract (§4, §6) checked from the outside after a run on generated data with `pii: pseudonymise`:
// every published table is read by DuckDB and by an independent reader (hyparquet), the two agree value for
// value, the schema (names, order, physical and logical types) is the registry's, every column chunk is zstd,
// rows are in the registry's order, personal columns are keyed hashes (checked against an HMAC computed here),
// rejects.raw is empty, and no raw email from the exports appears in any published byte or decoded value.
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects, parquetSchema, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { Database, quoteIdent } from '../../src/db/database.js';
import { OUTPUT_TABLES, tableDef, type ColumnType } from '../../src/pipeline/output-tables/index.js';
import { readParquet } from '../helpers.js';
import { generatedRun, REJECTED_EMAIL, type GeneratedRun } from './generated-run.js';

let run: GeneratedRun;
let rawEmails: string[];

/** What DuckDB's writer must produce for each registry type, as hyparquet reports it. */
function describeColumn(node: SchemaTree): string {
  const e = node.element;
  if (e.converted_type === 'LIST' || e.logical_type?.type === 'LIST') return `LIST<${describeColumn(node.children[0]!.children[0]!)}>`;
  if (e.logical_type?.type === 'TIMESTAMP' || e.converted_type === 'TIMESTAMP_MICROS') return 'TIMESTAMP';
  if (e.logical_type?.type === 'STRING' || e.converted_type === 'UTF8') return `${e.type}/STRING`;
  if (e.logical_type?.type === 'DATE' || e.converted_type === 'DATE') return `${e.type}/DATE`;
  return String(e.type);
}
const EXPECTED: Record<ColumnType, string> = {
  VARCHAR: 'BYTE_ARRAY/STRING', DOUBLE: 'DOUBLE', BIGINT: 'INT64', INTEGER: 'INT32', BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP', DATE: 'INT32/DATE', 'VARCHAR[]': 'LIST<BYTE_ARRAY/STRING>',
};

/** One comparable form for both readers: instants as ISO strings, integers as numbers, lists element-wise. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(normalise);
  return value ?? null;
}

function arrayBuffer(file: string): ArrayBuffer {
  const bytes = readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** Every string inside a decoded value (lists included). */
const strings = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(strings) : []);

beforeAll(async () => {
  run = await generatedRun({ reject: true });
  const db = await Database.open(':memory:');
  try {
    const crm = await db.all(`SELECT DISTINCT trim(email) AS email FROM read_csv($file, all_varchar = true, header = true)
                              WHERE email LIKE '%_@_%' ORDER BY email LIMIT 12`, { file: path.join(run.dir, 'crm_customers.csv') });
    rawEmails = crm.map((r) => String(r.email));
  } finally {
    db.close();
  }
});

describe('published Parquet', () => {
  it('lists every table in the manifest, with a file, and only registry tables', () => {
    const outputs = run.manifest.outputs;
    expect(outputs.length).toBeGreaterThanOrEqual(8);
    for (const o of outputs) {
      expect(OUTPUT_TABLES.map((t) => t.name)).toContain(o.table);
      expect(existsSync(path.join(run.latest, o.path)), o.path).toBe(true);
    }
  });

  it('has the registry schema, zstd column chunks and the manifest row count, read by hyparquet', () => {
    for (const o of run.manifest.outputs) {
      const def = tableDef(o.table);
      const meta = parquetMetadata(arrayBuffer(path.join(run.latest, o.path)));
      const columns = parquetSchema(meta).children;
      expect(columns.map((c) => c.element.name), o.table).toEqual(def.columns.map((c) => c.name));
      expect(columns.map(describeColumn), o.table).toEqual(def.columns.map((c) => EXPECTED[c.type]));
      expect(Number(meta.num_rows), o.table).toBe(o.rows);
      const codecs = new Set(meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)));
      if (o.rows > 0) expect([...codecs], o.table).toEqual(['ZSTD']);
    }
  });

  it('reads the same values with DuckDB and hyparquet, rows in the registry order', async () => {
    for (const o of run.manifest.outputs) {
      const def = tableDef(o.table);
      const file = path.join(run.latest, o.path);
      const ours = (await readParquet(file)).map((r) => def.columns.map((c) => normalise(r[c.name])));
      const theirs = (await parquetReadObjects({ file: arrayBuffer(file), compressors })).map((r) => def.columns.map((c) => normalise(r[c.name])));
      expect(theirs.length, o.table).toBe(o.rows);
      expect(theirs, o.table).toEqual(ours);
      const keys = def.orderBy.map(quoteIdent).join(', ');
      const asWritten = await readParquet(file, `SELECT ${keys} FROM t`);
      const sorted = await readParquet(file, `SELECT ${keys} FROM t ORDER BY ${def.orderBy.map((c) => `${quoteIdent(c)} NULLS FIRST`).join(', ')}`);
      expect(asWritten, `${o.table} order`).toEqual(sorted);
    }
  });
});

describe('pseudonymisation (pii: pseudonymise)', () => {
  it('publishes personal columns only as keyed HMAC-SHA256 and rejects without their raw text', async () => {
    for (const o of run.manifest.outputs) {
      const def = tableDef(o.table);
      const rows = await readParquet(path.join(run.latest, o.path));
      for (const c of def.columns.filter((c) => c.pii === 'hash' || c.pii === 'hash_shared')) {
        for (const r of rows) if (r[c.name] !== null) expect(String(r[c.name]), `${o.table}.${c.name}`).toMatch(/^[0-9a-f]{64}$/);
      }
      for (const c of def.columns.filter((c) => c.pii === 'null')) expect(rows.filter((r) => r[c.name] !== null), `${o.table}.${c.name}`).toEqual([]);
    }
    // The planted bad line is there (so the NULL check above saw a row whose raw text holds an email).
    const planted = await readParquet(path.join(run.latest, 'rejects.parquet'), `SELECT reason, raw FROM t WHERE source_file LIKE 'orders/%' AND reason = 'bad_number'`);
    expect(planted.length).toBeGreaterThan(0);
    expect(planted.every((r) => r.raw === null)).toBe(true);
  });

  it('hashes the golden email with the key in state_dir (HMAC computed independently here)', async () => {
    const key = process.env.CRA_PII_KEY ?? readFileSync(path.join(run.dir, '.cra', 'pii.key'), 'utf8').trim();
    const hashes = new Set((await readParquet(path.join(run.latest, 'customers.parquet'), 'SELECT email FROM t WHERE email IS NOT NULL')).map((r) => r.email));
    expect(rawEmails.length).toBeGreaterThan(5);
    const found = rawEmails.filter((e) => hashes.has(createHmac('sha256', key).update(e.toLowerCase()).digest('hex')));
    // Most CRM emails are clean; messy spellings normalise to a different string, so not every one need match.
    expect(found.length).toBeGreaterThanOrEqual(rawEmails.length / 2);
  });

  it('leaves no raw email in any published file, byte for byte or decoded', async () => {
    const needles = [...new Set([...rawEmails, REJECTED_EMAIL].flatMap((e) => [e, e.toLowerCase()]))];
    const files = filesUnder(run.outputRoot);
    expect(files.some((f) => f.endsWith('bi.duckdb'))).toBe(true);
    expect(files.some((f) => f.endsWith('report.html'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const needle of needles) expect(bytes.includes(Buffer.from(needle)), `${path.relative(run.outputRoot, file)} holds ${needle}`).toBe(false);
    }
    const lower = needles.map((n) => n.toLowerCase());
    const leaks = (where: string, values: string[]): string[] => values.filter((v) => lower.some((n) => v.toLowerCase().includes(n))).map((v) => `${where}: ${v}`);
    for (const file of files.filter((f) => f.endsWith('.parquet'))) {
      const rows = await parquetReadObjects({ file: arrayBuffer(file), compressors });
      expect(leaks(file, rows.flatMap((r) => Object.values(r).flatMap(strings)))).toEqual([]);
    }
    const bi = await Database.open(path.join(run.outputRoot, 'bi.duckdb'));
    try {
      const tables = await bi.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() ORDER BY 1`);
      expect(tables.length).toBe(run.manifest.outputs.length);
      for (const t of tables) expect(leaks(`bi.duckdb ${t.name}`, (await bi.all(`SELECT * FROM ${quoteIdent(t.name)}`)).flatMap((r) => Object.values(r).flatMap(strings)))).toEqual([]);
    } finally {
      bi.close();
    }
  });
});
