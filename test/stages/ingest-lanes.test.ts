/**
 * Sources load two at a time (src/stages/ingest/lanes.ts). Loading side by side must give the warehouse exactly
 * what loading one by one gives, also when two sources feed the same staging table, and a failure must be
 * reported the same way whatever finished first.
 */
import { describe, expect, it } from 'vitest';
import { copyFixture, runFile, writePipeline } from '../helpers.js';
import { snapshot, type Snapshot } from './ingest-snapshot.js';

/** The mini fixture with a second web shop (same channel, own file set) and a third source in between. */
const PIPELINE = `name: lanes
as_of: 2024-02-29
sources:
  - channel: customers
    name: crm
    path: customers.csv
    columns: { customer_id: cust_no, email: E-mail, phone: Phone, first_name: First, last_name: Last, city: City, created_at: Created, email_opt_out: OptOut }
  - channel: web_orders
    name: shop
    path: orders/orders_2024-01.csv
    columns: { order_id: InvoiceNo, line_id: Line, ordered_at: InvoiceDate, customer_id: CustomerID, email: Email, product_id: StockCode, quantity: Quantity, unit_price: UnitPrice, status: Status }
  - channel: web_orders
    name: outlet
    path: orders/orders_2024-02.csv
    columns: { order_id: InvoiceNo, line_id: Line, ordered_at: InvoiceDate, customer_id: CustomerID, email: Email, product_id: StockCode, quantity: Quantity, unit_price: UnitPrice, status: Status }
output: { dir: out }
state_dir: state
limits: { reject_rate: 0.5, threads: THREADS }
`;

async function loadWith(threads: number): Promise<{ snap: Snapshot; inputs: unknown[] }> {
  const dir = copyFixture('mini');
  const file = writePipeline(dir, PIPELINE.replace('THREADS', String(threads)));
  const outcome = await runFile(file, { overrides: ['stages=[ingest]'] });
  return { snap: await snapshot(dir), inputs: outcome.manifest.inputs };
}

describe('ingest: sources loading side by side', () => {
  it('gives the warehouse the same rows, rejects and accounting as loading one by one', async () => {
    const serial = await loadWith(1);
    const sideBySide = await loadWith(2);
    expect(sideBySide.snap).toEqual(serial.snap);
    expect(sideBySide.inputs).toEqual(serial.inputs);
    // Both shops landed in the one staging table, each under its own source name.
    const sources = new Set((sideBySide.snap.orders as { source: string }[]).map((r) => r.source));
    expect([...sources].sort()).toEqual(['outlet', 'shop']);
    expect(sideBySide.snap.orders.length).toBeGreaterThan(0);
  });

  it('reports the failing source that comes first in the pipeline file, whichever failed first', async () => {
    const dir = copyFixture('mini');
    const file = writePipeline(dir, PIPELINE.replace('THREADS', '2'));
    // Both broken; the small customers file is read after the larger order files, yet its error is the one raised.
    const error = await runFile(file, { overrides: ['stages=[ingest]', 'sources[0].columns.email=Mail', 'sources[2].columns.status=State'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/sources\[0\]\.columns\.email: column "Mail" is not in customers\.csv/);
  });
});
