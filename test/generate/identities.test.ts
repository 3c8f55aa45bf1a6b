import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWith } from '../../src/generate/index.js';
import {
  listFiles, readTable, type Table, type GeneratedRun, readGeneratedRun,
} from './read-back.js';
import { linkability } from './link-graph.js';

const dir = mkdtempSync(join(tmpdir(), 'cra-gen-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let truth: GeneratedRun['truth'], ids: GeneratedRun['ids'], persons: GeneratedRun['persons'], personRow: GeneratedRun['personRow'], crm: GeneratedRun['crm'], calls: GeneratedRun['calls'], lines: GeneratedRun['lines'];

beforeAll(async () => {
  await generateWith({ outDir: dir, customers: 2000, seed: 42, days: 730 }, undefined, { workers: 0 });
  ({ truth, ids, persons, personRow, crm, calls, lines } = readGeneratedRun(dir));
});

function* writtenIdentities(): Generator<[string, string]> {
  const c = (t: Table, n: string) => t.col(n);
  for (const r of crm.rows) yield [`crm|customer_id|${r[c(crm, 'customer_ref')]!.trim()}`, 'crm'];
  for (const f of listFiles(dir, 'orders')) {
    const t = readTable(f);
    for (const r of t.rows) {
      const id = r[c(t, 'CustomerID')]!.trim();
      const email = r[c(t, 'Email')]!.trim();
      if (id) yield [`shop|customer_id|${id}`, f];
      else if (email) yield [`shop|email|${email}`, f];
    }
  }
  for (const f of listFiles(dir, 'sessions')) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line) continue;
      const s = JSON.parse(line) as { account: string | null; visitor: string; email?: string };
      if (s.account) yield [`web|customer_id|${s.account.trim()}`, f];
      else yield s.email ? [`web|email|${s.email.trim()}`, f] : [`web|visitor_id|${s.visitor.trim()}`, f];
    }
  }
  for (const f of listFiles(dir, 'email')) {
    const t = readTable(f);
    for (const r of t.rows) yield [`email|email|${r[c(t, 'recipient')]!.trim()}`, f];
  }
  for (const r of calls.rows) if (r[c(calls, 'Number')]!.trim()) yield [`calls|phone|${r[c(calls, 'Number')]!.trim()}`, 'calls'];
}

const digits = (phone: string): string => {
  const d = phone.replace(/\D/g, '');
  return d.startsWith('0044') ? `0${d.slice(4)}` : d.startsWith('44') ? `0${d.slice(2)}` : d;
};

describe('truth_identities.csv', () => {
  it('lists exactly the distinct source identities written (CONTRACT §4), each once', () => {
    const written = new Set<string>();
    for (const [key] of writtenIdentities()) written.add(key);
    expect(new Set(ids.keys())).toEqual(written);
    const rows = readFileSync(join(dir, 'truth_identities.csv'), 'utf8').trim().split('\n').length - 1;
    expect(rows).toBe(ids.size);
    expect(truth.identity.source_identities).toBe(ids.size);
  });

  it('maps each identity to the person whose email, phone or ids it carries', () => {
    const crmEmail = new Map<string, string>();
    const crmPhone = new Map<string, string>();
    for (const r of crm.rows) {
      const person = ids.get(`crm|customer_id|${r[0]}`)!;
      if (r[crm.col('email')]) crmEmail.set(person, r[crm.col('email')]!);
      if (r[crm.col('phone')]) crmPhone.set(person, digits(r[crm.col('phone')]!));
    }
    const emailOf = new Map<string, string>();
    const phoneOf = new Map<string, string>();
    let checked = 0;
    for (const [key, person] of ids) {
      const [source, type, id] = key.split('|') as [string, string, string];
      if (!person) continue;
      const row = personRow.get(person)!;
      expect(row, key).toBeDefined();
      if (type === 'email') {
        const canonical = crmEmail.get(person) ?? emailOf.get(person) ?? id.toLowerCase();
        emailOf.set(person, canonical);
        expect(id.toLowerCase(), key).toBe(canonical);
        checked++;
      } else if (type === 'phone') {
        const canonical = crmPhone.get(person) ?? phoneOf.get(person) ?? digits(id);
        phoneOf.set(person, canonical);
        expect(digits(id), key).toBe(canonical);
        checked++;
      } else if (type === 'customer_id') {
        expect(id, key).toBe(source === 'crm' ? row[1] : row[2]);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('includes the junk identifiers, shared by many persons, with no person', () => {
    expect(ids.get('shop|email|test@test.com')).toBe('');
    expect(ids.get('calls|phone|020 7946 0000')).toBe('');
    for (const j of truth.identity.junk_identifiers) expect(j.persons, j.value).toBeGreaterThanOrEqual(10);
    // Account holders who typed the junk address: several different accounts share it.
    const accounts = new Set(lines.filter((l) => l.email === 'test@test.com' && l.customerId).map((l) => l.customerId));
    expect(accounts.size).toBeGreaterThanOrEqual(5);
    const names = new Set(calls.rows.filter((r) => r[2] === '020 7946 0000' && r[3]).map((r) => r[3]!.toLowerCase()));
    expect(names.size).toBeGreaterThanOrEqual(10);
  });
});

describe('planted lookalikes', () => {
  it('are different persons with the same name and city but different emails and phones', () => {
    const pairs = truth.identity.lookalike_pairs;
    expect(pairs.length).toBe(Math.floor(2000 / 250));
    const crmByRef = new Map(crm.rows.map((r) => [r[0]!, r]));
    for (const [a, b] of pairs) {
      const [pa, pb] = [personRow.get(a)!, personRow.get(b)!];
      expect([pa[3], pa[4]]).toEqual([pb[3], pb[4]]);
      const [ca, cb] = [crmByRef.get(pa[1]!)!, crmByRef.get(pb[1]!)!];
      expect(ca[crm.col('city')]).toBe(cb[crm.col('city')]);
      for (const col of ['email', 'phone']) {
        expect(ca[crm.col(col)], col).toBeTruthy();
        expect(ca[crm.col(col)]).not.toBe(cb[crm.col(col)]);
      }
    }
  });
});

describe('phones and the windows-1252 call log', () => {
  it('are valid GB numbers wherever a phone is written', () => {
    const numbers = [...crm.rows.map((r) => r[crm.col('phone')]!), ...calls.rows.map((r) => r[calls.col('Number')]!)].filter(Boolean);
    expect(numbers.length).toBeGreaterThan(2000);
    for (const n of numbers) expect(isValidPhoneNumber(n, 'GB'), n).toBe(true);
  });

  it('decodes to the caller names of the persons the numbers belong to', () => {
    const raw = readFileSync(join(dir, 'calls/phone_calls.csv'));
    expect(raw.some((b) => b >= 0x80 && b < 0xa0)).toBe(true);
    let exact = 0;
    let named = 0;
    let typographic = 0;
    for (const r of calls.rows) {
      const person = ids.get(`calls|phone|${r[2]!.trim()}`);
      const name = r[3]!;
      if (!person || !name) continue;
      const [first, last] = [personRow.get(person)![3]!, personRow.get(person)![4]!];
      const variants = [`${first} ${last}`, `${first} ${last.slice(0, -1)}`, `${first.slice(0, -1)} ${last}`].map((v) => v.toLowerCase());
      expect(variants, name).toContain(name.toLowerCase());
      named++;
      if (name === `${first} ${last}`) exact++;
      if (name.includes('’')) typographic++;
    }
    expect(exact / named).toBeGreaterThan(0.6);
    expect(typographic).toBeGreaterThan(0);
    expect(calls.rows.some((r) => /[éëâïñüØ]/.test(r[3]!))).toBe(true);
  });
});


describe('linkability', () => {
  it("puts every person's identities in one component of the email / E.164 phone / shop id / visitor id graph", () => {
    const r = linkability(dir);
    console.log(`linkability: ${r.unlinked} of ${r.identities} identities outside their person's component`, [...r.byKind], r.examples.slice(0, 5));
    expect(r.identities).toBe(ids.size - truth.identity.junk_identifiers.filter((j) => j.persons > 0).length);
    expect(r.unlinked).toBeLessThanOrEqual(0.005 * r.identities);
  });
});
