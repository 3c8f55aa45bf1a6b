/**
 * The basket stage on a hand-made case (test/fixtures/basket): 20 order transactions up to as_of with
 * min_support 0.15, exactly 3 transactions (0.15 × 20 is 3.0000000000000004 in floating point, so a float
 * threshold would wrongly demand 4). The published rules must equal a brute-force enumeration over the
 * fixture's lines (basket-fixture.ts) — same rules, counts, metrics and order — with cancelled lines, returns
 * and rows after as_of left out; conviction is +inf in Parquet for confidence-1 rules; recommendations equal
 * the oracle's, never repeat a bought product and skip customers who are not contactable or opted out of
 * profiling. Also customer transactions (guests left out and counted), category items, and the explosion guard.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { bruteItemsets } from '../analytics/basket-oracle.js';
import { minSupportCount } from '../../src/analytics/support-threshold.js';
import { CraError } from '../../src/errors.js';
import { copyFixture, readParquet, runFile } from '../helpers.js';
import { CRM, LINES, eligible, oracleRecommendations, oracleRules, transactions, type Case, type PublishedRule } from './basket-fixture.js';

type RuleRow = PublishedRule & { count: number; support: number; leverage: number; conviction: number };
type Metric = { metric: string; dimension: string; dimension_value: string; value: number };

let dir: string;
let base: ReturnType<typeof run>;
beforeAll(() => {
  dir = copyFixture('basket');
  base = run();
});

async function run(overrides: string[] = []) {
  const outcome = await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['output.pii=keep', ...overrides] });
  const file = (table: string): string => path.join(outcome.runDir, `${table}.parquet`);
  const rules = await readParquet<RuleRow>(file('association_rules'), 'SELECT * FROM t ORDER BY rank');
  const metrics = await readParquet<Metric>(file('model_metrics'), "SELECT * FROM t WHERE model = 'basket'");
  const metric = (name: string, dimension = 'overall'): number | undefined =>
    metrics.find((m) => m.metric === name && m.dimension === dimension)?.value;
  return { outcome, file, rules, metric };
}

/** The published rules equal the oracle's, one by one, in order. */
function expectRulesMatch(rules: RuleRow[], c: Case, minCount: number, confNum: number, confDen: number): void {
  const expected = oracleRules(c, minCount, confNum, confDen);
  const n = c.tx.length;
  expect(rules.map((r) => `${r.antecedent.join('+')}>${r.consequent}`)).toEqual(
    expected.map((e) => `${e.antecedent.map((i) => c.names[i]!).sort().join('+')}>${c.names[e.consequent]}`));
  rules.forEach((r, i) => {
    const e = expected[i]!;
    expect(r.rank).toBe(i + 1);
    expect(r.count).toBe(e.count);
    expect(r.support).toBeCloseTo(e.count / n, 12);
    expect(r.confidence).toBeCloseTo(e.count / e.countX, 12);
    expect(r.lift).toBeCloseTo((e.count * n) / (e.countX * e.countY), 12);
    expect(r.leverage).toBeCloseTo(e.count / n - (e.countX / n) * (e.countY / n), 12);
    if (e.count === e.countX) expect(r.conviction).toBe(Infinity);
    else expect(r.conviction).toBeCloseTo(((n - e.countY) * e.countX) / (n * (e.countX - e.count)), 12);
    const key = [...r.antecedent].sort().join('\u001f') + '\u001e' + r.consequent;
    expect(r.rule_id).toBe(createHash('sha256').update(key).digest('hex').slice(0, 16));
  });
}

const emailOf = (flag: 'email_opt_out' | 'profiling_opt_out'): Set<string> => new Set(CRM.filter((c) => c[flag] === 'true').map((c) => c.email!));
const notContactable = emailOf('email_opt_out');
const optedOut = emailOf('profiling_opt_out');

async function expectRecommendationsMatch(file: (t: string) => string, rules: RuleRow[], perCustomer: number, excludedWouldHave = false): Promise<void> {
  const customers = await readParquet<{ customer_key: string; email: string }>(file('customers'), 'SELECT customer_key, email FROM t');
  const emailOfKey = new Map(customers.map((c) => [c.customer_key, c.email]));
  const recs = await readParquet<{ customer_key: string; product_id: string; rule_id: string; rank: number; score: number }>(
    file('recommendations'), 'SELECT * FROM t ORDER BY customer_key, rank');
  const got = recs.map((r) => ({ ...r, email: emailOfKey.get(r.customer_key)! }))
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.rank - b.rank));
  const expected = oracleRecommendations(rules, (e) => !notContactable.has(e) && !optedOut.has(e), perCustomer);
  expect(got.map((r) => [r.email, r.product_id, r.rule_id, r.rank])).toEqual(expected.map((r) => [r.email, r.product_id, r.rule_id, r.rank]));
  got.forEach((r, i) => expect(r.score).toBeCloseTo(expected[i]!.score, 12));
  // Never a product the customer already bought (completed, up to as_of).
  for (const r of got) {
    expect(LINES.some((l) => eligible(l) && l.email === r.email && l.product === r.product_id), `${r.email} ${r.product_id}`).toBe(false);
  }
  // With excludedWouldHave, both excluded customers have applicable rules: the exclusion is what removes them.
  const everyone = oracleRecommendations(rules, () => true, perCustomer);
  for (const e of [...notContactable, ...optedOut]) {
    if (excludedWouldHave) expect(everyone.some((r) => r.email === e), e).toBe(true);
    expect(got.some((r) => r.email === e), e).toBe(false);
  }
}

describe('basket stage', () => {
  it('publishes exactly the brute-force rules of the order baskets, at a threshold met exactly', async () => {
    const { rules, metric, file, outcome } = await base;
    const c = transactions('order', 'product_id');
    expect(c.tx.length).toBe(20);
    expect(minSupportCount(0.15, 20)).toBe(3);
    expectRulesMatch(rules, c, 3, 6, 10);
    expect(rules.length).toBe(23);
    expect(Math.min(...rules.map((r) => r.count))).toBe(3); // itemsets at exactly the threshold are kept
    expect(metric('transactions')).toBe(20);
    expect(metric('min_support_count')).toBe(3);
    expect(metric('frequent_itemsets')).toBe(21);
    expect(outcome.manifest.models.basket).toMatchObject({ itemsets: 21, rules: 23 });
    // X is only ever cancelled or returned (3 orders) and the order after as_of has every product: none counts.
    expect(metric('items')).toBe(8);
    expect(rules.some((r) => r.consequent === 'X' || r.antecedent.includes('X'))).toBe(false);
    expect(rules.find((r) => r.antecedent.join() === 'G' && r.consequent === 'D')).toMatchObject({ count: 3, confidence: 1, conviction: Infinity });
    expect(metric('rules', 'rule_length')).toBeDefined();

    const schema = await readParquet<{ column_name: string; column_type: string }>(file('association_rules'), 'DESCRIBE SELECT * FROM t');
    expect(schema.find((s) => s.column_name === 'antecedent')?.column_type).toBe('VARCHAR[]');
    const [inf] = await readParquet<{ n: number; ones: number }>(file('association_rules'),
      "SELECT count(*) FILTER (WHERE conviction = CAST('inf' AS DOUBLE)) AS n, count(*) FILTER (WHERE confidence = 1) AS ones FROM t");
    expect(inf).toEqual({ n: 13, ones: 13 });
  });

  it('recommends unbought products from applicable rules, best rule per product, only to contactable customers', async () => {
    const { rules, file } = await base;
    await expectRecommendationsMatch(file, rules, 5, true);
    const recs = await readParquet<{ product_id: string; rule_id: string }>(file('recommendations'));
    const abcH = rules.find((r) => r.antecedent.join() === 'A,B,C' && r.consequent === 'H')!;
    expect(recs.filter((r) => r.product_id === 'H').map((r) => r.rule_id)).toEqual([abcH.rule_id]); // c3 via the 3-item rule
  });

  it('with transaction: customer, one basket per customer; guests are left out and counted', async () => {
    const { rules, metric, file } = await run(['basket.transaction=customer', 'basket.min_support=0.375', 'basket.recommendations_per_customer=1']);
    const c = transactions('customer', 'product_id');
    expect(c.tx.length).toBe(8);
    expectRulesMatch(rules, c, 3, 6, 10);
    expect(rules.length).toBeGreaterThan(0);
    expect(metric('transactions')).toBe(8);
    expect(metric('guest_orders_excluded')).toBe(4); // W011, W012, W013, W017 (W026 was cancelled)
    await expectRecommendationsMatch(file, rules, 1);
  });

  it('with item: category, items are the line category or else the catalogue one', async () => {
    const { rules, metric, file } = await run(['basket.item=category']);
    const c = transactions('order', 'category');
    expect(c.names).toContain('Outdoor'); // a line's own category wins over the catalogue's Garden
    expectRulesMatch(rules, c, minSupportCount(0.15, c.tx.length), 6, 10);
    expect(rules.length).toBeGreaterThan(0);
    expect(metric('lines_without_item')).toBe(4); // E has no catalogue category; 4 of its lines name none
    expect(await readParquet(file('recommendations'))).toEqual([]);
  });

  it('skips with the reason when no pair is frequent or there are fewer than 2 transactions', async () => {
    const skipped = async (overrides: string[], asOf?: string) => {
      const { manifest } = await runFile(path.join(dir, 'pipeline.yaml'), { overrides, asOf });
      return manifest.stages.find((s) => s.name === 'basket');
    };
    expect(await skipped(['basket.min_support=0.5'])).toMatchObject({ status: 'skipped', reason: expect.stringContaining('no pair of items reaches basket.min_support 0.5 (10 of 20 transactions)') });
    expect(await skipped([], '2024-02-01')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('only 1 transaction(s)') });
  });

  it('fails with exit 1 naming basket.min_support and a value that fits when itemsets exceed max_itemsets', async () => {
    const error = await run(['basket.max_itemsets=10']).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CraError);
    expect((error as CraError).exitCode).toBe(1);
    const message = (error as Error).message;
    expect(message).toContain('basket.max_itemsets');
    const suggested = Number(/set basket\.min_support to ([0-9.e-]+)/.exec(message)?.[1]);
    expect(suggested).toBe(0.2); // 10 itemsets reach 4 transactions; 21 reach 3
    const c = transactions('order', 'product_id');
    const code = new Map(c.names.map((n, i) => [n, i]));
    const basket = { tx: c.tx.map((t) => t.map((n) => code.get(n)!)), nItems: c.names.length };
    expect(bruteItemsets(basket, minSupportCount(suggested, 20)).size).toBeLessThanOrEqual(10);
    expect(bruteItemsets(basket, 3).size).toBeGreaterThan(10);
  });
});
