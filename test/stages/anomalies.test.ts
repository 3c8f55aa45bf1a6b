/**
 * The anomalies stage on `cra generate` data (2000 persons, seed 42) against the planted truth: each planted
 * anomalous person (truth.json `anomalies`, mapped to customer keys through the published crosswalk joined to
 * truth_identities.csv) must be flagged — on any metric, and on the metric matching its kind — for at least 90 % of
 * them at the default threshold, without flooding (few customers flagged, precision reported). Profiling opt-outs
 * are never judged, so planted persons who opted out are not counted. The published values are checked against the
 * published orders, and a run with segments compares customers within their segment.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { generate } from '../../src/generate/index.js';
import type { Stage } from '../../src/pipeline/context.js';
import { ALL_STAGES } from '../../src/stages/index.js';
import { readParquet, runFile, tempDir } from '../helpers.js';

const KIND_METRIC: Record<string, string> = {
  spend_collapse: 'spend', return_spike: 'return_rate', service_escalation: 'service_escalation', order_value_outlier: 'order_value',
};

type Anomaly = { customer_key: string; metric: string; value: number; expected: number; score: number; peer_group: string; rank: number };
type Recall = { planted: number; any_hit: number; kind_hit: number; flagged: number; flagged_planted: number };

let dir = '';
const latest = (file: string): string => path.join(dir, 'reports', 'generated', 'latest', file);
const quote = (p: string): string => `'${p.replaceAll("'", "''")}'`;

/** Recall per planted person (any metric / the kind's metric) and precision per flagged customer. */
async function recall(): Promise<Recall> {
  const rows = await readParquet<Recall>(latest('anomalies.parquet'), `
    WITH ids AS (SELECT * FROM read_csv(${quote(path.join(dir, 'truth_identities.csv'))}, all_varchar = true)),
         cw AS (SELECT * FROM read_parquet(${quote(latest('customer_crosswalk.parquet'))})),
         customers AS (SELECT * FROM read_parquet(${quote(latest('customers.parquet'))})),
         keys AS (SELECT DISTINCT ids.person_id, cw.customer_key FROM ids JOIN cw USING (source, id_type, source_record_id)),
         planted AS (SELECT a.person_id, a.kind FROM (SELECT unnest(anomalies, recursive := true) FROM read_json(${quote(path.join(dir, 'truth.json'))})) a
                     WHERE a.person_id IN (SELECT person_id FROM keys JOIN customers USING (customer_key) WHERE NOT profiling_opt_out)),
         metric AS (SELECT * FROM (VALUES ${Object.entries(KIND_METRIC).map(([k, m]) => `('${k}', '${m}')`).join(', ')}) v(kind, metric)),
         per_person AS (SELECT p.person_id, bool_or(t.customer_key IS NOT NULL) AS any_hit, bool_or(t.metric = m.metric) AS kind_hit
                        FROM planted p JOIN metric m USING (kind) JOIN keys k USING (person_id) LEFT JOIN t USING (customer_key) GROUP BY p.person_id),
         flagged AS (SELECT DISTINCT customer_key, customer_key IN (SELECT customer_key FROM keys WHERE person_id IN (SELECT person_id FROM planted)) AS planted FROM t)
    SELECT (SELECT count(*) FROM planted) AS planted,
           (SELECT count(*) FILTER (WHERE any_hit) FROM per_person) AS any_hit,
           (SELECT count(*) FILTER (WHERE kind_hit) FROM per_person) AS kind_hit,
           (SELECT count(*) FROM flagged) AS flagged,
           (SELECT count(*) FILTER (WHERE planted) FROM flagged) AS flagged_planted`);
  return rows[0]!;
}

/** Segments by usual order value (three tiers), standing in for the segments stage. */
const tierSegments: Stage = {
  name: 'segments', needs: ['features'],
  async run(ctx) {
    await ctx.db.run(`CREATE OR REPLACE TEMP TABLE out_customer_segments AS
                      SELECT customer_key, CAST(ntile(3) OVER (ORDER BY avg_order_value, customer_key) AS INTEGER) AS segment_id,
                             'tier' AS segment_name
                      FROM out_customer_features WHERE frequency > 0`);
    return {};
  },
};

let plain: Recall;
let segmented: Recall;
let anomalies: Anomaly[] = [];
let judged = 0;
let segmentedGroups: string[] = [];

beforeAll(async () => {
  dir = tempDir('cra-anomalies-');
  await generate({ outDir: dir, customers: 2000, seed: 42, days: 730 });
  const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['output.pii=keep', 'stages=[anomalies]'] });
  expect(manifest.stages.find((s) => s.name === 'anomalies')?.status).toBe('success');
  judged = (manifest.models.anomalies as { judged_customers: number }).judged_customers;
  anomalies = await readParquet<Anomaly>(latest('anomalies.parquet'));
  plain = await recall();

  const stages = [...ALL_STAGES.filter((s) => s.name !== 'segments'), tierSegments];
  await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['output.pii=keep', 'stages=[segments, anomalies]'], stages });
  segmentedGroups = (await readParquet<{ g: string }>(latest('anomalies.parquet'), 'SELECT DISTINCT peer_group AS g FROM t ORDER BY 1')).map((r) => r.g);
  segmented = await recall();
  const f = (r: Recall): string => `recall ${r.any_hit}/${r.planted} any metric, ${r.kind_hit}/${r.planted} matching metric; ` +
    `precision ${r.flagged_planted}/${r.flagged} flagged customers`;
  console.info(`anomalies (seed 42, ${judged} judged): all customers as peers: ${f(plain)}; tier segments as peers: ${f(segmented)}`);
}, 120_000);

describe('anomalies stage on generated data', () => {
  it('finds at least 90 % of the planted anomalous persons at the default threshold', () => {
    expect(plain.planted).toBeGreaterThanOrEqual(15);
    expect(plain.any_hit / plain.planted).toBeGreaterThanOrEqual(0.9);
    expect(plain.kind_hit / plain.planted).toBeGreaterThanOrEqual(0.9);
  });

  it('does not flood: few customers flagged, most of them planted', () => {
    expect(plain.flagged).toBeLessThanOrEqual(0.02 * judged);
    expect(plain.flagged_planted / plain.flagged).toBeGreaterThanOrEqual(0.4);
  });

  it('publishes rows ranked by |score|, each past the threshold on its alarming side, with an explanation', () => {
    expect(anomalies.map((a) => a.rank)).toEqual(anomalies.map((_, i) => i + 1));
    for (let i = 1; i < anomalies.length; i++) expect(Math.abs(anomalies[i - 1]!.score)).toBeGreaterThanOrEqual(Math.abs(anomalies[i]!.score));
    for (const a of anomalies) {
      const falls = a.metric === 'spend' || a.metric === 'order_frequency';
      expect(falls ? -a.score : a.score).toBeGreaterThanOrEqual(3.5);
      expect(falls ? a.value < a.expected : a.value > a.expected).toBe(true);
      expect(a.peer_group).toBe('all');
    }
  });

  it('reports spend and the largest order of the last 90 days as the published orders show them', async () => {
    const recomputed = await readParquet<{ customer_key: string; spend: number; largest: number }>(latest('orders.parquet'), `
      SELECT customer_key, sum(value) AS spend, max(value) AS largest FROM (
        SELECT customer_key, source, order_id, sum(revenue) AS value FROM t
        WHERE status = 'completed' AND customer_key IS NOT NULL
          AND CAST(ordered_at AS DATE) BETWEEN DATE '2024-06-30' - 89 AND DATE '2024-06-30' GROUP BY ALL)
      GROUP BY customer_key`);
    const byKey = new Map(recomputed.map((r) => [r.customer_key, r]));
    const checked = anomalies.filter((a) => a.metric === 'spend' || a.metric === 'order_value');
    expect(checked.length).toBeGreaterThan(3);
    for (const a of checked) expect(a.value).toBeCloseTo(a.metric === 'spend' ? byKey.get(a.customer_key)!.spend : byKey.get(a.customer_key)!.largest, 6);
  });

  it('compares customers within their segment when segments ran', () => {
    expect(segmentedGroups.some((g) => /^segment [123]$/.test(g))).toBe(true);
    expect(segmented.any_hit / segmented.planted).toBeGreaterThanOrEqual(0.9);
  });
});
