import { describe, expect, it } from 'vitest';
import {
  associationRules,
  ruleId,
  ruleIds,
  type RuleOptions,
  type Rules,
} from '../../src/analytics/association-rules.js';
import { frequentItemsets } from '../../src/analytics/itemsets/frequent-itemsets.js';
import { createRng } from '../../src/analytics/random.js';
import { minSupportCount } from '../../src/analytics/support-threshold.js';
import {
  bruteItemsets,
  bruteOrder,
  bruteRedundant,
  bruteRules,
  randomBasket,
  toCsr,
  type Basket,
  type BruteRule,
} from './basket-oracle.js';

// Name order differs from code order, and upper case sorts before lower case (code units, not locale).
const NAMES = ['milk', 'Bread', 'eggs', 'apple', 'Zucchini', 'butter', 'cheese', 'yogurt', 'coffee', 'tea', 'juice', 'water'];

interface FlatRule {
  antecedent: string[];
  consequent: string;
  count: number;
  metrics: number[];
}

function flatten(rules: Rules, names: readonly string[]): FlatRule[] {
  return Array.from({ length: rules.length }, (_, r) => ({
    antecedent: Array.from(rules.antecedentItems.subarray(rules.antecedentOffsets[r], rules.antecedentOffsets[r + 1]))
      .map((i) => names[i]!),
    consequent: names[rules.consequents[r]!]!,
    count: rules.counts[r]!,
    metrics: [rules.support[r]!, rules.confidence[r]!, rules.lift[r]!, rules.leverage[r]!, rules.conviction[r]!],
  }));
}

function expectSame(got: FlatRule[], want: BruteRule[], names: readonly string[]): void {
  expect(got.map((r) => [r.antecedent, r.consequent, r.count])).toEqual(
    want.map((r) => [r.antecedent.map((i) => names[i]!).sort(), names[r.consequent]!, r.count]),
  );
  got.forEach((g, i) => {
    const w = want[i]!;
    [w.support, w.confidence, w.lift, w.leverage, w.conviction].forEach((v, k) => {
      if (v === Infinity) expect(g.metrics[k]).toBe(Infinity);
      else expect(Math.abs(g.metrics[k]! - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
    });
  });
}

function mine(b: Basket, minCount: number, options: RuleOptions, maxLength = 10): Rules {
  return associationRules(frequentItemsets(toCsr(b.tx), { minCount, maxLength }), NAMES, options);
}

const CONFIDENCES = [25, 40, 50, 60, 70, 75, 80];

describe('associationRules', () => {
  it('matches brute force (rules, counts, all metrics, order) with thresholds exactly at counts', () => {
    let atConfidence = 0;
    let infinite = 0;
    for (let seed = 0; seed < 24; seed++) {
      const rng = createRng(1000 + seed);
      const n = [50, 100, 200][seed % 3]!;
      const basket = randomBasket(1000 + seed, n, 8 + (seed % 5), 0.2 + 0.5 * rng.next());
      const minCount = minSupportCount([0.08, 0.07, 0.035][seed % 3]!, n);
      expect(minCount).toBe(n === 50 ? 4 : 7);
      const k = CONFIDENCES[seed % CONFIDENCES.length]!;
      const maxLength = seed % 4 === 3 ? 2 : 10;
      const got = flatten(mine(basket, minCount, { minConfidence: k / 100 }, maxLength), NAMES);
      const all = bruteRules(bruteItemsets(basket, minCount, maxLength), n, k, 100);
      expectSame(got, bruteOrder(all, NAMES, n), NAMES);
      atConfidence += all.filter((r) => r.count * 100 === k * r.countX).length;
      infinite += all.filter((r) => r.conviction === Infinity).length;
    }
    expect(atConfidence).toBeGreaterThan(10); // rules sitting exactly on min_confidence were kept
    expect(infinite).toBeGreaterThan(0);
  });

  it('applies minLift, requireItems, excludeItems and consequentIn like filters on the brute-force set', () => {
    for (let seed = 0; seed < 6; seed++) {
      const n = 120;
      const basket = randomBasket(2000 + seed, n, 10, 0.45);
      const all = bruteRules(bruteItemsets(basket, 6), n, 30, 100);
      const cases: [RuleOptions, (r: BruteRule) => boolean][] = [
        [{ minLift: 1.2 }, (r) => r.count * n * 10 >= 12 * r.countX * r.countY],
        [{ requireItems: [1, 3] }, (r) => [1, 3].every((i) => i === r.consequent || r.antecedent.includes(i))],
        [{ excludeItems: [0, 5] }, (r) => ![0, 5].some((i) => i === r.consequent || r.antecedent.includes(i))],
        [{ consequentIn: [2, 4] }, (r) => r.consequent === 2 || r.consequent === 4],
        [{ requireItems: [99] }, () => false],
      ];
      for (const [options, keep] of cases) {
        const got = flatten(mine(basket, 6, { minConfidence: 0.3, ...options }), NAMES);
        expectSame(got, bruteOrder(all.filter(keep), NAMES, n), NAMES);
      }
    }
  });

  it('prunes redundant rules exactly as is.redundant() over the kept set', () => {
    let pruned = 0;
    let ties = 0;
    for (let seed = 0; seed < 10; seed++) {
      const n = 150;
      const basket = randomBasket(3000 + seed, n, 9 + (seed % 3), 0.5);
      // Item m-1 appears exactly where item 0 does: many general and specific rules then tie on confidence.
      const last = basket.nItems - 1;
      basket.tx = basket.tx.map((row) => [...row.filter((i) => i !== last), ...(row.includes(0) ? [last] : [])]);
      const minCount = 8;
      const options: RuleOptions = { minConfidence: 0.5, pruneRedundant: true };
      if (seed % 3 === 1) options.requireItems = [2];
      const keep = (r: BruteRule): boolean => seed % 3 !== 1 || r.consequent === 2 || r.antecedent.includes(2);
      const kept = bruteRules(bruteItemsets(basket, minCount), n, 50, 100).filter(keep);
      const want = kept.filter((r) => !bruteRedundant(kept, r));
      pruned += kept.length - want.length;
      const strict = (r: BruteRule): boolean =>
        kept.some((g) => g !== r && g.consequent === r.consequent && g.antecedent.length < r.antecedent.length &&
          g.antecedent.every((i) => r.antecedent.includes(i)) && g.count * r.countX > r.count * g.countX);
      ties += want.length - kept.filter((r) => !strict(r)).length === 0 ? 0 : 1;
      expectSame(flatten(mine(basket, minCount, options), NAMES), bruteOrder(want, NAMES, n), NAMES);
    }
    expect(pruned).toBeGreaterThan(50);
    expect(ties).toBeGreaterThan(5); // cases where a tie (equal confidence) alone made a rule redundant
  });

  it('computes hand-checked metrics, with conviction Infinity at confidence 1', () => {
    // A=0 B=1 C=2 D=3 E=4; E only ever appears with A.
    const tx = [[0, 1, 2, 4], [0, 1, 4], [0, 2], [1, 2], [0, 1, 2], [3]];
    const names = ['A', 'B', 'C', 'D', 'E'];
    const sets = frequentItemsets(toCsr(tx), { minCount: 2 });
    const rules = flatten(associationRules(sets, names, { minConfidence: 0.7 }), names);
    const ab = rules.find((r) => r.antecedent.join() === 'A' && r.consequent === 'B')!;
    expect(ab.count).toBe(3);
    expect(ab.metrics[0]).toBeCloseTo(0.5, 15);
    expect(ab.metrics[1]).toBe(0.75);
    expect(ab.metrics[2]).toBe(1.125);
    expect(ab.metrics[3]).toBeCloseTo(1 / 18, 15);
    expect(ab.metrics[4]).toBeCloseTo(4 / 3, 15);
    const ea = rules.find((r) => r.antecedent.join() === 'E' && r.consequent === 'A')!;
    expect(ea.metrics[1]).toBe(1);
    expect(ea.metrics[4]).toBe(Infinity);
    expect(rules.every((r) => r.antecedent.length > 0)).toBe(true); // no {} => y rules (minlen 2)
  });

  it('is invariant to item codes and transaction order (ordering uses names)', () => {
    const basket = randomBasket(4242, 160, 12, 0.4);
    const base = flatten(mine(basket, 8, { minConfidence: 0.4 }), NAMES);
    const rng = createRng(7);
    const perm = Array.from({ length: 12 }, (_, i) => i);
    for (let i = 11; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const names2: string[] = [];
    perm.forEach((to, from) => (names2[to] = NAMES[from]!));
    const tx2 = basket.tx.map((row) => row.map((i) => perm[i]!).reverse()).reverse();
    const sets2 = frequentItemsets(toCsr(tx2), { minCount: 8 });
    expect(flatten(associationRules(sets2, names2, { minConfidence: 0.4 }), names2)).toEqual(base);
    expect(base.length).toBeGreaterThan(20);
  });

  it('finds a planted {A,B} => C affinity with lift within sampling error', () => {
    const rng = createRng(99);
    const n = 20_000;
    const tx: number[][] = [];
    for (let t = 0; t < n; t++) {
      const row: number[] = [];
      const a = rng.chance(0.3);
      const b = rng.chance(0.3);
      if (a) row.push(0);
      if (b) row.push(1);
      if (rng.chance(a && b ? 0.6 : 0.0725)) row.push(2);
      for (let i = 3; i < 10; i++) if (rng.chance(0.05 + 0.03 * i)) row.push(i);
      tx.push(row);
    }
    const names = ['A', 'B', 'C', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const sets = frequentItemsets(toCsr(tx), { minCount: minSupportCount(0.01, n), maxLength: 3 });
    const rules = flatten(associationRules(sets, names, { minConfidence: 0.3 }), names);
    const planted = rules.find((r) => r.antecedent.join() === 'A,B' && r.consequent === 'C')!;
    // True lift 0.6 / (0.0725 * 0.91 + 0.6 * 0.09) = 5.001; delta-method standard error ~0.14.
    expect(Math.abs(planted.metrics[2]! - 5.001)).toBeLessThan(0.55);
    expect(rules[0]).toEqual(planted);
    const single = rules.find((r) => r.antecedent.join() === 'A' && r.consequent === 'C');
    expect(single === undefined || single.metrics[2]! < 2.5).toBe(true);
  });
});

describe('ruleId', () => {
  it('hashes sorted antecedent names and the consequent', () => {
    // printf 'bread\x1fmilk\x1ebutter' | sha256sum
    expect(ruleId(['milk', 'bread'], 'butter')).toBe('dca79456a638704e');
    expect(ruleId(['bread', 'milk'], 'butter')).toBe('dca79456a638704e');
    expect(ruleId([], 'butter')).toBe('73c8e6dc12baf07f');
    expect(ruleId(['bread', 'butter'], 'milk')).not.toBe('dca79456a638704e');
  });

  it('gives one id per rule of a table, unique across rules', () => {
    const basket = randomBasket(77, 120, 10, 0.45);
    const rules = associationRules(frequentItemsets(toCsr(basket.tx), { minCount: 6 }), NAMES, { minConfidence: 0.3 });
    const ids = ruleIds(rules, NAMES);
    const flat = flatten(rules, NAMES);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
    flat.forEach((r, i) => expect(ids[i]).toBe(ruleId([...r.antecedent].reverse(), r.consequent)));
  });
});
