/**
 * Shared set-up of the report tests: a generated export set (optionally with hostile values planted in it), run
 * through the whole pipeline in-process, and the paths of what it published. Each test file calls it once in
 * beforeAll, in its own temp folder.
 */
import { appendFileSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { generate } from '../../src/generate/index.js';
import { runFile, tempDir } from '../helpers.js';

export const XSS_SCRIPT = '<script>alert(1)</script>';
export const XSS_IMG = '<img src=x onerror=alert(1)>';
/** The planted product: sold in one large order line so it tops the product charts and tables. */
export const XSS_PRODUCT_ID = 'XSS01';

/** The email on a planted order line that ingest must reject (quantity "lots"): it may live only in rejects.raw. */
export const REJECTED_EMAIL = 'rejected.row@example.com';

export interface GeneratedRun {
  dir: string;
  latest: string;
  outputRoot: string;
  manifest: Awaited<ReturnType<typeof runFile>>['manifest'];
}

/** Appends a CSV row given by column name, in the file's own header order (unknown columns left empty). */
function appendCsvRow(file: string, values: Record<string, string>): void {
  const text = readFileSync(file, 'utf8');
  const header = text.slice(0, text.indexOf('\n')).replace(/\r$/, '').split(',');
  for (const key of Object.keys(values)) if (!header.includes(key)) throw new Error(`${file}: no column ${key} (header: ${header.join(',')})`);
  appendFileSync(file, `${text.endsWith('\n') ? '' : '\n'}${header.map((h) => values[h] ?? '').join(',')}\n`);
}

/**
 * Plants hostile values: 40 CRM customers whose names and city are HTML (so the city tops the city table) and a
 * product whose name is HTML, sold in one big order line of an existing customer.
 */
export function plantXss(dir: string): void {
  const crm = path.join(dir, 'crm_customers.csv');
  for (let i = 1; i <= 40; i++) {
    appendCsvRow(crm, {
      customer_ref: `XSS${String(i).padStart(4, '0')}`, email: `xss.${i}@example.com`, first_name: XSS_SCRIPT, last_name: XSS_IMG,
      city: XSS_SCRIPT, country: 'GB', signup_date: '2023-01-01', email_opt_out: 'N', marketing_consent: 'yes', profiling_opt_out: 'false',
    });
  }
  appendCsvRow(path.join(dir, 'products.csv'), { sku: XSS_PRODUCT_ID, product_name: XSS_IMG, category: 'Kitchen', unit_cost: '1.00', list_price: '2.00' });
  const file = lastOrdersFile(dir);
  const firstRow = readFileSync(file, 'utf8').split('\n')[1] ?? '';
  const customerId = firstRow.split(',')[3] ?? '';
  appendCsvRow(file, {
    InvoiceNo: '990001', LineNo: '1', InvoiceDate: '20/06/2024 10:00', CustomerID: customerId, StockCode: XSS_PRODUCT_ID, Description: XSS_IMG,
    Quantity: '400', UnitPrice: '99.00', Discount: '0.00', Status: 'Complete', Country: 'United Kingdom', Currency: 'GBP',
  });
}

function lastOrdersFile(dir: string): string {
  const ordersDir = path.join(dir, 'orders');
  const last = readdirSync(ordersDir).filter((f) => f.endsWith('.csv')).sort().at(-1);
  if (!last) throw new Error(`${ordersDir}: no order files`);
  return path.join(ordersDir, last);
}

/** An order line with a bad quantity and an email, so rejects has a row whose raw text holds personal data. */
export function plantReject(dir: string): void {
  appendCsvRow(lastOrdersFile(dir), {
    InvoiceNo: '990002', LineNo: '1', InvoiceDate: '21/06/2024 10:00', Email: REJECTED_EMAIL, StockCode: XSS_PRODUCT_ID,
    Quantity: 'lots', UnitPrice: '1.00', Discount: '0.00', Status: 'Complete', Country: 'United Kingdom', Currency: 'GBP',
  });
}

export async function generatedRun(options: { customers?: number; seed?: number; xss?: boolean; reject?: boolean; overrides?: string[] } = {}): Promise<GeneratedRun> {
  const dir = tempDir('cra-report-');
  await generate({ outDir: dir, customers: options.customers ?? 300, seed: options.seed ?? 42, days: 730 });
  if (options.xss) plantXss(dir);
  if (options.reject) plantReject(dir);
  const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: options.overrides ?? [] });
  const outputRoot = path.join(dir, 'reports', manifest.pipeline);
  return { dir, outputRoot, latest: realpathSync(path.join(outputRoot, 'latest')), manifest };
}
