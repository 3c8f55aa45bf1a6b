/**
 * The CLV model inputs built in SQL (src/sql/intermediate/int_clv_inputs.sql) against contract §5 computed by
 * hand and by a plain JS reference: one transaction per day, only days with positive net revenue, x = repeat
 * transactions, t_x and T in weeks, m = mean of the repeat transactions, at calibration_end and at as_of, and
 * the transactions of the holdout period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/analytics/random.js';
import { Database } from '../../src/db/database.js';

type Line = [customer: string, day: string, revenue: number];
type Inputs = { x: number; t_x: number; t_age: number; m: number | null; x_cal: number | null; t_x_cal: number | null; t_age_cal: number | null; m_cal: number | null; holdout_x: number | null };

const AS_OF = '2024-06-30';
const CAL_END = '2024-03-31';
const dayNumber = (d: string): number => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
const isoDay = (n: number): string => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The reference: contract §5 written out directly. */
function reference(lines: Line[], unit: number): Map<string, Inputs> {
  const byDay = new Map<string, Map<number, number>>();
  for (const [c, d, v] of lines) {
    const days = byDay.get(c) ?? new Map<number, number>();
    days.set(dayNumber(d), (days.get(dayNumber(d)) ?? 0) + v);
    byDay.set(c, days);
  }
  const out = new Map<string, Inputs>();
  const at = (tx: [number, number][], cutoff: number) => {
    const kept = tx.filter(([d]) => d <= cutoff);
    if (kept.length === 0) return null;
    const first = kept[0]![0];
    const repeats = kept.slice(1).map(([, v]) => v);
    return {
      x: repeats.length, t_x: (kept[kept.length - 1]![0] - first) / unit, T: (cutoff - first) / unit,
      m: repeats.length ? repeats.reduce((s, v) => s + v, 0) / repeats.length : null,
    };
  };
  for (const [c, days] of byDay) {
    const tx = [...days].filter(([, v]) => Math.round(v * 1e6) / 1e6 > 0).sort((p, q) => p[0] - q[0]);
    const now = at(tx, dayNumber(AS_OF));
    if (!now) continue;
    const cal = at(tx, dayNumber(CAL_END));
    out.set(c, {
      x: now.x, t_x: now.t_x, t_age: now.T, m: now.m,
      x_cal: cal?.x ?? null, t_x_cal: cal?.t_x ?? null, t_age_cal: cal?.T ?? null, m_cal: cal?.m ?? null,
      holdout_x: cal ? tx.filter(([d]) => d > dayNumber(CAL_END) && d <= dayNumber(AS_OF)).length : null,
    });
  }
  return out;
}

let db: Database;
async function build(lines: Line[], unitDays: number): Promise<Map<string, Inputs & { customer_key: string }>> {
  await db.run('CREATE OR REPLACE TEMP TABLE int_value_lines (customer_key VARCHAR, order_day DATE, revenue DOUBLE)');
  await db.appendRows('int_value_lines', lines);
  await db.runFile('intermediate/int_clv_inputs.sql', { as_of: AS_OF, calibration_end: CAL_END, unit_days: unitDays });
  const rows = await db.all<Inputs & { customer_key: string }>('SELECT * FROM int_clv_inputs ORDER BY rid');
  return new Map(rows.map((r) => [r.customer_key, r]));
}

beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

describe('CLV inputs (x, t_x, T, m) in SQL', () => {
  it('matches a hand computation with same-day purchases, a net-zero day and a net-negative day', async () => {
    const lines: Line[] = [
      // A: two orders on 2024-01-01 are one transaction (30); 2024-01-15 nets 0 (purchase refunded the same day)
      // and is not one; 2024-02-12 (+20) and 2024-04-08 (+40, in the holdout) are.
      ['A', '2024-01-01', 10], ['A', '2024-01-01', 20], ['A', '2024-01-15', 0.1 + 0.2], ['A', '2024-01-15', -0.3],
      ['A', '2024-02-12', 20], ['A', '2024-04-08', 40],
      // B: first transaction 2024-02-05; 2024-03-04 nets −5 (a return bigger than that day's purchase).
      ['B', '2024-02-05', 15], ['B', '2024-03-04', 10], ['B', '2024-03-04', -15],
      // C: only a refund, and a purchase after as_of: no transaction at all up to as_of.
      ['C', '2024-03-01', -10], ['C', '2024-07-02', 50],
      // D: first buys in the holdout.
      ['D', '2024-05-06', 12], ['D', '2024-05-20', 8], ['D', '2024-05-20', 8],
    ];
    const got = await build(lines, 7);
    expect([...got.keys()]).toEqual(['A', 'B', 'D']);
    const a = got.get('A')!;
    // Transactions 01-01 (30), 02-12 (20), 04-08 (40). As of 06-30: x = 2, t_x = 98 d = 14 wk, T = 181 d.
    expect(a).toMatchObject({ x: 2, t_x: 14, m: 30, x_cal: 1, t_x_cal: 6, m_cal: 20, holdout_x: 1 });
    expect(a.t_age).toBeCloseTo(181 / 7, 12);
    expect(a.t_age_cal).toBeCloseTo(90 / 7, 12);
    const b = got.get('B')!;
    expect(b).toMatchObject({ x: 0, t_x: 0, m: null, x_cal: 0, t_x_cal: 0, m_cal: null, holdout_x: 0 });
    expect(b.t_age).toBeCloseTo(146 / 7, 12);
    const d = got.get('D')!;
    expect(d).toMatchObject({ x: 1, t_x: 2, m: 16, x_cal: null, t_x_cal: null, t_age_cal: null, m_cal: null, holdout_x: null });
    expect(d.t_age).toBeCloseTo(55 / 7, 12);
  });

  it('agrees with the JS reference on random histories, in weeks and in days', async () => {
    const rng = createRng(20240630);
    const lines: Line[] = [];
    const start = dayNumber('2023-01-01');
    for (let c = 0; c < 60; c++) {
      const id = `K${String(c).padStart(3, '0')}`;
      const n = 1 + rng.int(12);
      for (let k = 0; k < n; k++) {
        const day = isoDay(start + rng.int(560));
        const cents = rng.chance(0.2) ? -(100 + rng.int(5000)) : 100 + rng.int(20000);
        lines.push([id, day, cents / 100]);
        if (rng.chance(0.15)) lines.push([id, day, -cents / 100]);
      }
    }
    for (const unit of [7, 1]) {
      const want = reference(lines, unit);
      const got = await build(lines, unit);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [key, w] of want) {
        const g = got.get(key)!;
        for (const k of Object.keys(w) as (keyof Inputs)[]) {
          if (w[k] === null) expect(g[k], `${key}.${k}`).toBeNull();
          else expect(g[k], `${key}.${k}`).toBeCloseTo(w[k] as number, 9);
        }
      }
    }
  });
});
