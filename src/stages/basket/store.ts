/**
 * Hands the engine's results back to DuckDB: the published rules (the first basket.max_rules in rule order) as
 * item codes through the appender, and the strongest item pairs for the report's co-occurrence view. Names are
 * joined back in SQL (marts/association_rules.sql), so strings only cross for the rule ids, which the engine's
 * ruleId defines (a DuckDB sha256 would sort the antecedent in another collation). The recommendations are
 * written from the stored rules here too.
 */
import { ruleId, type Rules } from '../../analytics/association-rules.js';
import type { Itemsets } from '../../analytics/itemsets/frequent-itemsets.js';
import type { Database } from '../../db/database.js';

export async function storeRules(db: Database, rules: Rules, itemNames: readonly string[], maxRules: number): Promise<number> {
  const m = Math.min(rules.length, maxRules);
  await db.run(`CREATE OR REPLACE TEMP TABLE int_basket_rules (rule_index DOUBLE, rule_id VARCHAR, consequent_code DOUBLE, rule_count DOUBLE,
                  support DOUBLE, confidence DOUBLE, lift DOUBLE, leverage DOUBLE, conviction DOUBLE);
                CREATE OR REPLACE TEMP TABLE int_basket_rule_items (rule_index DOUBLE, position DOUBLE, item_code DOUBLE)`);
  const ruleRows: (string | number)[][] = [];
  const itemRows: number[][] = [];
  for (let r = 0; r < m; r++) {
    const start = rules.antecedentOffsets[r]!;
    const antecedent = Array.from(rules.antecedentItems.subarray(start, rules.antecedentOffsets[r + 1]!));
    antecedent.forEach((code, position) => itemRows.push([r, position, code]));
    const consequent = rules.consequents[r]!;
    const id = ruleId(antecedent.map((code) => itemNames[code]!), itemNames[consequent]!);
    ruleRows.push([r, id, consequent, rules.counts[r]!, rules.support[r]!, rules.confidence[r]!, rules.lift[r]!, rules.leverage[r]!, rules.conviction[r]!]);
  }
  await db.appendRows('int_basket_rules', ruleRows);
  await db.appendRows('int_basket_rule_items', itemRows);
  return m;
}

/**
 * `out_recommendations` from the stored rules (marts/recommendations.sql). Its baskets are bitstrings over the items
 * those rules name, numbered densely, so the bound of the bit range is their count.
 */
export async function writeRecommendations(db: Database, item: 'product_id' | 'category', perCustomer: number): Promise<void> {
  const ruleItems = Number(await db.value('SELECT count(*) FROM (SELECT item_code FROM int_basket_rule_items UNION SELECT consequent_code FROM int_basket_rules)'));
  await db.runFile('marts/recommendations.sql', { item, per_customer: perCustomer, max_code: Math.max(0, ruleItems - 1) });
}

/**
 * The top `k` frequent pairs by lift (ties: more transactions, then codes) and the top `k` by support, as
 * int_basket_pairs (a_code, b_code, pair_count, support, lift, by_lift, by_support). A single scan with a
 * k-long insertion list, since low supports can give millions of pairs.
 */
export async function storeTopPairs(db: Database, itemsets: Itemsets, k: number): Promise<void> {
  const { offsets, items, counts, nTransactions: n } = itemsets;
  const single = new Map<number, number>();
  const byLift: Pair[] = [];
  const bySupport: Pair[] = [];
  for (let z = 0; z < counts.length; z++) {
    const len = offsets[z + 1]! - offsets[z]!;
    if (len === 1) single.set(items[offsets[z]!]!, counts[z]!);
    if (len !== 2) continue;
    const a = items[offsets[z]!]!;
    const b = items[offsets[z]! + 1]!;
    const pair = { a, b, count: counts[z]!, lift: (counts[z]! * n) / (single.get(a)! * single.get(b)!) };
    keepTop(byLift, pair, k, (p, q) => q.lift - p.lift || q.count - p.count || p.a - q.a || p.b - q.b);
    keepTop(bySupport, pair, k, (p, q) => q.count - p.count || q.lift - p.lift || p.a - q.a || p.b - q.b);
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE int_basket_pairs (a_code DOUBLE, b_code DOUBLE, pair_count DOUBLE, support DOUBLE, lift DOUBLE,
                  by_lift DOUBLE, by_support DOUBLE)`);
  const rows = new Map<string, (number | null)[]>();
  const add = (list: Pair[], column: 5 | 6): void =>
    list.forEach((p, i) => {
      const key = `${p.a},${p.b}`;
      const row = rows.get(key) ?? [p.a, p.b, p.count, p.count / n, p.lift, null, null];
      row[column] = i + 1;
      rows.set(key, row);
    });
  add(byLift, 5);
  add(bySupport, 6);
  await db.appendRows('int_basket_pairs', [...rows.values()]);
}

interface Pair {
  a: number;
  b: number;
  count: number;
  lift: number;
}

/** Inserts `pair` into the sorted list `top` when it is among the first k under `cmp`. */
function keepTop(top: Pair[], pair: Pair, k: number, cmp: (p: Pair, q: Pair) => number): void {
  if (top.length === k && cmp(pair, top[k - 1]!) >= 0) return;
  let i = Math.min(top.length, k - 1);
  top[i] = pair;
  while (i > 0 && cmp(top[i]!, top[i - 1]!) < 0) {
    [top[i], top[i - 1]] = [top[i - 1]!, top[i]!];
    i--;
  }
}
