import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWith } from '../../src/generate/index.js';
import {
  isCompleted, isoDay, linePerson, listFiles, readTable, type GeneratedRun, readGeneratedRun,
} from './read-back.js';

const dir = mkdtempSync(join(tmpdir(), 'cra-gen-planted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const END = isoDay('2024-06-30');

let truth: GeneratedRun['truth'], ids: GeneratedRun['ids'], persons: GeneratedRun['persons'], personRow: GeneratedRun['personRow'], calls: GeneratedRun['calls'], lines: GeneratedRun['lines'];

beforeAll(async () => {
  await generateWith({ outDir: dir, customers: 2000, seed: 42, days: 730 }, undefined, { workers: 0 });
  ({ truth, ids, persons, personRow, calls, lines } = readGeneratedRun(dir));
});

describe('planted association rules', () => {
  it('have the recorded counts on the written orders and a lift near 5', () => {
    const baskets = new Map<string, Set<string>>();
    for (const l of lines) {
      if (!isCompleted(l.status) || l.qty <= 0) continue;
      const set = baskets.get(l.invoice) ?? new Set<string>();
      set.add(l.sku);
      baskets.set(l.invoice, set);
    }
    expect(truth.affinities.length).toBeGreaterThanOrEqual(2);
    for (const rule of truth.affinities) {
      const [a, b] = rule.antecedent;
      let ab = 0;
      let c = 0;
      let abc = 0;
      for (const items of baskets.values()) {
        const hasAb = items.has(a) && items.has(b);
        const hasC = items.has(rule.consequent);
        ab += Number(hasAb);
        c += Number(hasC);
        abc += Number(hasAb && hasC);
      }
      expect([ab, c, abc, baskets.size]).toEqual([rule.antecedent_count, rule.consequent_count, rule.count, rule.transactions]);
      const lift = abc / ab / (c / baskets.size);
      expect(rule.planted_lift).toBeCloseTo(lift, 3);
      expect(lift).toBeGreaterThan(4);
      expect(lift).toBeLessThan(6);
      expect(abc / baskets.size).toBeGreaterThanOrEqual(0.002);
      expect(abc / ab).toBeGreaterThanOrEqual(0.5);
    }
  });
});

describe('planted anomalies', () => {
  it('are about 1 % of persons, and each shows in the rows as described', () => {
    const n = truth.anomalies.length;
    expect(n / truth.customers).toBeGreaterThan(0.003);
    expect(n / truth.customers).toBeLessThan(0.02);
    const orders = new Map<string, { day: number; value: number; sale: boolean; returned: boolean }[]>();
    const byInvoice = new Map<string, { person: string; day: number; value: number; sale: boolean; returned: boolean }>();
    for (const l of lines) {
      const person = linePerson(ids, l);
      if (!person) continue;
      const o = byInvoice.get(l.invoice) ?? { person, day: l.day, value: 0, sale: isCompleted(l.status) && l.qty > 0, returned: l.qty < 0 };
      o.value += l.qty * l.price - l.discount;
      byInvoice.set(l.invoice, o);
    }
    for (const o of byInvoice.values()) orders.set(o.person, [...(orders.get(o.person) ?? []), o]);
    const complaintsLast60 = new Map<string, number>();
    for (const r of calls.rows) {
      const person = ids.get(`calls|phone|${r[2]!.trim()}`);
      const [d, m, y] = r[1]!.slice(0, 10).split('.').map(Number);
      const day = Date.UTC(y!, m! - 1, d!) / 86_400_000;
      if (person && r[6]!.toLowerCase() === 'complaint' && day > END - 60) complaintsLast60.set(person, (complaintsLast60.get(person) ?? 0) + 1);
    }
    const kinds = new Set<string>();
    for (const a of truth.anomalies) {
      kinds.add(a.kind);
      const mine = orders.get(a.person_id) ?? [];
      const recent = mine.filter((o) => o.day > END - 90);
      const sales = (xs: typeof mine) => xs.filter((o) => o.sale);
      const mean = (xs: typeof mine) => xs.reduce((s, o) => s + o.value, 0) / Math.max(1, xs.length);
      const before = sales(mine.filter((o) => o.day <= END - 90));
      switch (a.kind) {
        case 'spend_collapse':
          expect(sales(recent).length, a.person_id).toBeGreaterThanOrEqual(2);
          expect(mean(sales(recent)), a.person_id).toBeLessThan(0.1 * mean(before));
          break;
        case 'return_spike': {
          const bought = sales(recent).reduce((s, o) => s + o.value, 0);
          const returned = -recent.filter((o) => o.returned).reduce((s, o) => s + o.value, 0);
          expect(returned, a.person_id).toBeGreaterThan(0.5 * bought);
          break;
        }
        case 'order_value_outlier': {
          const values = sales(mine).map((o) => o.value).sort((x, y) => x - y);
          const median = values[Math.floor(values.length / 2)]!;
          expect(Math.max(...sales(recent).map((o) => o.value)), a.person_id).toBeGreaterThan(8 * median);
          break;
        }
        case 'service_escalation':
          expect(complaintsLast60.get(a.person_id) ?? 0, a.person_id).toBeGreaterThanOrEqual(5);
          break;
        default:
          throw new Error(`unknown anomaly kind ${a.kind}`);
      }
      expect(personRow.get(a.person_id)![persons.col('anomaly_kind')]).toBe(a.kind);
      expect(personRow.get(a.person_id)![persons.col('churned_at')]).toBe('');
    }
    expect(kinds.size).toBe(4);
  });
});

describe('planted churn drivers', () => {
  it('show as complaint calls and falling email engagement in the 90 days before the stop', () => {
    const churned = persons.rows.filter((r) => r[persons.col('churned_at')]);
    expect(churned.length).toBeGreaterThan(40);
    const complaintDays = new Map<string, number[]>();
    for (const r of calls.rows) {
      const person = ids.get(`calls|phone|${r[2]!.trim()}`);
      if (!person || r[6]!.toLowerCase() !== 'complaint') continue;
      const [d, m, y] = r[1]!.slice(0, 10).split('.').map(Number);
      complaintDays.set(person, [...(complaintDays.get(person) ?? []), Date.UTC(y!, m! - 1, d!) / 86_400_000]);
    }
    const engaged = new Map<string, number[]>();
    for (const f of listFiles(dir, 'email')) {
      const t = readTable(f);
      for (const r of t.rows) {
        if (!/^(open|opened|click|clicked)$/i.test(r[4]!)) continue;
        const person = ids.get(`email|email|${r[2]!.trim()}`)!;
        engaged.set(person, [...(engaged.get(person) ?? []), isoDay(r[1]!)]);
      }
    }
    const inRange = (xs: number[] | undefined, lo: number, hi: number) => (xs ?? []).filter((d) => d > lo && d <= hi).length;
    let complainers = 0;
    let withCall = 0;
    let recent = 0;
    let previous = 0;
    for (const r of churned) {
      const stop = isoDay(r[persons.col('churned_at')]!);
      const driver = r[persons.col('churn_driver')]!;
      if (driver === 'complaints' || driver === 'both') {
        complainers++;
        if (inRange(complaintDays.get(r[0]!), stop - 91, stop + 1) > 0) withCall++;
      }
      if (driver === 'disengagement' || driver === 'both') {
        recent += inRange(engaged.get(r[0]!), stop - 90, stop);
        previous += inRange(engaged.get(r[0]!), stop - 180, stop - 90);
      }
    }
    // Withheld numbers and calls put through the switchboard hide some complaint calls.
    expect(withCall / complainers).toBeGreaterThan(0.75);
    expect(previous).toBeGreaterThan(20);
    expect(recent).toBeLessThan(0.35 * previous);
  });
});
