/**
 * recommendations.sql (through writeRecommendations) against brute force on random data: a catalogue of 80 items of
 * which the rules name only a scattered few, so the rules' dense bit numbering differs from the item codes at every
 * position; random baskets, contactability and profiling opt-outs; rules with tied scores. A customer gets, for each
 * product they did not buy, the best rule whose antecedent they bought (score confidence × lift, ties to the earlier
 * rule), and their top `per_customer` products by score, then product id.
 */
import { describe, expect, it } from 'vitest';
import { memoryDatabasePerTest } from '../helpers.js';
import { createRng, type Rng } from '../../src/analytics/random.js';
import { writeRecommendations } from '../../src/stages/basket/store.js';

interface Rule { index: number; id: string; antecedent: number[]; consequent: number; confidence: number; lift: number }
interface Customer { key: string; contactable: boolean; optOut: boolean; bought: Set<number> }
type Row = { customer_key: string; product_id: string; score: number; rule_id: string; rank: number };

const ITEMS = 80;
const name = (code: number): string => `p${String((code * 37) % 101).padStart(3, '0')}`;

function pick(rng: Rng, from: number[], n: number): number[] {
  const pool = [...from];
  const out: number[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(rng.int(pool.length), 1)[0]!);
  return out;
}

function brute(customers: Customer[], rules: Rule[], perCustomer: number): Row[] {
  const out: Row[] = [];
  for (const c of customers) {
    if (!c.contactable || c.optOut || c.bought.size === 0) continue;
    const best = new Map<number, { rule: Rule; score: number }>();
    for (const r of rules) {
      if (!r.antecedent.every((i) => c.bought.has(i)) || c.bought.has(r.consequent)) continue;
      const score = r.confidence * r.lift;
      const prev = best.get(r.consequent);
      if (!prev || score > prev.score || (score === prev.score && r.index < prev.rule.index)) best.set(r.consequent, { rule: r, score });
    }
    [...best]
      .sort((a, b) => b[1].score - a[1].score || (name(a[0]) < name(b[0]) ? -1 : 1))
      .slice(0, perCustomer)
      .forEach(([item, { rule, score }], i) => out.push({ customer_key: c.key, product_id: name(item), score, rule_id: rule.id, rank: i + 1 }));
  }
  return out.sort((a, b) => (a.customer_key < b.customer_key ? -1 : a.customer_key > b.customer_key ? 1 : a.rank - b.rank));
}

const database = memoryDatabasePerTest();

describe('recommendations', () => {
  it.each([1, 2, 3])('equal brute force when the rules name a scattered few of the items (seed %i)', async (seed) => {
    const db = database();
    const rng = createRng(seed);
    // Rule items: a dozen codes spread over the catalogue, never code 0, so no rule item keeps its own code as its bit.
    const ruleItems = pick(rng, Array.from({ length: ITEMS - 1 }, (_, i) => i + 1), 12).sort((a, b) => a - b);
    const rules: Rule[] = Array.from({ length: 40 }, (_, index) => {
      const [consequent, ...antecedent] = pick(rng, ruleItems, 2 + rng.int(3));
      // Few distinct confidences and lifts, so scores tie often.
      return { index, id: `r${index}`, antecedent, consequent: consequent!, confidence: [0.25, 0.5, 0.75][rng.int(3)]!, lift: [1.5, 2, 3][rng.int(3)]! };
    });
    const popular = [...ruleItems, ...Array.from({ length: ITEMS }, (_, i) => i)];
    const customers: Customer[] = Array.from({ length: 600 }, (_, i) => ({
      key: `c${String(i).padStart(4, '0')}`,
      contactable: rng.int(10) > 0,
      optOut: rng.int(15) === 0,
      bought: new Set(pick(rng, popular, rng.int(9))),
    }));

    await db.run(`CREATE TEMP TABLE int_basket_items (item_code DOUBLE, item VARCHAR);
                  CREATE TEMP TABLE int_basket_lines (customer_key VARCHAR, item VARCHAR);
                  CREATE TEMP TABLE customers_raw (customer_key VARCHAR, is_contactable VARCHAR, profiling_opt_out VARCHAR);
                  CREATE TEMP TABLE int_basket_rules (rule_index DOUBLE, rule_id VARCHAR, consequent_code DOUBLE, confidence DOUBLE, lift DOUBLE);
                  CREATE TEMP TABLE int_basket_rule_items (rule_index DOUBLE, position DOUBLE, item_code DOUBLE);`);
    await db.appendRows('int_basket_items', Array.from({ length: ITEMS }, (_, code) => [code, name(code)]));
    // Each bought item on one or two lines, plus guest lines (no customer) and lines without an item.
    const lines: (string | null)[][] = customers.flatMap((c) => [...c.bought].flatMap((code) => Array.from({ length: 1 + rng.int(2) }, () => [c.key, name(code)])));
    lines.push([null, name(ruleItems[0]!)], ['c0000', null]);
    await db.appendRows('int_basket_lines', lines as (string | number | null)[][]);
    await db.appendRows('customers_raw', customers.map((c) => [c.key, String(c.contactable), String(c.optOut)]));
    await db.run('CREATE TEMP TABLE out_customers AS SELECT customer_key, CAST(is_contactable AS BOOLEAN) AS is_contactable, CAST(profiling_opt_out AS BOOLEAN) AS profiling_opt_out FROM customers_raw');
    await db.appendRows('int_basket_rules', rules.map((r) => [r.index, r.id, r.consequent, r.confidence, r.lift]));
    await db.appendRows('int_basket_rule_items', rules.flatMap((r) => r.antecedent.map((code, position) => [r.index, position, code])));

    await writeRecommendations(db, 'product_id', 3);
    const got = await db.all<Row>('SELECT customer_key, product_id, score, rule_id, "rank" FROM out_recommendations ORDER BY customer_key, "rank"');
    const expected = brute(customers, rules, 3);
    expect(expected.length).toBeGreaterThan(200);
    expect(got.map((r) => ({ ...r, rank: Number(r.rank) }))).toEqual(expected);

    await writeRecommendations(db, 'category', 3);
    expect(await db.all('SELECT * FROM out_recommendations')).toEqual([]);
  });
});
