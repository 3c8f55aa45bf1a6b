/**
 * The segments stage on hand-made data. The transform (SQL) against numbers worked out by hand: median
 * imputation, skewness 16/√80 ≈ 1.789 > 1 on non-negative values → log1p with z = −1/√5 and √5, no log for a
 * negative feature with the same shape, quantile clipping, a constant feature scaled by 1; then the stage on
 * twelve buyers in three obvious groups (exact membership, profile sums, opt-out left out) and its refusals: an
 * unknown, repeated or non-numeric feature is a UsageError naming segments.features[i]; fewer buyers than k, or
 * a feature nobody has, is a StageSkip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { StageSkip, UsageError } from '../../src/errors.js';
import { fitTransform, readMatrix, type TransformMode } from '../../src/stages/segments/transform.js';
import { runSegments, segmentOf, segmentsPipeline } from './segments-harness.js';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

/** Puts columns (NULL = null) into int_segment_raw and their names into int_segment_feature_names. */
async function rawTable(columns: Record<string, (number | null)[]>): Promise<void> {
  const names = Object.keys(columns);
  await db.run('CREATE OR REPLACE TEMP TABLE int_segment_raw (row_id BIGINT, feature_index INTEGER, value DOUBLE)');
  await db.run('CREATE OR REPLACE TEMP TABLE int_segment_feature_names (feature_index INTEGER, feature VARCHAR)');
  await db.appendRows('int_segment_raw', names.flatMap((name, t) => columns[name]!.map((v, i) => [i, t, v])));
  await db.appendRows('int_segment_feature_names', names.map((name, t) => [t, name]));
}

async function transform(mode: TransformMode, winsor: [number, number], columns: Record<string, (number | null)[]>) {
  await rawTable(columns);
  const params = await fitTransform(db, mode, winsor);
  const n = Object.values(columns)[0]!.length;
  const d = params.length;
  const x = await readMatrix(db, n, d);
  const column = (t: number): number[] => Array.from({ length: n }, (_, i) => x[i * d + t]!);
  return { params, column };
}

const close = (actual: number[], expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 9));
};

describe('segments transform (SQL) against hand-computed values', () => {
  it('auto: imputes the median, takes log1p of a skewed non-negative feature and standardises', async () => {
    const { params, column } = await transform('auto', [0, 1], {
      spend: [0, 0, 0, 0, 8, null], balance: [-1, -1, -1, -1, 7, -1], constant: [5, 5, 5, 5, 5, 5],
    });
    const [spend, balance, constant] = params;
    // spend imputed [0,0,0,0,8,0]: mean 4/3, m2 = 80/9, m3 = 1280/27 → skewness 16/√80.
    expect(spend).toMatchObject({ feature: 'spend', rows: 6, present: 5, median: 0, lo: 0, hi: 8, log: true });
    expect(spend!.skewness).toBeCloseTo(16 / Math.sqrt(80), 9);
    // log1p → [0,0,0,0,ln 9,0]: mean ln9/6, sd ln9·√5/6 → z = −1/√5 for the zeros, √5 for the 8.
    expect(spend!.center).toBeCloseTo(Math.log(9) / 6, 10);
    expect(spend!.scale).toBeCloseTo((Math.log(9) * Math.sqrt(5)) / 6, 10);
    const a = -1 / Math.sqrt(5), b = Math.sqrt(5);
    close(column(0), [a, a, a, a, b, a]);
    // The same shape shifted below zero: skewed, but never logged; z-scores of the raw values.
    expect(balance).toMatchObject({ log: false, center: expect.closeTo(1 / 3, 10), scale: expect.closeTo(Math.sqrt(80 / 9), 10) });
    expect(balance!.skewness).toBeCloseTo(16 / Math.sqrt(80), 9);
    close(column(1), [a, a, a, a, b, a]);
    // A constant: no skewness, scale 1 so it contributes 0 instead of NaN.
    expect(constant).toMatchObject({ skewness: null, log: false, center: 5, scale: 1 });
    close(column(2), [0, 0, 0, 0, 0, 0]);
  });

  it('auto: clips to the winsor quantiles (linear interpolation) before anything else', async () => {
    const { params, column } = await transform('auto', [0.2, 0.8], { visits: [10, 20, 30, 40, 50, 1000] });
    // positions 0.2·5 = 1 and 0.8·5 = 4 → bounds 20 and 50; clipped [20,20,30,40,50,50] is symmetric: skewness 0.
    expect(params[0]).toMatchObject({ lo: 20, hi: 50, skewness: 0, log: false, center: 35 });
    const sd = Math.sqrt(950 / 6);
    expect(params[0]!.scale).toBeCloseTo(sd, 9);
    close(column(0), [-15, -15, -5, 5, 15, 15].map((v) => v / sd));
  });

  it('standardise: z-scores only; none: the imputed raw values', async () => {
    const s = await transform('standardise', [0.01, 0.99], { spend: [0, 0, 0, 0, 8, null] });
    expect(s.params[0]).toMatchObject({ lo: null, hi: null, log: false });
    close(s.column(0), [0, 0, 0, 0, 8, 0].map((v) => (v - 4 / 3) / Math.sqrt(80 / 9)));
    const none = await transform('none', [0.01, 0.99], { spend: [0, 0, 0, 0, 8, null] });
    expect(none.params[0]).toMatchObject({ center: 0, scale: 1, log: false });
    close(none.column(0), [0, 0, 0, 0, 8, 0]);
  });
});

/** Buyers as [key, frequency, recency_days, monetary, opted out]; non-buyers have frequency 0. */
async function customers(rows: [string, number, number, number, boolean?][]): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE out_customer_features (customer_key VARCHAR, frequency INTEGER, recency_days INTEGER,
                  monetary DOUBLE, avg_csat DOUBLE, unsubscribed BOOLEAN)`);
  await db.run('CREATE OR REPLACE TEMP TABLE out_customer_value (customer_key VARCHAR, revenue DOUBLE, net_contribution DOUBLE, clv DOUBLE, rfm_code VARCHAR)');
  await db.run('CREATE OR REPLACE TEMP TABLE out_customers (customer_key VARCHAR, profiling_opt_out BOOLEAN)');
  await db.appendRows('out_customer_features', rows.map(([k, f, r, m]) => [k, f, r, m, null, null]));
  await db.appendRows('out_customer_value', rows.filter((r) => r[1] > 0).map(([k, , , m]) => [k, m, m / 2, null, '555']));
  await db.appendRows('out_customers', rows.map(([k, , , , o]) => [k, o ? 'true' : 'false']));
}

// Three tight groups of four: lapsed one-timers, recent mid spenders, frequent big spenders; K13 opted out,
// K14 never bought.
const GROUPS: [string, number, number, number, boolean?][] = [
  ['K01', 1, 500, 20], ['K02', 1, 520, 22], ['K03', 1, 480, 18], ['K04', 1, 510, 21],
  ['K05', 4, 30, 400], ['K06', 5, 35, 420], ['K07', 4, 28, 380], ['K08', 5, 32, 410],
  ['K09', 20, 10, 9000], ['K10', 22, 12, 9500], ['K11', 21, 9, 8800], ['K12', 19, 11, 9200],
  ['K13', 20, 10, 9100, true], ['K14', 0, 0, 0],
];

describe('segments stage on hand-made buyers', () => {
  it('finds the three groups, leaves out the opt-out and non-buyers, and profiles add up', async () => {
    await customers(GROUPS);
    const { result, ctx } = await runSegments(db, segmentsPipeline(), ['segments.k=3']);
    expect(result).toMatchObject({ tables: expect.arrayContaining(['customer_segments', 'segment_profiles', 'model_metrics']), rowsOut: 12 });
    const of = await segmentOf(db);
    expect([...of.keys()].sort()).toEqual(GROUPS.slice(0, 12).map((g) => g[0]));
    for (const group of [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]) {
      expect(new Set(group.map((i) => of.get(`K${String(i).padStart(2, '0')}`))).size).toBe(1);
    }
    expect(new Set(of.values())).toEqual(new Set([1, 2, 3]));
    const profiles = await db.all<{ segment_name: string; customers: number; revenue: number; revenue_share: number; frequency: number }>(
      'SELECT * FROM out_segment_profiles ORDER BY segment_id');
    expect(profiles.map((p) => p.customers)).toEqual([4, 4, 4]);
    expect(profiles.reduce((s, p) => s + p.revenue_share, 0)).toBeCloseTo(1, 12);
    const big = profiles.find((p) => p.frequency === 20.5)!;
    expect(big.revenue).toBe(9000 + 9500 + 8800 + 9200);
    expect(profiles.find((p) => p.frequency === 1)!.segment_name).toMatch(/one-time/);
    expect(ctx.models.segments).toMatchObject({ k: 3, k_choice: 'fixed', buyers: 12 });
    expect(Number(await db.value(`SELECT value FROM out_model_metrics WHERE metric = 'buyers_profiling_opt_out'`))).toBe(1);
  });

  it('rejects an unknown, repeated or non-numeric feature with the key path and the valid names', async () => {
    await customers(GROUPS);
    const file = segmentsPipeline();
    const error = await runSegments(db, file, ['segments.features=[frequency, recency]']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/pipeline\.yaml: segments\.features\[1\]: "recency" is not a numeric column.*valid features: .*recency_days/);
    expect((error as Error).message).toContain('net_contribution');
    await expect(runSegments(db, file, ['segments.features=[monetary, frequency, monetary]'])).rejects.toThrow(/yaml: segments\.features\[2\]: "monetary" is listed twice/);
    await expect(runSegments(db, file, ['segments.features=[rfm_code]'])).rejects.toThrow(/yaml: segments\.features\[0\]: "rfm_code" is not a numeric column/);
  });

  it('skips when there are fewer buyers than k, or when no buyer has a feature', async () => {
    await customers(GROUPS.slice(0, 3));
    const file = segmentsPipeline();
    await expect(runSegments(db, file, ['segments.k=4'])).rejects.toThrow(StageSkip);
    await expect(runSegments(db, file, ['segments.k_range=[4, 6]'])).rejects.toThrow(/3 buyers to segment .*fewer than k = 4/);
    await customers(GROUPS);
    await expect(runSegments(db, file, ['segments.features=[monetary, avg_csat]', 'segments.k=2'])).rejects.toThrow(/segments\.features\[1\] \(avg_csat\) has no value/);
  });
});
