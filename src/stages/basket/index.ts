/**
 * Stage `basket`: exact association rules (contract §5, arules semantics) and next-best-product
 * recommendations. DuckDB builds the transactions and recodes items to integers; the exact FP-growth miner and
 * the rule generator (src/analytics) run on typed arrays; the rules go back through the appender, and both
 * published tables are SQL models over them. Publishes association_rules, recommendations and model_metrics
 * rows; manifest.models.basket = { itemsets, rules, fit_seconds, … }.
 */
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { countOfLength, mine } from './mine.js';
import { storeRules, storeTopPairs, writeRecommendations } from './store.js';
import { loadTransactions } from './transactions.js';

/** Pairs kept for the report's co-occurrence view, by lift and by support. */
const TOP_PAIRS = 15;

async function run(ctx: RunContext): Promise<StageResult> {
  const { db, log } = ctx;
  const config = ctx.pipeline.config.basket;
  // Idempotent under --resume: a failed earlier attempt may have left some of this stage's rows.
  await db.run(`DELETE FROM out_model_metrics WHERE model = 'basket'`);
  const input = await loadTransactions(db, config, ctx.asOf);
  const { itemsets, rules, minCount, fitSeconds } = mine(input, config, log);
  const published = await storeRules(db, rules, input.itemNames, config.max_rules);
  if (published < rules.length) log.warn(`basket: ${rules.length} rules found; publishing the first ${published} (basket.max_rules)`);
  await storeTopPairs(db, itemsets, TOP_PAIRS);
  await db.runFile('marts/association_rules.sql');
  await writeRecommendations(db, config.item, config.recommendations_per_customer);
  await db.runFile('marts/basket_model_metrics.sql', { transaction: config.transaction });

  const metrics: [string, string, string, number][] = [
    ['transactions', 'overall', 'all', input.nTransactions],
    ['items', 'overall', 'all', input.itemNames.length],
    ['min_support_count', 'overall', 'all', minCount],
    ['frequent_itemsets', 'overall', 'all', itemsets.counts.length],
    ['rules', 'overall', 'all', rules.length],
    ['rules_published', 'overall', 'all', published],
  ];
  const maxItemsetLength = itemsets.offsets.length > 1 ? itemsets.offsets.at(-1)! - itemsets.offsets.at(-2)! : 0;
  for (let len = 1; len <= maxItemsetLength; len++) metrics.push(['frequent_itemsets', 'itemset_length', String(len), countOfLength(itemsets, len)]);
  const byLength = new Map<number, number>();
  for (let r = 0; r < rules.length; r++) {
    const len = rules.antecedentOffsets[r + 1]! - rules.antecedentOffsets[r]! + 1;
    byLength.set(len, (byLength.get(len) ?? 0) + 1);
  }
  for (const [len, count] of [...byLength].sort((a, b) => a[0] - b[0])) metrics.push(['rules', 'rule_length', String(len), count]);
  await db.appendRows('out_model_metrics', metrics.map(([metric, dimension, value, v]) => ['basket', metric, dimension, value, v]));

  ctx.models.basket = {
    itemsets: itemsets.counts.length, rules: rules.length, fit_seconds: fitSeconds,
    transactions: input.nTransactions, transaction: config.transaction, item: config.item,
  };
  log.info(`basket: ${input.nTransactions} transactions, ${itemsets.counts.length} frequent itemsets, ${rules.length} rules in ${fitSeconds} s`);
  return { tables: ['association_rules', 'recommendations', 'model_metrics'], rowsOut: published };
}

// The report names the items and shows the frequent pairs.
export const basketStage: Stage = { name: 'basket', needs: ['identity'], run, handsOn: ['int_basket_items', 'int_basket_pairs'] };
