/**
 * The basket fixture read independently of the pipeline: test/fixtures/basket's CSVs parsed with plain string
 * splits (the fixture has no quoted fields), the transaction rules of the stage written out again (completed
 * lines with a positive quantity up to as_of; order or customer transactions; product or category items), and
 * the brute-force rule and recommendation oracles run on them. Used by test/stages/basket.test.ts.
 */
import { readFileSync } from 'node:fs';
import { bruteItemsets, bruteOrder, bruteRules, type BruteRule } from '../analytics/basket-oracle.js';
import { fixture } from '../helpers.js';

export interface Line {
  order: string;
  email: string;
  product: string;
  category: string;
  quantity: number;
  status: string;
  at: string;
}

function csv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(fixture('basket', file), 'utf8').trim().split('\n');
  const names = header!.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [names[i]!, v])));
}

export const LINES: Line[] = csv('orders.csv').map((r) => ({
  order: r.order_id!, email: r.email!, product: r.product_id!, category: r.category!,
  quantity: Number(r.quantity), status: r.status!, at: r.ordered_at!,
}));
export const CATALOGUE = new Map(csv('products.csv').map((r) => [r.product_id!, r.category!]));
export const CRM = csv('customers.csv');
const AS_OF_END = '2024-03-31 23:59:59';

export const eligible = (l: Line): boolean => l.status === 'completed' && l.quantity > 0 && l.at <= AS_OF_END;

export interface Case {
  /** Transactions as sorted item-name lists. */
  tx: string[][];
  names: string[];
}

export function transactions(by: 'order' | 'customer', item: 'product_id' | 'category'): Case {
  const groups = new Map<string, Set<string>>();
  for (const l of LINES.filter(eligible)) {
    const key = by === 'order' ? l.order : l.email;
    if (key === '') continue;
    const value = item === 'product_id' ? l.product : l.category || CATALOGUE.get(l.product) || '';
    if (value === '') continue;
    if (!groups.has(key)) groups.set(key, new Set());
    groups.get(key)!.add(value);
  }
  const tx = [...groups.values()].map((s) => [...s].sort());
  return { tx, names: [...new Set(tx.flat())].sort() };
}

/** Every rule of the case at count >= minCount and confidence >= confNum/confDen, in the documented order. */
export function oracleRules(c: Case, minCount: number, confNum: number, confDen: number): BruteRule[] {
  const code = new Map(c.names.map((n, i) => [n, i]));
  const basket = { tx: c.tx.map((t) => t.map((n) => code.get(n)!)), nItems: c.names.length };
  const sets = bruteItemsets(basket, minCount);
  return bruteOrder(bruteRules(sets, c.tx.length, confNum, confDen), c.names, c.tx.length);
}

export type PublishedRule = {
  rule_id: string;
  antecedent: string[];
  consequent: string;
  confidence: number;
  lift: number;
  rank: number;
};

export type Recommendation = {
  email: string;
  product_id: string;
  rule_id: string;
  rank: number;
  score: number;
};

/**
 * Recommendations recomputed from the published rules: for each customer allowed to receive them, rules whose
 * antecedent they bought and consequent they did not, the best per product by score (then rule rank), the top
 * `perCustomer` by score then product id.
 */
export function oracleRecommendations(rules: PublishedRule[], allowed: (email: string) => boolean, perCustomer: number): Recommendation[] {
  const bought = new Map<string, Set<string>>();
  for (const l of LINES.filter(eligible)) {
    if (l.email === '') continue;
    if (!bought.has(l.email)) bought.set(l.email, new Set());
    bought.get(l.email)!.add(l.product);
  }
  const out: Recommendation[] = [];
  for (const [email, items] of [...bought].sort()) {
    if (!allowed(email)) continue;
    const best = new Map<string, { rule: PublishedRule; score: number }>();
    for (const rule of rules) {
      if (!rule.antecedent.every((i) => items.has(i)) || items.has(rule.consequent)) continue;
      const score = rule.confidence * rule.lift;
      const prev = best.get(rule.consequent);
      if (!prev || score > prev.score || (score === prev.score && rule.rank < prev.rule.rank)) best.set(rule.consequent, { rule, score });
    }
    [...best]
      .sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1))
      .slice(0, perCustomer)
      .forEach(([product, { rule, score }], i) => out.push({ email, product_id: product, rule_id: rule.rule_id, rank: i + 1, score }));
  }
  return out;
}
