/**
 * Readable names for k-means segments, from each segment's standardised profile (z = how many population
 * standard deviations its mean sits from the buyers' mean, per feature, in the space the clustering saw).
 *
 * The rule, documented for analysts (docs/decisions.md):
 * 1. A feature describes a segment when |z| ≥ 0.5 and the vocabulary has a word for that side ("lapsed" for
 *    high recency_days, "high-value" for high monetary; generic features read "with high <feature>").
 * 2. A segment whose median frequency is 1 is "one-time" whatever its z (the plainest fact about it).
 * 3. At most three descriptors, strongest |z| first (one-time counts as one); then they are put in a fixed
 *    reading order — recency, tenure, value, frequency, other adjectives — before "buyers", and generic ones
 *    after it: "Recent high-value frequent buyers", "Lapsed one-time buyers", "Low-value buyers with high calls".
 * 4. No descriptor: "Typical buyers". Equal names get " (2)", " (3)", … in the order the segments are given.
 * Words come from a fixed table rather than from the data so the same profile always gets the same name.
 */

export const NAME_THRESHOLD = 0.5;
export const MAX_DESCRIPTORS = 3;

type Role = 'recency' | 'tenure' | 'value' | 'frequency' | 'other';
interface Words { role: Role; high: string | null; low: string | null }

const ROLE_ORDER: readonly Role[] = ['recency', 'tenure', 'value', 'frequency', 'other'];
const w = (role: Role, high: string | null, low: string | null): Words => ({ role, high, low });
const value = w('value', 'high-value', 'low-value');

/** Known features (customer_features and customer_value columns) and what high or low values are called. */
export const SEGMENT_VOCABULARY: Readonly<Record<string, Words>> = {
  recency_days: w('recency', 'lapsed', 'recent'),
  days_since_last_visit: w('recency', 'long-unseen', 'recently visiting'),
  tenure_days: w('tenure', 'long-standing', 'new'),
  monetary: value, revenue: value, gross_sales: value, gross_margin: value, net_contribution: value, clv: value,
  spend_90d: w('value', 'currently high-spending', 'currently low-spending'),
  avg_order_value: w('value', 'big-basket', 'small-basket'),
  frequency: w('frequency', 'frequent', 'infrequent'),
  orders_90d: w('frequency', 'currently frequent', null),
  expected_purchases: w('frequency', 'likely repeat', null),
  p_alive: w('other', 'likely active', 'at-risk'),
  discount_share: w('other', 'discount-driven', 'full-price'),
  return_rate: w('other', 'high-return', 'low-return'),
  distinct_products: w('other', 'broad-range', 'narrow-range'),
  distinct_categories: w('other', 'broad-range', 'narrow-range'),
  email_open_rate: w('other', 'email-engaged', 'email-disengaged'),
  email_click_rate: w('other', 'email-engaged', 'email-disengaged'),
  engagement_90d: w('other', 'engaged', null),
  complaints: w('other', 'complaining', null),
  complaints_90d: w('other', 'recently complaining', null),
  unresolved_calls: w('other', 'unresolved-issue', null),
  calls: w('other', 'service-heavy', null),
  call_minutes: w('other', 'service-heavy', null),
  sessions: w('other', 'browsing', null),
  page_views: w('other', 'browsing', null),
};

interface Descriptor { feature: number; word: string; role: Role; generic: boolean; strength: number }

/** The features that set a segment apart: |z| ≥ threshold, strongest first (ties: feature order). */
export function distinguishingFeatures(features: readonly string[], z: ArrayLike<number>, threshold = NAME_THRESHOLD): { feature: string; z: number }[] {
  return features
    .map((feature, t) => ({ feature, z: z[t]!, t }))
    .filter((f) => Number.isFinite(f.z) && Math.abs(f.z) >= threshold)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.t - b.t)
    .map(({ feature, z: v }) => ({ feature, z: v }));
}

function descriptor(features: readonly string[], t: number, zt: number): Descriptor | null {
  const name = features[t]!;
  const words = SEGMENT_VOCABULARY[name];
  const strength = Math.abs(zt);
  if (!words) return { feature: t, word: `${zt > 0 ? 'high' : 'low'} ${name.replaceAll('_', ' ')}`, role: 'other', generic: true, strength };
  const word = zt > 0 ? words.high : words.low;
  return word ? { feature: t, word, role: words.role, generic: false, strength } : null;
}

/** The name of one segment (rule in the header); `oneTime`: its median frequency is 1. */
export function describeSegment(features: readonly string[], z: ArrayLike<number>, oneTime = false): string {
  const frequency = features.indexOf('frequency');
  const candidates: Descriptor[] = [];
  if (oneTime) candidates.push({ feature: frequency, word: 'one-time', role: 'frequency', generic: false, strength: Infinity });
  for (const { feature, z: zt } of distinguishingFeatures(features, z)) {
    const t = features.indexOf(feature);
    if (oneTime && (t === frequency || SEGMENT_VOCABULARY[feature]?.role === 'frequency')) continue;
    const d = descriptor(features, t, zt);
    if (d && !candidates.some((c) => c.word === d.word)) candidates.push(d);
  }
  const chosen = candidates.slice(0, MAX_DESCRIPTORS);
  if (chosen.length === 0) return 'Typical buyers';
  const rank = (d: Descriptor): number => ROLE_ORDER.indexOf(d.role) * 1000 + d.feature;
  const adjectives = chosen.filter((d) => !d.generic).sort((a, b) => rank(a) - rank(b)).map((d) => d.word);
  const clauses = chosen.filter((d) => d.generic).map((d) => d.word);
  const text = [...adjectives, 'buyers'].join(' ') + (clauses.length ? ` with ${clauses.join(' and ')}` : '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Names for k segments (z is k×d row-major); duplicates get " (2)", " (3)", … in the given order. */
export function nameSegments(features: readonly string[], z: Float64Array, k: number, oneTime: readonly boolean[] = []): string[] {
  const d = features.length;
  const seen = new Map<string, number>();
  const names: string[] = [];
  for (let c = 0; c < k; c++) {
    const base = describeSegment(features, z.subarray(c * d, c * d + d), oneTime[c] ?? false);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    names.push(n === 1 ? base : `${base} (${n})`);
  }
  // No generated base ends in ")", so a suffixed name never equals another segment's plain name.
  return names;
}
