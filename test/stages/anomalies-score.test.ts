/**
 * The anomalies scoring and publishing models on hand-computed cases: int_anomaly_scores.sql (robust z from the peer
 * group's median and MAD, the fallback to all customers for a small group, the scale floor, the alarming side)
 * and marts/anomalies.sql (caps per metric and in total, rank by |score|). Runs on a bare in-memory DuckDB with a
 * hand-written int_anomaly_deviations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';

type Score = { customer_key: string; metric: string; compared_with: string; center: number; spread: number; score: number; flagged: boolean };

// [customer, peer_group, metric, deviation, direction, scale_floor]
const DEVIATIONS: [string, string, string, number, number, number][] = [
  // m1, segment 1 (5 peers): median 3, |d − 3| = 2 1 0 1 7 → MAD 1.
  ['a1', 'segment 1', 'm1', 1, 1, 0.1], ['a2', 'segment 1', 'm1', 2, 1, 0.1], ['a3', 'segment 1', 'm1', 3, 1, 0.1],
  ['a4', 'segment 1', 'm1', 4, 1, 0.1], ['a5', 'segment 1', 'm1', 10, 1, 0.1],
  // m1, segment 2 (2 peers < min_peers 3): all seven of m1 → sorted 0 1 2 3 4 5 10, median 3, |d − 3| sorted 0 1 1 2 2 3 7 → MAD 2.
  ['b1', 'segment 2', 'm1', 0, 1, 0.1], ['b2', 'segment 2', 'm1', 5, 1, 0.1],
  // m2: median 0, MAD 0 → the floor 1 is the scale.
  ['c1', 'all', 'm2', 0, 1, 1], ['c2', 'all', 'm2', 0, 1, 1], ['c3', 'all', 'm2', 0, 1, 1], ['c4', 'all', 'm2', 0, 1, 1],
  ['c5', 'all', 'm2', 4, 1, 1], ['c6', 'all', 'm2', 5, 1, 1],
  // m3 (a fall is alarming): median 0, |d| sorted 0 0.05 0.1 0.1 2 → MAD 0.1, 1.4826 × 0.1 above the floor 0.1.
  ['d1', 'all', 'm3', 0, -1, 0.1], ['d2', 'all', 'm3', 0.1, -1, 0.1], ['d3', 'all', 'm3', -0.1, -1, 0.1],
  ['d4', 'all', 'm3', 0.05, -1, 0.1], ['d5', 'all', 'm3', -2, -1, 0.1],
];

let db: Database;
let scores = new Map<string, Score>();

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.run(`CREATE TEMP TABLE int_anomaly_deviations (customer_key VARCHAR, peer_group VARCHAR, metric VARCHAR, value DOUBLE,
                expected DOUBLE, deviation DOUBLE, direction INTEGER, scale_floor DOUBLE, explanation VARCHAR)`);
  await db.appendRows('int_anomaly_deviations', DEVIATIONS.map(([k, g, m, d, dir, floor]) => [k, g, m, d, 0, d, dir, floor, `${k} ${m}`]));
  await db.runFile('intermediate/int_anomaly_scores.sql', { min_peers: 3, threshold: 3.5 });
  const rows = await db.all<Score>('SELECT customer_key, metric, compared_with, center, spread, score, flagged FROM int_anomaly_scores');
  scores = new Map(rows.map((r) => [r.customer_key, r]));
});
afterAll(() => db.close());

describe('robust anomaly score', () => {
  it('is (deviation − peer median) / (1.4826 × peer MAD)', () => {
    const a5 = scores.get('a5')!;
    expect([a5.compared_with, a5.center, a5.spread]).toEqual(['segment 1', 3, 1]);
    expect(a5.score).toBeCloseTo(7 / 1.4826, 12);
    expect(a5.flagged).toBe(true);
    expect(scores.get('a1')!.score).toBeCloseTo(-2 / 1.4826, 12);
    expect(scores.get('a1')!.flagged).toBe(false);
  });

  it('compares a peer group smaller than min_peers with everyone', () => {
    const b2 = scores.get('b2')!;
    expect([b2.compared_with, b2.center, b2.spread]).toEqual(['all', 3, 2]);
    expect(b2.score).toBeCloseTo(2 / (1.4826 * 2), 12);
    expect(scores.get('b1')!.score).toBeCloseTo(-3 / (1.4826 * 2), 12);
  });

  it('never divides by less than the floor', () => {
    expect(scores.get('c5')!.spread).toBe(0);
    expect([scores.get('c5')!.score, scores.get('c6')!.score, scores.get('c1')!.score]).toEqual([4, 5, 0]);
  });

  it('flags only on the alarming side', () => {
    const d5 = scores.get('d5')!;
    expect(d5.score).toBeCloseTo(-2 / 0.14826, 9);
    expect(d5.flagged).toBe(true);
    expect(scores.get('d2')!.score).toBeCloseTo(0.1 / 0.14826, 9);
    expect(DEVIATIONS.filter(([k]) => scores.get(k)!.flagged).map(([k]) => k).sort()).toEqual(['a5', 'c5', 'c6', 'd5']);
  });

  it('publishes the strongest, capped per metric and in total, ranked by |score|', async () => {
    await db.runFile('marts/anomalies.sql', { max_per_metric: 1, max_total: 10 });
    const capped = await db.all<{ customer_key: string; rank: number; peer_group: string }>('SELECT customer_key, "rank", peer_group FROM out_anomalies ORDER BY "rank"');
    // Per metric the strongest: d5 (13.49), c6 (5; c5 is cut), a5 (4.72).
    expect(capped.map((r) => [r.customer_key, r.rank, r.peer_group])).toEqual([['d5', 1, 'all'], ['c6', 2, 'all'], ['a5', 3, 'segment 1']]);
    await db.runFile('marts/anomalies.sql', { max_per_metric: 10, max_total: 2 });
    expect((await db.all('SELECT customer_key FROM out_anomalies ORDER BY "rank"')).map((r) => r.customer_key)).toEqual(['d5', 'c6']);
  });
});
