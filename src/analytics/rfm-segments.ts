/**
 * The RFM segment rule table: the one place that names segments. Segments come from the recency and frequency
 * scores only (the classic R × F map; monetary stays visible in rfm_code), each rule a rectangle of the 5 × 5
 * grid, and together they cover every cell exactly once (a test checks). The stage passes the expanded cells to
 * SQL as list parameters and joins them; the report prints this same table, so docs and data cannot drift.
 */

export interface RfmSegmentRule {
  name: string;
  /** Inclusive r_score range. */
  r: readonly [number, number];
  /** Inclusive f_score range. */
  f: readonly [number, number];
  meaning: string;
}

export const RFM_SEGMENTS: readonly RfmSegmentRule[] = [
  { name: 'Champions', r: [5, 5], f: [4, 5], meaning: 'bought very recently and often' },
  { name: 'Loyal', r: [3, 4], f: [4, 5], meaning: 'buy often, fairly recently' },
  { name: 'Potential loyalist', r: [4, 5], f: [2, 3], meaning: 'recent, a few orders' },
  { name: 'New', r: [5, 5], f: [1, 1], meaning: 'first order very recently' },
  { name: 'Promising', r: [4, 4], f: [1, 1], meaning: 'recent single order' },
  { name: 'Need attention', r: [3, 3], f: [3, 3], meaning: 'middling recency and frequency' },
  { name: 'About to sleep', r: [3, 3], f: [1, 2], meaning: 'middling recency, few orders' },
  { name: 'At risk', r: [1, 2], f: [3, 4], meaning: 'used to buy regularly, not lately' },
  { name: "Can't lose", r: [1, 2], f: [5, 5], meaning: 'among the most frequent, but gone quiet' },
  { name: 'Hibernating', r: [2, 2], f: [1, 2], meaning: 'few orders, long ago' },
  { name: 'Lost', r: [1, 1], f: [1, 2], meaning: 'few orders, longest ago' },
];

/** One row per (r_score, f_score) cell: the SQL parameters `$seg_r`, `$seg_f`, `$seg_name` (parallel lists). */
export function rfmSegmentCells(rules: readonly RfmSegmentRule[] = RFM_SEGMENTS): { seg_r: number[]; seg_f: number[]; seg_name: string[] } {
  const out = { seg_r: [] as number[], seg_f: [] as number[], seg_name: [] as string[] };
  for (const rule of rules) {
    for (let r = rule.r[0]; r <= rule.r[1]; r++) {
      for (let f = rule.f[0]; f <= rule.f[1]; f++) {
        out.seg_r.push(r);
        out.seg_f.push(f);
        out.seg_name.push(rule.name);
      }
    }
  }
  return out;
}

/** The segment a cell belongs to (undefined if none), straight from the rules; the oracle for the SQL join. */
export function rfmSegmentOf(r: number, f: number, rules: readonly RfmSegmentRule[] = RFM_SEGMENTS): string | undefined {
  return rules.find((rule) => r >= rule.r[0] && r <= rule.r[1] && f >= rule.f[0] && f <= rule.f[1])?.name;
}
