/**
 * Test helpers that read a generated export set back the way an ingest would: a small RFC 4180 CSV splitter,
 * the §4 identity of each source row, and per-person order features built only from what was written.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** windows-1252 bytes 0x80–0x9F per the WHATWG index (the rest is Latin-1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** A windows-1252 decoder independent of TextDecoder (which Node 20.18.3+ gets wrong for 0x80–0x9F). */
export function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b);
  return out;
}

/** Splits CSV text into rows of fields (quoted fields, doubled quotes, any single-char delimiter). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

export interface Table {
  header: string[];
  rows: string[][];
  col(name: string): number;
}

export function readTable(path: string, delimiter = ',', text?: string): Table {
  const [header = [], ...rows] = parseCsv(text ?? readFileSync(path, 'utf8'), delimiter);
  return {
    header,
    rows,
    col(name: string): number {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`${path}: no column ${name}`);
      return i;
    },
  };
}

export function listFiles(dir: string, sub: string): string[] {
  return readdirSync(join(dir, sub))
    .sort()
    .map((f) => join(dir, sub, f));
}

/** 'DD/MM/YYYY HH:MM' → epoch day. */
export function slashDay(s: string): number {
  const [d, m, y] = s.slice(0, 10).split('/').map(Number);
  return Date.UTC(y!, m! - 1, d!) / 86_400_000;
}

export const isoDay = (s: string): number => Date.parse(`${s.slice(0, 10)}T00:00:00Z`) / 86_400_000;

export interface OrderLineRow {
  invoice: string;
  line: string;
  day: number;
  customerId: string;
  email: string;
  sku: string;
  qty: number;
  price: number;
  discount: number;
  status: string;
}

/** Distinct order lines over all monthly files ((InvoiceNo, LineNo) de-duplicated), rejects dropped. */
export function readOrderLines(dir: string): { lines: OrderLineRow[]; duplicates: number; rejects: number } {
  const seen = new Set<string>();
  const lines: OrderLineRow[] = [];
  let duplicates = 0;
  let rejects = 0;
  for (const file of listFiles(dir, 'orders')) {
    const t = readTable(file);
    const c = (n: string) => t.col(n);
    const [inv, ln, date, cid, em, sku, qty, price, disc, st] = [
      c('InvoiceNo'), c('LineNo'), c('InvoiceDate'), c('CustomerID'), c('Email'), c('StockCode'), c('Quantity'), c('UnitPrice'), c('Discount'), c('Status'),
    ];
    for (const r of t.rows) {
      const key = `${r[inv]}|${r[ln]}`;
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      const q = /^-?\d+$/.test(r[qty]!) ? Number(r[qty]) : NaN;
      const p = /^\d+\.\d\d$/.test(r[price]!) ? Number(r[price]) : NaN;
      if (Number.isNaN(q) || Number.isNaN(p)) {
        rejects++;
        continue;
      }
      lines.push({
        invoice: r[inv]!, line: r[ln]!, day: slashDay(r[date]!), customerId: r[cid]!.trim(), email: r[em]!.trim(), sku: r[sku]!,
        qty: q, price: p, discount: Number(r[disc]), status: r[st]!.toLowerCase(),
      });
    }
  }
  return { lines, duplicates, rejects };
}

export const isCompleted = (status: string): boolean => status.startsWith('complete');
export const isCancelled = (status: string): boolean => status.startsWith('cancel');

/** truth_identities.csv as a map "source|id_type|id" → person_id ('' for junk). */
export function readIdentityMap(dir: string): Map<string, string> {
  const t = readTable(join(dir, 'truth_identities.csv'));
  return new Map(t.rows.map((r) => [`${r[0]}|${r[1]}|${r[2]}`, r[3]!]));
}

/** The person an order line belongs to per truth (undefined for guests and junk). */
export function linePerson(ids: Map<string, string>, l: OrderLineRow): string | undefined {
  const key = l.customerId ? `shop|customer_id|${l.customerId}` : l.email ? `shop|email|${l.email}` : '';
  return key ? ids.get(key) || undefined : undefined;
}

export interface Features {
  frequency: number;
  monetary: number;
  lastDay: number;
}

/** Recency/frequency/monetary inputs per person from written order lines (CONTRACT §3 revenue rules). */
export function personFeatures(lines: OrderLineRow[], ids: Map<string, string>): Map<string, Features> {
  const out = new Map<string, Features>();
  const orders = new Map<string, string>();
  for (const l of lines) {
    const person = linePerson(ids, l);
    if (!person || isCancelled(l.status)) continue;
    const f = out.get(person) ?? { frequency: 0, monetary: 0, lastDay: -Infinity };
    f.monetary += l.qty * l.price - l.discount;
    if (isCompleted(l.status) && l.qty > 0 && !orders.has(l.invoice)) {
      orders.set(l.invoice, person);
      f.frequency++;
      f.lastDay = Math.max(f.lastDay, l.day);
    }
    out.set(person, f);
  }
  return out;
}

/** The parts of truth.json the generator's own tests read. */
export interface GeneratedTruth {
  customers: number;
  affinities: { antecedent: [string, string]; consequent: string; planted_lift: number; confidence: number; support: number; count: number; antecedent_count: number; consequent_count: number; transactions: number }[];
  anomalies: { person_id: string; kind: string }[];
  identity: { source_identities: number; lookalike_pairs: [string, string][]; junk_identifiers: { value: string; rows: number; persons: number }[] };
}

/** What the generator tests read back from one generated folder. */
export interface GeneratedRun {
  truth: GeneratedTruth;
  ids: Map<string, string>;
  persons: Table;
  personRow: Map<string, string[]>;
  crm: Table;
  calls: Table;
  lines: OrderLineRow[];
}

export function readGeneratedRun(dir: string): GeneratedRun {
  const persons = readTable(join(dir, 'truth_persons.csv'));
  return {
    truth: JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as GeneratedTruth,
    ids: readIdentityMap(dir),
    persons,
    personRow: new Map(persons.rows.map((r) => [r[0]!, r])),
    crm: readTable(join(dir, 'crm_customers.csv')),
    calls: readTable('calls', ';', decodeCp1252(readFileSync(join(dir, 'calls/phone_calls.csv')))),
    lines: readOrderLines(dir).lines,
  };
}
