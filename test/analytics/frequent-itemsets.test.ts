import { describe, expect, it } from 'vitest';
import {
  frequentItemsets,
  ItemsetLimitError,
  type Itemsets,
} from '../../src/analytics/itemsets/frequent-itemsets.js';
import { createRng } from '../../src/analytics/random.js';
import { minSupportCount } from '../../src/analytics/support-threshold.js';
import { bruteItemsets, randomBasket, toCsr } from './basket-oracle.js';

function asMap(sets: Itemsets): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < sets.counts.length; i++) {
    out.set(Array.from(sets.items.subarray(sets.offsets[i], sets.offsets[i + 1])).join(','), sets.counts[i]!);
  }
  return out;
}

/** Exact decimal support s with s * n = count for these n (1/n terminates). */
const exactSupport: Record<number, (count: number) => number> = {
  50: (c) => Number(`${c * 2}e-2`),
  100: (c) => Number(`${c}e-2`),
  125: (c) => Number(`${c * 8}e-3`),
  160: (c) => Number(`${c * 625}e-5`),
  200: (c) => Number(`${c * 5}e-3`),
};

describe('frequentItemsets', () => {
  it('matches brute force with supports placed exactly on a count threshold', () => {
    let atThreshold = 0;
    let seeds = 0;
    for (const n of [50, 100, 125, 160, 200]) {
      for (let s = 0; s < 8; s++) {
        const seed = n * 100 + s;
        const rng = createRng(seed);
        const m = 8 + rng.int(5);
        const basket = randomBasket(seed, n, m, 0.15 + 0.6 * rng.next());
        const maxLength = rng.chance(0.5) ? 10 : 1 + rng.int(4);
        const all = [...bruteItemsets(basket, 1, maxLength).values()];
        const target = all[rng.int(all.length)]!; // a count some itemset has exactly
        const support = exactSupport[n]!(target);
        const minCount = minSupportCount(support, n);
        expect(minCount).toBe(target);
        const got = frequentItemsets(toCsr(basket.tx), { minCount, maxLength });
        const want = bruteItemsets(basket, target, maxLength);
        expect(asMap(got)).toEqual(want);
        expect(got.nTransactions).toBe(n);
        for (let i = 0; i < got.counts.length; i++) {
          expect(got.offsets[i + 1]! - got.offsets[i]!).toBeLessThanOrEqual(maxLength);
        }
        if ([...want.values()].includes(target)) atThreshold++;
        seeds++;
      }
    }
    expect(atThreshold).toBe(seeds); // every case had itemsets sitting exactly on the threshold
  });

  it('orders itemsets by length, then codes, whatever the input order', () => {
    const basket = randomBasket(5, 150, 11, 0.4);
    const a = frequentItemsets(toCsr(basket.tx), { minCount: 6 });
    const reversed = basket.tx.map((row) => [...row].reverse()).reverse();
    const b = frequentItemsets(toCsr(reversed), { minCount: 6 });
    expect(b).toEqual(a);
    const keys = [...asMap(a).keys()].map((k) => k.split(',').map(Number));
    const lex = (p: number[], q: number[]): number => p.length - q.length || p.reduce((d, v, j) => d || v - q[j]!, 0);
    expect(keys).toEqual([...keys].sort(lex));
  });

  it('de-duplicates items within a transaction and handles empty input', () => {
    const tx = [[0, 1, 1, 0], [1, 2], [2, 2, 2], [], [0, 1]];
    const got = asMap(frequentItemsets(toCsr(tx), { minCount: 2 }));
    expect(got).toEqual(new Map([['0', 2], ['1', 3], ['2', 2], ['0,1', 2]]));
    const empty = frequentItemsets({ offsets: new Int32Array(1), items: new Int32Array(0) }, { minCount: 1 });
    expect(empty.counts.length).toBe(0);
    expect(empty.offsets).toEqual(new Int32Array(1));
  });

  it('finds every combination of one long chain (single-path tree), respecting maxLength', () => {
    const tx = Array.from({ length: 20 }, (_, t) => Array.from({ length: 12 - (t % 3) }, (_, i) => i));
    const basket = { tx, nItems: 12 };
    for (const maxLength of [1, 3, 10]) {
      const got = frequentItemsets(toCsr(tx), { minCount: 7, maxLength });
      expect(asMap(got)).toEqual(bruteItemsets(basket, 7, maxLength));
    }
  });

  it('throws ItemsetLimitError with a min_support that fits', () => {
    for (const seed of [11, 12, 13, 14]) {
      const n = 120;
      const basket = randomBasket(seed, n, 12, 0.55);
      const minCount = 3;
      const total = bruteItemsets(basket, minCount).size;
      const limit = Math.floor(total / (3 + seed - 11));
      let error: unknown;
      try {
        frequentItemsets(toCsr(basket.tx), { minCount, maxItemsets: limit });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ItemsetLimitError);
      const e = error as ItemsetLimitError;
      expect(e.limit).toBe(limit);
      expect(e.message).toContain(String(e.suggestedMinSupport));
      // The suggested count is the smallest that fits; the suggested decimal maps to at least that count.
      expect(bruteItemsets(basket, e.suggestedMinCount).size).toBeLessThanOrEqual(limit);
      expect(bruteItemsets(basket, e.suggestedMinCount - 1).size).toBeGreaterThan(limit);
      const count = minSupportCount(e.suggestedMinSupport, n);
      expect(count).toBeGreaterThanOrEqual(e.suggestedMinCount);
      expect(count).toBeLessThanOrEqual(n);
      expect(frequentItemsets(toCsr(basket.tx), { minCount: count, maxItemsets: limit }).counts.length).toBe(
        bruteItemsets(basket, count).size,
      );
    }
  });

  it('allows exactly maxItemsets itemsets and no more', () => {
    const basket = randomBasket(21, 100, 10, 0.5);
    const total = bruteItemsets(basket, 4).size;
    expect(frequentItemsets(toCsr(basket.tx), { minCount: 4, maxItemsets: total }).counts.length).toBe(total);
    expect(() => frequentItemsets(toCsr(basket.tx), { minCount: 4, maxItemsets: total - 1 })).toThrow(
      ItemsetLimitError,
    );
    // The limit also counts chain combinations before enumerating them.
    const chain = Array.from({ length: 10 }, () => Array.from({ length: 30 }, (_, i) => i));
    expect(() => frequentItemsets(toCsr(chain), { minCount: 1, maxItemsets: 1000 })).toThrow(ItemsetLimitError);
  });
});
