/**
 * Shared by the segments sections: the summary the stage put in manifest.models.segments, the sentence that
 * replaces a section when the stage did not run or was skipped (with its reason), and the profile rows.
 */
import type { ReportContext } from '../context.js';

export interface SegmentsSummary {
  k: number;
  fit_seconds: number;
  k_choice: 'auto' | 'fixed';
  /** Buyers the k-choice curves were measured on (absent in manifests from before the sampled choice). */
  k_choice_rows?: number;
  buyers: number;
  features: string[];
  transform: 'auto' | 'standardise' | 'none';
  winsor: [number, number] | null;
  transform_params: { feature: string; imputed: number; median: number | null; lo: number | null; hi: number | null;
    skewness: number | null; log: boolean; center: number; scale: number }[];
  silhouette: number | null;
  inertia: number | null;
  previous_run_id: string | null;
  previous_not_matched?: string;
  new_segments: number[];
  vanished_segments: number[];
}

export interface ProfileRow {
  segment_id: number;
  segment_name: string;
  customers: number;
  share: number;
  revenue: number;
  revenue_share: number | null;
  profit: number;
  profit_share: number | null;
  avg_revenue: number;
  avg_profit: number;
  recency_days: number;
  frequency: number;
  monetary: number;
  distinguishing: string | null;
  rule: string | null;
  rule_precision: number | null;
  rule_recall: number | null;
  id_status: string;
  match_distance: number | null;
}

/** This run's segments summary, or the sentence that replaces the section. */
export async function segmentsSummary(ctx: ReportContext): Promise<SegmentsSummary | string> {
  const record = ctx.stages.find((s) => s.name === 'segments');
  if (record?.status === 'skipped') return `The segments stage was skipped: ${record.reason ?? 'no reason given'}.`;
  const summary = ctx.models.segments as SegmentsSummary | undefined;
  if (!summary || !(await ctx.has('segment_profiles'))) return 'Segments were not built in this run (the segments stage did not run).';
  return summary;
}

export async function profileRows(ctx: ReportContext): Promise<ProfileRow[]> {
  return ctx.db.all<ProfileRow & Record<string, unknown>>('SELECT * FROM out_segment_profiles ORDER BY segment_id');
}
