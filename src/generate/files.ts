/**
 * The files a run writes and the per-block buffers they are filled through. Every output file gets a small
 * integer id so a block of persons can collect its lines for all ~80 files in one array of strings, hand
 * them over in one piece (possibly from a worker thread), and the writer appends them in block order —
 * which is what makes the output independent of how many threads generated it.
 */
import type { Calendar } from './calendar.js';
import { toLatin1Units } from './cp1252.js';

export type Encoding = 'utf8' | 'cp1252';

export interface FileSpec {
  path: string;
  header: string;
  encoding: Encoding;
  /** Input exports (listed in truth.json) versus the truth files themselves. */
  export: boolean;
}

export interface FileSet {
  specs: FileSpec[];
  crm: number;
  /** Ids of the month files: `orders + monthIndex`, etc. */
  orders: number;
  sessions: number;
  email: number;
  calls: number;
  truthPersons: number;
  truthIdentities: number;
}

export const ORDER_HEADER =
  'InvoiceNo,LineNo,InvoiceDate,CustomerID,Email,StockCode,Description,Quantity,UnitPrice,Discount,Status,Country,Currency';

export function buildFileSet(cal: Calendar): FileSet {
  const specs: FileSpec[] = [];
  const add = (path: string, header: string, encoding: Encoding = 'utf8', isExport = true): number => {
    specs.push({ path, header, encoding, export: isExport });
    return specs.length - 1;
  };
  const crm = add(
    'crm_customers.csv',
    'customer_ref,email,phone,first_name,last_name,postcode,city,country,signup_date,email_opt_out,marketing_consent,profiling_opt_out',
  );
  const orders = specs.length;
  for (const m of cal.months) add(`orders/orders_${m}.csv`, ORDER_HEADER);
  const sessions = specs.length;
  for (const m of cal.months) add(`sessions/sessions_${m}.ndjson`, '');
  const email = specs.length;
  for (const m of cal.months) add(`email/email_events_${m}.csv`, 'event_id,timestamp,recipient,campaign,event');
  const calls = add('calls/phone_calls.csv', 'CallRef;Start;Number;Name;Duration;Direction;Reason;Resolved;CSAT', 'cp1252');
  const truthPersons = add(
    'truth_persons.csv',
    'person_id,crm_customer_ref,shop_customer_id,first_name,last_name,archetype,first_order_date,churned_at,churn_driver,anomaly_kind,profiling_opt_out,email_opt_out',
    'utf8',
    false,
  );
  const truthIdentities = add('truth_identities.csv', 'source,id_type,source_record_id,person_id', 'utf8', false);
  return { specs, crm, orders, sessions, email, calls, truthPersons, truthIdentities };
}

/**
 * Lines of one block of persons for every file, plus the row accounting truth.json reports. Lines gather in
 * a short string per file and are encoded into a growing byte buffer every few KB: long-lived string ropes
 * of a whole block made the garbage collector the generator's main cost.
 */
export class BlockSink {
  readonly rows: Int32Array;
  readonly duplicates: Int32Array;
  readonly rejects: Int32Array;
  private readonly pending: string[];
  private readonly bufs: Buffer[];
  private readonly lens: Int32Array;

  constructor(private readonly encodings: readonly Encoding[]) {
    const n = encodings.length;
    this.rows = new Int32Array(n);
    this.duplicates = new Int32Array(n);
    this.rejects = new Int32Array(n);
    this.pending = new Array<string>(n).fill('');
    this.bufs = encodings.map(() => Buffer.allocUnsafeSlow(1 << 14));
    this.lens = new Int32Array(n);
  }

  add(file: number, line: string): void {
    const text = this.pending[file] + line;
    if (text.length > 4096) {
      this.encodeInto(file, text);
      this.pending[file] = '';
    } else this.pending[file] = text;
    this.rows[file]!++;
  }

  private encodeInto(file: number, text: string): void {
    const cp1252 = this.encodings[file] === 'cp1252';
    const bytes = cp1252 ? toLatin1Units(text) : text;
    const need = this.lens[file]! + bytes.length * (cp1252 ? 1 : 3);
    let buf = this.bufs[file]!;
    if (need > buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, buf.length * 2));
      buf.copy(grown, 0, 0, this.lens[file]);
      this.bufs[file] = buf = grown;
    }
    this.lens[file]! += buf.write(bytes, this.lens[file]!, cp1252 ? 'latin1' : 'utf8');
  }

  /** Encoded bytes per file; each view covers the start of its own ArrayBuffer, so it can be transferred. */
  finish(): Uint8Array[] {
    return this.bufs.map((_, f) => {
      if (this.pending[f]) this.encodeInto(f, this.pending[f]!);
      this.pending[f] = '';
      const buf = this.bufs[f]!;
      return new Uint8Array(buf.buffer, buf.byteOffset, this.lens[f]);
    });
  }
}
