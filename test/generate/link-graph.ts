/**
 * Test helper: the identity graph an ideal §4 identity stage could build from a generated export set, using
 * only the identifiers it links on — lower-cased trimmed emails, phones normalised to E.164 (GB default), shop
 * customer ids across the shop+web id space and visitor ids within web — with the junk identifiers left out.
 * Each written source identity (as truth_identities.csv keys it) becomes a node joined to the identifiers
 * its rows carry; `unlinked` counts identities that are not in their person's largest component.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { decodeCp1252, listFiles, readIdentityMap, readTable } from './read-back.js';

const JUNK = new Set(['email:test@test.com', 'phone:+442079460000']);

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

const emailKey = (e: string): string => `email:${e.trim().toLowerCase()}`;
function phoneKey(p: string): string {
  const n = parsePhoneNumberFromString(p.trim(), 'GB');
  return n ? `phone:${n.number}` : `phone-raw:${p.trim()}`;
}

export interface Linkability {
  identities: number;
  /** Identities of a person outside that person's largest component, by "source|id_type". */
  unlinked: number;
  byKind: Map<string, number>;
  examples: string[];
}

export function linkability(dir: string): Linkability {
  const uf = new UnionFind();
  const link = (identity: string, keys: string[]): void => {
    for (const k of keys) if (!JUNK.has(k)) uf.union(`id:${identity}`, k);
  };
  const crm = readTable(join(dir, 'crm_customers.csv'));
  for (const r of crm.rows) {
    const keys: string[] = [];
    if (r[crm.col('email')]) keys.push(emailKey(r[crm.col('email')]!));
    if (r[crm.col('phone')]) keys.push(phoneKey(r[crm.col('phone')]!));
    link(`crm|customer_id|${r[crm.col('customer_ref')]!.trim()}`, keys);
  }
  for (const f of listFiles(dir, 'orders')) {
    const t = readTable(f);
    const [ci, ei, pi] = [t.col('CustomerID'), t.col('Email'), t.header.indexOf('Phone')];
    for (const r of t.rows) {
      const [id, email, phone] = [r[ci]!.trim(), r[ei]!.trim(), (pi >= 0 ? r[pi]! : '').trim()];
      const identity = id ? `shop|customer_id|${id}` : email ? `shop|email|${email}` : '';
      if (!identity) continue;
      link(identity, [...(id ? [`shop:${id}`] : []), ...(email ? [emailKey(email)] : []), ...(phone ? [phoneKey(phone)] : [])]);
    }
  }
  for (const f of listFiles(dir, 'sessions')) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line) continue;
      const s = JSON.parse(line) as { account: string | null; visitor: string; email?: string };
      const identity = s.account ? `web|customer_id|${s.account.trim()}` : s.email ? `web|email|${s.email.trim()}` : `web|visitor_id|${s.visitor.trim()}`;
      link(identity, [...(s.account ? [`shop:${s.account.trim()}`] : []), `visitor:${s.visitor.trim()}`, ...(s.email ? [emailKey(s.email)] : [])]);
    }
  }
  for (const f of listFiles(dir, 'email')) {
    const t = readTable(f);
    for (const r of t.rows) link(`email|email|${r[t.col('recipient')]!.trim()}`, [emailKey(r[t.col('recipient')]!)]);
  }
  const calls = readTable('calls', ';', decodeCp1252(readFileSync(join(dir, 'calls/phone_calls.csv'))));
  for (const r of calls.rows) {
    const n = r[calls.col('Number')]!.trim();
    if (n) link(`calls|phone|${n}`, [phoneKey(n)]);
  }
  const byPerson = new Map<string, string[]>();
  for (const [key, person] of readIdentityMap(dir)) {
    if (!person) continue;
    const list = byPerson.get(person) ?? [];
    list.push(key);
    byPerson.set(person, list);
  }
  const out: Linkability = { identities: 0, unlinked: 0, byKind: new Map(), examples: [] };
  for (const [person, keys] of byPerson) {
    const size = new Map<string, number>();
    const roots = keys.map((k) => uf.find(`id:${k}`));
    for (const r of roots) size.set(r, (size.get(r) ?? 0) + 1);
    const main = [...size].sort((a, b) => b[1] - a[1])[0]![0];
    out.identities += keys.length;
    keys.forEach((k, i) => {
      if (roots[i] === main) return;
      out.unlinked++;
      const kind = k.split('|').slice(0, 2).join('|');
      out.byKind.set(kind, (out.byKind.get(kind) ?? 0) + 1);
      if (out.examples.length < 20) out.examples.push(`${person} ${k}`);
    });
  }
  return out;
}
