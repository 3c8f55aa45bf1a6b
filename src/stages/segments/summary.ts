/**
 * The two records of a fitted segmentation: the full model (segments_model.json and the warehouse row — what a
 * later run or a user needs to transform and assign customers the same way) and the short summary that goes to
 * manifest.models.segments (contract §4: k and fit_seconds first, then what a reader of the manifest asks next).
 */
import type { RunContext } from '../../pipeline/context.js';
import type { Description } from './describe.js';
import type { SegmentFit } from './fit.js';
import { MODEL_FORMAT, type SegmentModel } from './model-store.js';
import { SKEW_THRESHOLD, type FeatureTransform } from './transform.js';

export function buildModel(ctx: RunContext, o: { features: string[]; params: FeatureTransform[]; fit: SegmentFit; described: Description; previous: SegmentModel | null }): SegmentModel {
  const cfg = ctx.pipeline.config.segments;
  const d = o.features.length;
  return {
    format: MODEL_FORMAT,
    pipeline: ctx.pipeline.config.name,
    run_id: ctx.runId,
    as_of: ctx.asOf,
    features: o.features,
    transform: { mode: cfg.transform, winsor: [cfg.winsor[0], cfg.winsor[1]], skew_threshold: SKEW_THRESHOLD, params: o.params },
    k: o.fit.k,
    k_choice: o.fit.auto ? 'auto' : 'fixed',
    seed: cfg.seed,
    segments: o.described.segments.map((s) => ({
      segment_id: s.segmentId, segment_name: s.name, customers: s.customers,
      centroid: Array.from(o.fit.centroids.subarray(s.cluster * d, s.cluster * d + d)), rule: s.rule.text,
    })),
    max_segment_id: o.described.maxId,
    previous_run_id: o.previous?.run_id ?? null,
  };
}

const round = (x: number, digits: number): number | null => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

export function summary(model: SegmentModel, fit: SegmentFit, described: Description, buyers: number): Record<string, unknown> {
  return {
    k: fit.k,
    fit_seconds: round(fit.seconds, 3),
    k_choice: model.k_choice,
    // The k-choice curves were measured on this many buyers (a sample when k: auto met more than K_CHOICE_SAMPLE).
    k_choice_rows: fit.curveRows,
    buyers,
    features: model.features,
    transform: model.transform.mode,
    winsor: model.transform.mode === 'auto' ? model.transform.winsor : null,
    transform_params: model.transform.params.map((p) => ({
      feature: p.feature, imputed: p.rows - p.present, median: p.median, lo: p.lo, hi: p.hi, skewness: p.skewness, log: p.log, center: p.center, scale: p.scale,
    })),
    silhouette: round(fit.silhouette, 4),
    inertia: round(fit.inertia, 4),
    iterations: fit.nIter,
    segments: described.segments.map((s) => ({ id: s.segmentId, name: s.name, customers: s.customers, status: s.status })),
    previous_run_id: model.previous_run_id,
    ...(described.incomparable ? { previous_not_matched: described.incomparable } : {}),
    new_segments: described.segments.filter((s) => s.status === 'new').map((s) => s.segmentId),
    vanished_segments: described.vanished,
  };
}
