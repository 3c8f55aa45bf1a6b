/**
 * Brute-force oracles for the basket tests: random small baskets, every itemset counted by bitmask
 * enumeration, and every one-consequent rule with arules' formulas. Nothing here shares code with the engine,
 * so agreement is evidence, not tautology. Thresholds are passed as integer fractions (num / den) so the
 * oracle never needs decimal parsing.
 */
import { createRng } from '../../src/analytics/random.js';

export interface Basket {
  tx: number[][];
  nItems: number;
}

/** n baskets over m items; item i appears with probability density * (1 - i / (m + 2)); ~5% carry a duplicate. */
export function randomBasket(seed: number, n: number, m: number, density: number): Basket {
  const rng = createRng(seed);
  const tx: number[][] = [];
  for (let t = 0; t < n; t++) {
    const row: number[] = [];
    for (let i = 0; i < m; i++) if (rng.chance(density * (1 - i / (m + 2)))) row.push(i);
    for (let i = row.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [row[i], row[j]] = [row[j]!, row[i]!];
    }
    if (row.length > 0 && rng.chance(0.05)) row.push(row[0]!);
    tx.push(row);
  }
  return { tx, nItems: m };
}

export function toCsr(tx: number[][]): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(tx.length + 1);
  const items: number[] = [];
  tx.forEach((row, t) => {
    items.push(...row);
    offsets[t + 1] = items.length;
  });
  return { offsets, items: Int32Array.from(items) };
}

const key = (items: readonly number[]): string => [...items].sort((a, b) => a - b).join(',');

/** Every itemset with count >= minCount and size <= maxLength, keyed "a,b,c" (codes ascending). */
export function bruteItemsets(b: Basket, minCount: number, maxLength = Infinity): Map<string, number> {
  const masks = b.tx.map((row) => row.reduce((acc, i) => acc | (1 << i), 0));
  const out = new Map<string, number>();
  for (let s = 1; s < 1 << b.nItems; s++) {
    const members: number[] = [];
    for (let i = 0; i < b.nItems; i++) if (s & (1 << i)) members.push(i);
    if (members.length > maxLength) continue;
    let c = 0;
    for (const mask of masks) if ((mask & s) === s) c++;
    if (c >= Math.max(1, minCount)) out.set(key(members), c);
  }
  return out;
}

export interface BruteRule {
  antecedent: number[];
  consequent: number;
  count: number;
  countX: number;
  countY: number;
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
}

/** Rules X => y (X non-empty) with count(Z) / count(X) >= confNum / confDen, metrics as arules computes them. */
export function bruteRules(sets: Map<string, number>, n: number, confNum: number, confDen: number): BruteRule[] {
  const rules: BruteRule[] = [];
  for (const [k, count] of sets) {
    const z = k.split(',').map(Number);
    if (z.length < 2) continue;
    for (const y of z) {
      const antecedent = z.filter((i) => i !== y);
      const countX = sets.get(key(antecedent))!;
      const countY = sets.get(String(y))!;
      if (count * confDen < confNum * countX) continue;
      const support = count / n;
      const confidence = support / (countX / n);
      rules.push({
        antecedent,
        consequent: y,
        count,
        countX,
        countY,
        support,
        confidence,
        lift: confidence / (countY / n),
        leverage: support - (countX / n) * (countY / n),
        conviction: count === countX ? Infinity : (1 - countY / n) / (1 - confidence),
      });
    }
  }
  return rules;
}

/** arules is.redundant(): a more general rule (same y, proper non-empty subset X') with >= confidence exists. */
export function bruteRedundant(rules: BruteRule[], r: BruteRule): boolean {
  return rules.some(
    (g) =>
      g.consequent === r.consequent &&
      g.antecedent.length < r.antecedent.length &&
      g.antecedent.every((i) => r.antecedent.includes(i)) &&
      g.count * r.countX >= r.count * g.countX,
  );
}

/** The documented order, decided with exact rationals: lift desc, confidence desc, antecedent names, consequent name. */
export function bruteOrder(rules: BruteRule[], names: readonly string[], n: number): BruteRule[] {
  const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const cmpRatio = (a: bigint, b: bigint, c: bigint, d: bigint): number => {
    const l = a * d;
    const r = c * b;
    return l < r ? -1 : l > r ? 1 : 0;
  };
  const big = BigInt;
  return [...rules].sort((p, q) => {
    const lift = cmpRatio(big(q.count * n), big(q.countX * q.countY), big(p.count * n), big(p.countX * p.countY));
    if (lift !== 0) return lift;
    const conf = cmpRatio(big(q.count), big(q.countX), big(p.count), big(p.countX));
    if (conf !== 0) return conf;
    const pa = p.antecedent.map((i) => names[i]!).sort(cmpStr);
    const qa = q.antecedent.map((i) => names[i]!).sort(cmpStr);
    for (let i = 0; i < Math.min(pa.length, qa.length); i++) {
      const d = cmpStr(pa[i]!, qa[i]!);
      if (d !== 0) return d;
    }
    if (pa.length !== qa.length) return pa.length - qa.length;
    return cmpStr(names[p.consequent]!, names[q.consequent]!);
  });
}
