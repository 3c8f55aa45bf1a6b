/**
 * The files a run writes and the per-block buffers they are filled through. Every output file gets a small
 * integer id so a block of persons can collect its lines for all ~80 files in one array of strings, hand
 * them over in one piece (possibly from a worker thread), and the writer appends them in block order —
 * which is what makes the output independent of how many threads generated it.
 */
import type { Calendar } from './calendar.js';

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

/** Lines of one block of persons for every file, plus the row accounting truth.json reports. */
export class BlockSink {
  readonly text: string[];
  readonly rows: Int32Array;
  readonly duplicates: Int32Array;
  readonly rejects: Int32Array;

  constructor(nFiles: number) {
    this.text = new Array<string>(nFiles).fill('');
    this.rows = new Int32Array(nFiles);
    this.duplicates = new Int32Array(nFiles);
    this.rejects = new Int32Array(nFiles);
  }

  add(file: number, line: string): void {
    this.text[file] += line;
    this.rows[file]!++;
  }
}
