import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, generateWith, type GenerateSummary } from '../../src/generate/index.js';
import { ORDER_HEADER } from '../../src/generate/files.js';
import { parseCsv } from './read-back.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(walk(dir).sort().map((p) => [relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex')]));
}

const root = mkdtempSync(join(tmpdir(), 'cra-gen-'));
const out = (name: string): string => join(root, name);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cra generate', () => {
  let summary: GenerateSummary;
  beforeAll(async () => {
    summary = await generateWith({ outDir: out('a'), customers: 2000, seed: 42, days: 730 }, undefined, { workers: 0 });
    await generateWith({ outDir: out('b'), customers: 2000, seed: 42, days: 730 }, undefined, { workers: 2 });
    await generate({ outDir: out('s42'), customers: 300, seed: 42, days: 730 });
    await generate({ outDir: out('s43'), customers: 300, seed: 43, days: 730 });
  });

  it('writes byte-identical files for the same options, whatever the number of worker threads', () => {
    const a = hashes(out('a'));
    expect(Object.keys(a).length).toBeGreaterThan(70);
    expect(hashes(out('b'))).toEqual(a);
  });

  it('writes different data for a different seed', () => {
    const a = hashes(out('s42'));
    const b = hashes(out('s43'));
    for (const f of ['crm_customers.csv', 'orders/orders_2024-03.csv', 'calls/phone_calls.csv', 'truth_persons.csv']) {
      expect(b[f], f).not.toBe(a[f]);
    }
  });

  it('writes every export of the brief, one file per month for the monthly channels, and stays a few MB', () => {
    const files = Object.keys(hashes(out('a')));
    const months = files.filter((f) => f.startsWith('orders/')).map((f) => f.slice(14, 21));
    expect(months[0]).toBe('2022-07');
    expect(months[months.length - 1]).toBe('2024-06');
    expect(months).toHaveLength(24);
    for (const m of months) {
      expect(files).toContain(`sessions/sessions_${m}.ndjson`);
      expect(files).toContain(`email/email_events_${m}.csv`);
    }
    for (const f of ['crm_customers.csv', 'products.csv', 'calls/phone_calls.csv', 'truth.json', 'truth_identities.csv', 'truth_persons.csv', 'pipeline.yaml']) {
      expect(files).toContain(f);
    }
    const bytes = walk(out('a')).reduce((s, p) => s + statSync(p).size, 0);
    expect(bytes).toBeLessThan(30e6);
    expect(summary.persons).toBe(2000);
    expect(summary.files.map((f) => f.path).sort()).toEqual(files.sort());
  });

  it('reports in truth.json the data rows, duplicate rows and reject rows each file really has', () => {
    const dir = out('a');
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
      files: { path: string; rows: number; duplicate_rows: number; reject_rows: number }[];
    };
    const lines = (p: string): string[] => readFileSync(join(dir, p), 'latin1').split('\n').slice(0, -1);
    let prev: Set<string> | null = null;
    let totalDup = 0;
    let totalReject = 0;
    for (const f of truth.files) {
      const all = lines(f.path);
      const hasHeader = !f.path.endsWith('.ndjson');
      expect(f.rows, f.path).toBe(all.length - (hasHeader ? 1 : 0));
      const summaryRows = summary.files.find((s) => s.path === f.path)?.rows;
      expect(summaryRows, f.path).toBe(f.rows);
      if (!f.path.startsWith('orders/')) {
        expect(f.duplicate_rows + f.reject_rows, f.path).toBe(0);
        continue;
      }
      expect(all[0]).toBe(ORDER_HEADER);
      const data = all.slice(1);
      // Duplicates: lines repeated from the previous month's file (that month's last two days).
      const dups = prev ? data.filter((l) => prev!.has(l)).length : 0;
      expect(f.duplicate_rows, f.path).toBe(dups);
      const [qty, price] = [ORDER_HEADER.split(',').indexOf('Quantity'), ORDER_HEADER.split(',').indexOf('UnitPrice')];
      const rejects = parseCsv(data.join('\n') + '\n').filter((r) => !/^-?\d+$/.test(r[qty]!) || !/^\d+\.\d\d$/.test(r[price]!)).length;
      expect(f.reject_rows, f.path).toBe(rejects);
      totalDup += dups;
      totalReject += rejects;
      prev = new Set(data);
    }
    const orderRows = truth.files.filter((f) => f.path.startsWith('orders/')).reduce((s, f) => s + f.rows, 0);
    expect(totalDup / orderRows).toBeGreaterThan(0.02);
    // About 0.1 % of rows cannot be parsed.
    expect(totalReject / orderRows).toBeGreaterThan(0.0003);
    expect(totalReject / orderRows).toBeLessThan(0.003);
  });

  it('writes ASCII where it promises ASCII and valid UTF-8 elsewhere', () => {
    const dir = out('a');
    for (const p of walk(dir)) {
      const rel = relative(dir, p);
      const bytes = readFileSync(p);
      if (/^(orders|sessions|email)\//.test(rel) || rel === 'truth_identities.csv') {
        expect(bytes.some((b) => b >= 0x80), rel).toBe(false);
      } else if (rel !== 'calls/phone_calls.csv') {
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), rel).not.toThrow();
      }
    }
    const crm = readFileSync(join(dir, 'crm_customers.csv'), 'utf8');
    expect(crm).toMatch(/[éëâïñüÖØ’]/);
  });

  it('writes a pipeline.yaml whose sources match the files and columns beside it', () => {
    const dir = out('a');
    const text = readFileSync(join(dir, 'pipeline.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# Generated by `cra generate` (seed 42, 2000 customers). Runs on the files beside it.');
    const doc = parse(text, { version: '1.2', schema: 'core' }) as {
      name: string;
      as_of: string;
      sources: { channel: string; name: string; path: string; columns: Record<string, string>; csv?: { delimiter?: string } }[];
    };
    expect(doc.name).toBe('generated');
    expect(String(doc.as_of)).toBe('2024-06-30');
    expect(doc.sources.map((s) => `${s.channel}:${s.name}`)).toEqual([
      'customers:crm', 'products:catalogue', 'web_orders:shop', 'web_sessions:web', 'email_events:email', 'phone_calls:calls',
    ]);
    const files = walk(dir).map((p) => relative(dir, p));
    for (const s of doc.sources) {
      const re = new RegExp(`^${s.path.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
      const matched = files.filter((f) => re.test(f));
      expect(matched.length, s.path).toBeGreaterThan(0);
      const first = readFileSync(join(dir, matched[0]!), 'latin1').split('\n')[0]!;
      const columns = first.startsWith('{') ? Object.keys(JSON.parse(first) as object) : first.split(s.csv?.delimiter ?? ',');
      for (const [canonical, column] of Object.entries(s.columns)) expect(columns, `${s.name}.${canonical}`).toContain(column);
    }
  });
});

describe('cra generate into a folder used before', () => {
  it('removes monthly files the new span does not have, and nothing else', async () => {
    const dir = out('reuse');
    await generate({ outDir: dir, customers: 50, seed: 1, days: 800 });
    const before = walk(dir).filter((p) => p.includes('2022-04'));
    expect(before.length).toBe(3);
    await generate({ outDir: dir, customers: 50, seed: 1, days: 400 });
    const files = walk(dir).map((p) => relative(dir, p));
    expect(files.filter((f) => f.startsWith('orders/'))).toHaveLength(14);
    expect(files.some((f) => f.includes('2022-04'))).toBe(false);
  });
});
