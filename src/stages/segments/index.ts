/**
 * Stage `segments`: k-means segments of the buyers (minus profiling_opt_out) that analysts can act on —
 * `customer_segments`, `segment_profiles` (size, revenue and profit from customer_value, centre in original
 * units, name, distinguishing features, membership rule), `segment_centroids`, the k-choice curves in
 * model_metrics and manifest.models.segments.
 *
 * SQL prepares and transforms the features (intermediate/int_segment_*.sql) and builds the published tables;
 * JS only fits (k-means, silhouette, the rule trees, PCA) on typed arrays and decides ids and names. Ids are
 * stable across runs: this run's clusters are matched to the last successful run's (model-store.ts).
 */
import { assignToCentroids } from '../../analytics/kmeans.js';
import { StageSkip } from '../../errors.js';
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { describeSegments } from './describe.js';
import { buildRawTable, resolveFeatures } from './features.js';
import { distinctRowsUpTo, fitSegments } from './fit.js';
import { storeMetrics, storePca } from './metrics.js';
import { loadPreviousModel, saveModel } from './model-store.js';
import { buildModel, summary } from './summary.js';
import { fitTransform, readMatrix, readRaw } from './transform.js';

async function run(ctx: RunContext): Promise<StageResult> {
  const { db } = ctx;
  let mark = performance.now();
  // Phase timings at debug level: where the stage's time goes as the data grows.
  const phase = (name: string): void => {
    const now = performance.now();
    ctx.log.debug(`segments: ${name} ${((now - mark) / 1000).toFixed(2)} s`, { stage: 'segments', event: 'segments_phase' });
    mark = now;
  };
  const cfg = ctx.pipeline.config.segments;
  if (!(await db.tableExists('out_customer_value'))) throw new StageSkip('customer_value was not built in this run (the value stage was skipped), so there are no buyers to segment');
  const sources = await resolveFeatures(db, cfg.features, ctx.pipeline.file);
  const features = sources.map((s) => s.name);
  await db.runFile('intermediate/int_segment_buyers.sql', { features });
  const n = Number(await db.value('SELECT count(*) FROM int_segment_buyers'));
  const optedOut = Number(await db.value('SELECT count(*) FROM out_customer_features f JOIN out_customers c USING (customer_key) WHERE f.frequency > 0 AND c.profiling_opt_out'));
  const kMin = cfg.k === 'auto' ? cfg.k_range[0] : cfg.k;
  if (n < kMin) throw new StageSkip(`${n} buyers to segment (after ${optedOut} profiling opt-outs), fewer than k = ${kMin}`);

  phase('buyers');
  await buildRawTable(db, sources);
  phase('raw table');
  const params = await fitTransform(db, cfg.transform, cfg.winsor);
  phase('transform parameters');
  const empty = params.findIndex((p) => p.present === 0);
  if (empty >= 0) throw new StageSkip(`segments.features[${empty}] (${features[empty]}) has no value for any buyer`);
  const d = features.length;
  const x = await readMatrix(db, n, d);
  phase('read matrix');
  const kMax = cfg.k === 'auto' ? cfg.k_range[1] : cfg.k;
  const distinct = distinctRowsUpTo(x, n, d, kMax);
  if (distinct < kMin) throw new StageSkip(`the buyers have only ${distinct} distinct feature vectors, fewer than k = ${kMin}`);
  const fit = fitSegments(x, n, d, { k: cfg.k, kRange: cfg.k_range, nInit: cfg.n_init, seed: cfg.seed, threads: ctx.pipeline.config.limits.threads }, distinct);
  phase('k-means');
  const { distances } = assignToCentroids(x, n, d, fit.centroids, fit.k);
  await db.run('CREATE OR REPLACE TEMP TABLE int_segment_labels (row_id BIGINT, cluster INTEGER, distance DOUBLE)');
  await db.appendTypedColumns('int_segment_labels', [Int32Array.from(fit.labels, (_, i) => i), fit.labels, distances]);
  phase('store labels');
  await db.runFile('intermediate/int_segment_stats.sql');
  phase('cluster statistics');

  const previous = await loadPreviousModel(ctx);
  const raw = await readRaw(db, n, d);
  const described = await describeSegments(db, { features, k: fit.k, d, n, labels: fit.labels, raw, seed: cfg.seed, previous });
  phase('ids, names and rules');
  if (described.incomparable) ctx.log.warn(`segments: new ids for every segment: ${described.incomparable}`, { stage: 'segments', event: 'segments_incomparable' });

  await db.runFile('marts/customer_segments.sql');
  await db.runFile('marts/segment_profiles.sql');
  await db.runFile('marts/segment_centroids.sql');
  phase('marts');
  await storePca(db, x, n, d, cfg.seed);
  phase('pca');
  await storeMetrics(db, { fit, described, buyers: n, optedOut });

  const model = buildModel(ctx, { features, params, fit, described, previous });
  await saveModel(ctx, model);
  ctx.models.segments = summary(model, fit, described, n);
  ctx.log.info(`segments: k = ${fit.k}${fit.auto ? ' (auto)' : ''}, silhouette ${fit.silhouette.toFixed(3)}, ${fit.seconds.toFixed(2)} s: ` +
    described.segments.map((s) => `${s.segmentId} ${s.name} (${s.customers})`).join(', '), { stage: 'segments', event: 'segments_fitted' });
  return { tables: ['customer_segments', 'segment_profiles', 'segment_centroids', 'model_metrics'], rowsOut: n };
}

// The report draws the segments' projection.
export const segmentsStage: Stage = { name: 'segments', needs: ['value'], run, handsOn: ['int_segment_pca'] };
