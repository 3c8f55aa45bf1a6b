/**
 * Membership rules a marketer can read: for each segment a shallow one-vs-rest decision tree (depth ≤ 3, the CART
 * engine) on the raw clustering features in original units, so thresholds read "monetary > 2400", not z-scores.
 * The segment's rule is the leaf holding most of its members among the leaves where members are the majority;
 * precision is the share of members in that leaf, recall the share of the segment it covers. Trees train on a
 * deterministic sample of at most RULE_SAMPLE buyers, which keeps the cost flat as the data grows (the
 * figures are then sample estimates). The engine spells out where NULLs go ("(x IS NULL OR x <= 3)"); for a
 * feature no buyer lacks that clause is noise to a marketer, so it is reduced to "x <= 3".
 */
import { fitCart, treeToRules, type CartRule, type RawNumericFeature } from '../../analytics/cart/index.js';
import { sampleRows } from '../../analytics/silhouette.js';

export const RULE_DEPTH = 3;
export const RULE_SAMPLE = 100_000;

export interface SegmentRule {
  text: string | null;
  precision: number | null;
  recall: number | null;
  /** Every leaf where members are the majority, most members first. */
  leaves: CartRule[];
}

/** The rule's conditions, without the NULL branch of features that have no missing values. */
function readable(rule: CartRule, complete: ReadonlySet<string>): string {
  if (rule.conditions.length === 0) return rule.text;
  return rule.conditions
    .map((c) => {
      const m = /^\(([A-Za-z_][A-Za-z0-9_]*) IS NULL OR (.*)\)$/.exec(c);
      return m && complete.has(m[1]!) ? m[2]! : c;
    })
    .join(' AND ');
}

/** `raw`: n×d row-major original values (NaN = missing); `labels`: cluster of each row (0..k-1). */
export function membershipRules(raw: Float64Array, n: number, d: number, features: readonly string[], labels: Int32Array, k: number, seed: number): SegmentRule[] {
  const rows = sampleRows(n, RULE_SAMPLE, seed);
  const m = rows.length;
  const columns: RawNumericFeature[] = features.map((name, t) => {
    const values = new Float64Array(m);
    for (let s = 0; s < m; s++) values[s] = raw[rows[s]! * d + t]!;
    return { name, kind: 'raw', values };
  });
  const complete = new Set(columns.filter((c) => c.values.every((v) => !Number.isNaN(v))).map((c) => c.name));
  const minLeaf = Math.max(5, Math.ceil(m * 0.005));
  const out: SegmentRule[] = [];
  for (let c = 0; c < k; c++) {
    const y = new Uint8Array(m);
    let members = 0;
    for (let s = 0; s < m; s++) if (labels[rows[s]!] === c) (y[s] = 1), members++;
    if (members === 0) {
      out.push({ text: null, precision: null, recall: null, leaves: [] });
      continue;
    }
    const tree = fitCart(columns, y, { maxDepth: RULE_DEPTH, minLeaf });
    const leaves = treeToRules(tree, { digits: 4 })
      .filter((r) => r.rate > 0.5)
      .sort((a, b) => b.positives - a.positives || b.rate - a.rate || a.leaf - b.leaf);
    const best = leaves[0];
    out.push(best
      ? { text: readable(best, complete), precision: best.rate, recall: best.positives / members, leaves }
      : { text: null, precision: null, recall: null, leaves });
  }
  return out;
}
