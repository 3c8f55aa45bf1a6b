/**
 * Turns the fitted clusters into segments: stable ids (matched to the previous run's centroids in the previous
 * run's transform), names from the standardised profile, the distinguishing features and a membership rule per
 * segment. Reads the per-cluster statistics the SQL models computed (int_segment_clusters, int_segment_stats),
 * writes the decisions to int_segment_ids for the marts.
 *
 * The previous model is comparable when it clustered the same features (in any order); otherwise every segment is
 * new (ids above any used before, so an id never changes meaning) and every previous id vanished.
 */
import { deriveSeed } from '../../analytics/random.js';
import { assignSegmentIds, type PreviousSegments } from '../../analytics/segment-ids.js';
import { distinguishingFeatures, nameSegments } from '../../analytics/segment-names.js';
import type { Database } from '../../db/database.js';
import type { SegmentModel } from './model-store.js';
import { membershipRules, type SegmentRule } from './rules.js';
import { loadPreviousParams } from './transform.js';

/** Key of the seed used for the rule trees' row sample. */
const RULE_SEED_KEY = 0x7e1e;

export interface DescribedSegment {
  cluster: number;
  segmentId: number;
  name: string;
  status: 'first' | 'kept' | 'new';
  customers: number;
  /** Standardised profile (int_segment_stats.z), feature order. */
  z: number[];
  matchDistance: number | null;
  distinguishing: string;
  rule: SegmentRule;
}

export interface Description {
  /** Ordered by segment id. */
  segments: DescribedSegment[];
  vanished: number[];
  maxId: number;
  /** Why the previous model could not be matched, when there was one. */
  incomparable: string | null;
}

export interface DescribeInput {
  features: string[];
  k: number;
  d: number;
  n: number;
  labels: Int32Array;
  raw: Float64Array;
  seed: number;
  previous: SegmentModel | null;
}

/** The previous model in this run's feature order, or a reason it cannot be matched. */
function alignPrevious(prev: SegmentModel, features: readonly string[]): { prev: PreviousSegments; params: SegmentModel['transform']['params'] } | string {
  const same = prev.features.length === features.length && features.every((f) => prev.features.includes(f));
  if (!same) return `the previous run clustered other features (${prev.features.join(', ')})`;
  const at = features.map((f) => prev.features.indexOf(f));
  const d = features.length;
  const centroids = new Float64Array(prev.segments.length * d);
  prev.segments.forEach((s, j) => at.forEach((p, t) => (centroids[j * d + t] = s.centroid[p]!)));
  return {
    prev: { ids: prev.segments.map((s) => s.segment_id), centroids, maxId: prev.max_segment_id },
    params: at.map((p) => prev.transform.params[p]!),
  };
}

export async function describeSegments(db: Database, input: DescribeInput): Promise<Description> {
  const { features, k, d } = input;
  const clusters = await db.all<{ cluster: number; customers: number; median_frequency: number }>(
    'SELECT cluster, customers, median_frequency FROM int_segment_clusters ORDER BY cluster');
  const z = new Float64Array(k * d);
  for (const r of await db.all<{ cluster: number; feature_index: number; z: number }>('SELECT cluster, feature_index, z FROM int_segment_stats')) {
    z[r.cluster * d + r.feature_index] = r.z;
  }
  const order = clusters.map((c) => c.cluster).sort((a, b) => clusters[b]!.customers - clusters[a]!.customers || a - b);

  let incomparable: string | null = null;
  let matched = null;
  const aligned = input.previous ? alignPrevious(input.previous, features) : null;
  if (typeof aligned === 'string') incomparable = aligned;
  else if (aligned) {
    await loadPreviousParams(db, aligned.params);
    await db.runFile('intermediate/int_segment_prev_space.sql');
    const inPrevSpace = new Float64Array(k * d);
    for (const r of await db.all<{ cluster: number; feature_index: number; z: number }>('SELECT cluster, feature_index, z FROM int_segment_prev_space')) {
      inPrevSpace[r.cluster * d + r.feature_index] = r.z;
    }
    matched = assignSegmentIds(aligned.prev, inPrevSpace, k, d, order);
  }
  const previousMax = input.previous ? Math.max(input.previous.max_segment_id, ...input.previous.segments.map((s) => s.segment_id)) : 0;
  const ids = matched ?? assignSegmentIds(input.previous ? { ids: [], centroids: new Float64Array(0), maxId: previousMax } : null, z, k, d, order);
  const vanished = matched ? matched.vanished : (input.previous?.segments.map((s) => s.segment_id).sort((a, b) => a - b) ?? []);

  const byId = Array.from({ length: k }, (_, c) => c).sort((a, b) => ids.ids[a]! - ids.ids[b]!);
  const zById = new Float64Array(k * d);
  byId.forEach((c, i) => zById.set(z.subarray(c * d, c * d + d), i * d));
  const names = nameSegments(features, zById, k, byId.map((c) => clusters[c]!.median_frequency === 1));
  const rules = membershipRules(input.raw, input.n, d, features, input.labels, k, deriveSeed(input.seed, RULE_SEED_KEY));

  const segments = byId.map((c, i): DescribedSegment => {
    const row = Array.from(z.subarray(c * d, c * d + d));
    const distance = ids.distances[c]!;
    return {
      cluster: c, segmentId: ids.ids[c]!, name: names[i]!, customers: clusters[c]!.customers, z: row,
      status: !input.previous ? 'first' : ids.previous[c]! >= 0 ? 'kept' : 'new',
      // Rounded: the distance comes from double sums whose last bits follow the aggregation order.
      matchDistance: Number.isFinite(distance) ? Math.round(distance * 1e9) / 1e9 : null,
      distinguishing: distinguishingFeatures(features, row).slice(0, 4).map((f) => `${f.feature} ${f.z > 0 ? '+' : '-'}${Math.abs(f.z).toFixed(1)} sd`).join('; '),
      rule: rules[c]!,
    };
  });
  await db.run(`CREATE OR REPLACE TEMP TABLE int_segment_ids (cluster DOUBLE, segment_id DOUBLE, segment_name VARCHAR, id_status VARCHAR,
                  match_distance DOUBLE, distinguishing VARCHAR, rule VARCHAR, rule_precision DOUBLE, rule_recall DOUBLE)`);
  await db.appendRows('int_segment_ids', segments.map((s) => [
    s.cluster, s.segmentId, s.name, s.status, s.matchDistance, s.distinguishing || null, s.rule.text, s.rule.precision, s.rule.recall,
  ]));
  return { segments, vanished, maxId: ids.maxId, incomparable };
}
