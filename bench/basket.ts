/**
 * Benchmark for the basket stage's engine: exact FP-growth itemsets + one-consequent rules, on two seeded
 * synthetic sets. (a) groceries-like: 10,000 baskets over 169 items, ~4.4 items each, Zipf-like popularity
 * plus shopping "themes" for co-purchase structure; min_support 0.001, min_confidence 0.5; target <= 1 s.
 * (b) 1,000,000 baskets over 2,000 products, ~4 items each, Zipf popularity and a few planted A,B => C
 * affinities; min_support 0.0005; target <= 30 s with bounded memory (peak RSS from resourceUsage).
 *
 * There is no peer in this run: R arules and mlxtend are not installable here, and node-fpgrowth is known to
 * be inexact (13,488 vs 13,492 itemsets on Groceries), so the table reports times against the targets.
 * Also times the explosion guard: how long ItemsetLimitError takes (with its suggestion) at min_support 0.0001.
 * Run: npx tsx bench/basket.ts [--quick]   (--quick: one repeat of each).
 */
import { associationRules } from '../src/analytics/association-rules.js';
import {
  frequentItemsets,
  ItemsetLimitError,
  type Transactions,
} from '../src/analytics/itemsets/frequent-itemsets.js';
import { createRng, type Rng } from '../src/analytics/random.js';
import { minSupportCount } from '../src/analytics/support-threshold.js';

interface Dataset extends Transactions {
  names: string[];
}

function zipfSampler(rng: Rng, weights: Float64Array): () => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (cumulative[i] = total += w));
  return () => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

function zipfWeights(n: number, exponent: number, offset: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1 + offset, exponent));
}

/** Builds CSR baskets; `fill(row)` pushes distinct item codes into row. */
function build(n: number, nItems: number, fill: (row: Set<number>) => void): Dataset {
  const offsets = new Int32Array(n + 1);
  let items = new Int32Array(n * 5);
  let used = 0;
  const row = new Set<number>();
  for (let t = 0; t < n; t++) {
    row.clear();
    fill(row);
    if (used + row.size > items.length) {
      const bigger = new Int32Array(items.length * 2);
      bigger.set(items);
      items = bigger;
    }
    for (const i of row) items[used++] = i;
    offsets[t + 1] = used;
  }
  const names = Array.from({ length: nItems }, (_, i) => `item_${String(i).padStart(4, '0')}`);
  return { offsets, items: items.slice(0, used), names };
}

function groceriesLike(seed: number): Dataset {
  const rng = createRng(seed);
  const nItems = 169;
  const global = zipfSampler(rng, zipfWeights(nItems, 1.0, 3));
  const themes = Array.from({ length: 16 }, () => Array.from({ length: 10 }, () => rng.int(nItems)));
  const inTheme = zipfSampler(rng, zipfWeights(10, 1.0, 0));
  return build(10_000, nItems, (row) => {
    // Gamma-Poisson sizes: mean 4.4 with a long tail of big baskets, as in real till data (Groceries: max 32).
    const size = 1 + rng.poisson(rng.gamma(0.8, 3.4 / 0.8));
    const theme = themes[rng.int(themes.length)]!;
    for (let tries = 0; row.size < size && tries < 50; tries++) {
      row.add(rng.chance(0.35) ? theme[inTheme()]! : global());
    }
  });
}

function largeRetail(seed: number): Dataset {
  const rng = createRng(seed);
  const nItems = 2000;
  const global = zipfSampler(rng, zipfWeights(nItems, 1.0, 5));
  // Planted affinities among mid-popularity products: A => B often, and A,B => C more often still.
  const planted = [[40, 41, 42], [100, 150, 200], [300, 301, 302], [500, 520, 540], [800, 900, 1000]];
  return build(1_000_000, nItems, (row) => {
    const size = 1 + rng.poisson(3);
    for (let tries = 0; row.size < size && tries < 50; tries++) row.add(global());
    for (const [a, b, c] of planted) {
      if (!row.has(a!)) continue;
      if (rng.chance(0.3)) row.add(b!);
      if (row.has(b!) && rng.chance(0.5)) row.add(c!);
    }
  });
}

interface Run {
  itemsets: number;
  rules: number;
  itemsetSeconds: number;
  ruleSeconds: number;
}

function run(data: Dataset, minSupport: number, minConfidence: number): Run {
  const n = data.offsets.length - 1;
  const t0 = process.hrtime.bigint();
  const sets = frequentItemsets(data, { minCount: minSupportCount(minSupport, n) });
  const t1 = process.hrtime.bigint();
  const rules = associationRules(sets, data.names, { minConfidence });
  const t2 = process.hrtime.bigint();
  return {
    itemsets: sets.counts.length,
    rules: rules.length,
    itemsetSeconds: Number(t1 - t0) / 1e9,
    ruleSeconds: Number(t2 - t1) / 1e9,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function bench(label: string, data: Dataset, minSupport: number, minConfidence: number, repeats: number, target: number): void {
  const runs = Array.from({ length: repeats }, () => run(data, minSupport, minConfidence));
  const first = runs[0]!;
  const items = median(runs.map((r) => r.itemsetSeconds));
  const rules = median(runs.map((r) => r.ruleSeconds));
  const total = median(runs.map((r) => r.itemsetSeconds + r.ruleSeconds));
  const n = data.offsets.length - 1;
  console.log(
    `| ${label} | ${n} | ${(data.items.length / n).toFixed(2)} | ${minSupport} / ${minConfidence} | ${first.itemsets} | ` +
      `${first.rules} | ${items.toFixed(3)} | ${rules.toFixed(3)} | ${total.toFixed(3)} | ${target} | ` +
      `${(total / target).toFixed(3)} |`,
  );
}

const quick = process.argv.includes('--quick');
const mb = (kb: number): string => (kb / 1024).toFixed(0);
console.log('| set | baskets | items/basket | support / confidence | itemsets | rules | itemsets s | rules s | total s (median) | target s | total/target |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const groceries = groceriesLike(1);
bench('groceries-like (169 items)', groceries, 0.001, 0.5, quick ? 1 : 7, 1);
const large = largeRetail(2);
const rssData = process.resourceUsage().maxRSS;
bench('retail 2,000 products', large, 0.0005, 0.5, quick ? 1 : 3, 30);
const rssPeak = process.resourceUsage().maxRSS;
console.log(`\npeak RSS: ${mb(rssPeak)} MB (after generating the 1M-basket set: ${mb(rssData)} MB; ` +
  `its CSR arrays: ${((large.items.byteLength + large.offsets.byteLength) / 2 ** 20).toFixed(0)} MB)`);

// The explosion guard: at min_support 0.0001 (count 1) the groceries-like set has more than 5M itemsets.
const t0 = process.hrtime.bigint();
try {
  frequentItemsets(groceries, { minCount: minSupportCount(0.0001, groceries.offsets.length - 1) });
  console.log('explosion guard: no error (unexpected)');
} catch (error) {
  if (!(error instanceof ItemsetLimitError)) throw error;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`explosion guard: ItemsetLimitError after ${seconds.toFixed(2)} s (incl. the search for a fitting ` +
    `threshold), suggests min_support ${error.suggestedMinSupport} (count ${error.suggestedMinCount})`);
}
