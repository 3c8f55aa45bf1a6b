/**
 * The files a run writes and the per-block buffers they are filled through. Every output file gets a small
 * integer id so a block of persons can collect its lines for all ~80 files in one array of strings, hand
 * them over in one piece (possibly from a worker thread), and the writer appends them in block order —
 * which is what makes the output independent of how many threads generated it.
 */
import type { Calendar } from './calendar.js';
import { toLatin1Units } from './cp1252.js';

/** 'ascii': text the generator guarantees is 7-bit (written on the one-byte path; identical to UTF-8). */
export type Encoding = 'utf8' | 'ascii' | 'cp1252';

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
  'InvoiceNo,LineNo,InvoiceDate,CustomerID,Email,Phone,StockCode,Description,Quantity,UnitPrice,Discount,Status,Country,Currency';

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
  for (const m of cal.months) add(`orders/orders_${m}.csv`, ORDER_HEADER, 'ascii');
  const sessions = specs.length;
  for (const m of cal.months) add(`sessions/sessions_${m}.ndjson`, '', 'ascii');
  const email = specs.length;
  for (const m of cal.months) add(`email/email_events_${m}.csv`, 'event_id,timestamp,recipient,campaign,event', 'ascii');
  const calls = add('calls/phone_calls.csv', 'CallRef;Start;Number;Name;Duration;Direction;Reason;Resolved;CSAT', 'cp1252');
  const truthPersons = add(
    'truth_persons.csv',
    'person_id,crm_customer_ref,shop_customer_id,first_name,last_name,archetype,first_order_date,churned_at,churn_driver,anomaly_kind,profiling_opt_out,email_opt_out',
    'utf8',
    false,
  );
  const truthIdentities = add('truth_identities.csv', 'source,id_type,source_record_id,person_id', 'ascii', false);
  return { specs, crm, orders, sessions, email, calls, truthPersons, truthIdentities };
}

/**
 * Lines of one block of persons for every file, plus the row accounting truth.json reports. Each line is
 * encoded into its file's growing byte buffer as soon as it is made, while it is still young and flat:
 * collecting a block's lines as string ropes first made rope flattening and the garbage collector the
 * generator's main costs.
 */
const sizeHint: number[] = [];

export class BlockSink {
  readonly rows: Int32Array;
  readonly duplicates: Int32Array;
  readonly rejects: Int32Array;
  private readonly pending: string[];
  private readonly dirty: number[] = [];
  private readonly bufs: Buffer[];
  private readonly lens: Int32Array;
  /** Bytes a UTF-16 unit can take: 1 for one-byte encodings, 3 for UTF-8. */
  private readonly width: Uint8Array;

  constructor(private readonly encodings: readonly Encoding[]) {
    const n = encodings.length;
    this.rows = new Int32Array(n);
    this.duplicates = new Int32Array(n);
    this.rejects = new Int32Array(n);
    this.pending = new Array<string>(n).fill('');
    // Blocks are alike, so the last block's size per file is a good first capacity (saves regrowth copies).
    this.bufs = encodings.map((_, f) => Buffer.allocUnsafeSlow(Math.max(1 << 15, Math.ceil((sizeHint[f] ?? 0) * 1.1))));
    this.lens = new Int32Array(n);
    this.width = Uint8Array.from(encodings, (e) => (e === 'utf8' ? 3 : 1));
  }

  add(file: number, line: string): void {
    // A person's lines gather per file and are encoded together when the person is done (`endPerson`): one
    // encode call per line cost more than its work, and strings that live only for one person stay cheap.
    const text = this.pending[file]!;
    if (text === '') this.dirty.push(file);
    this.pending[file] = text + line;
    this.rows[file]!++;
  }

  endPerson(): void {
    for (const file of this.dirty) {
      this.encodeInto(file, this.pending[file]!);
      this.pending[file] = '';
    }
    this.dirty.length = 0;
  }

  private encodeInto(file: number, line: string): void {
    const enc = this.encodings[file]!;
    const text = enc === 'cp1252' ? toLatin1Units(line) : line;
    let buf = this.bufs[file]!;
    const len = this.lens[file]!;
    if (len + text.length * this.width[file]! > buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(len + text.length * 3, buf.length * 2));
      buf.copy(grown, 0, 0, len);
      this.bufs[file] = buf = grown;
    }
    // ASCII-only files take the one-byte path, which gives the same bytes as UTF-8 for ASCII text.
    this.lens[file] = len + buf.write(text, len, enc === 'utf8' ? 'utf8' : 'latin1');
  }

  /** Encoded bytes per file; each view covers the start of its own ArrayBuffer, so it can be transferred. */
  finish(): Uint8Array[] {
    this.endPerson();
    return this.bufs.map((buf, f) => {
      sizeHint[f] = Math.max(sizeHint[f] ?? 0, this.lens[f]!);
      return new Uint8Array(buf.buffer, buf.byteOffset, this.lens[f]);
    });
  }
}
