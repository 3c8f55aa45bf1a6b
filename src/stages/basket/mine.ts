/**
 * Runs the exact itemset miner and the rule generator with the pipeline's `basket:` settings, and turns the
 * engine's generic outcomes into the stage's: too many itemsets is a DataError naming `basket.min_support` (and
 * a value that fits, found by the miner), too little data or no frequent pair is a StageSkip with the reason.
 */
import { associationRules, type Rules } from '../../analytics/association-rules.js';
import { frequentItemsets, ItemsetLimitError, type Itemsets } from '../../analytics/itemsets/frequent-itemsets.js';
import { minSupportCount } from '../../analytics/support-threshold.js';
import type { PipelineConfig } from '../../config/schema.js';
import { DataError, StageSkip } from '../../errors.js';
import type { Logger } from '../../pipeline/logger.js';
import type { BasketInput } from './transactions.js';

export interface Mined {
  itemsets: Itemsets;
  rules: Rules;
  minCount: number;
  fitSeconds: number;
}

/** Item names from the pipeline file → codes; a name absent from the data maps to -1 (matches nothing). */
function codesOf(names: readonly string[] | undefined, codeOf: Map<string, number>, key: string, log: Logger): number[] | undefined {
  if (names === undefined) return undefined;
  const missing = names.filter((n) => !codeOf.has(n));
  if (missing.length > 0) log.warn(`basket.${key}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} not found among this run's items`);
  return names.map((n) => codeOf.get(n) ?? -1);
}

export function mine(input: BasketInput, config: PipelineConfig['basket'], log: Logger): Mined {
  const n = input.nTransactions;
  if (n < 2) throw new StageSkip(`only ${n} transaction(s) with completed lines up to as_of; association rules need at least 2`);
  const minCount = minSupportCount(config.min_support, n);
  const started = performance.now();
  let itemsets: Itemsets;
  try {
    itemsets = frequentItemsets(input.transactions, { minCount, maxLength: config.max_length, maxItemsets: config.max_itemsets });
  } catch (error) {
    if (!(error instanceof ItemsetLimitError)) throw error;
    const wrapped = new DataError(
      `more than basket.max_itemsets (${error.limit}) frequent itemsets at basket.min_support ${config.min_support} ` +
        `(${minCount} of ${n} transactions); set basket.min_support to ${error.suggestedMinSupport} or higher ` +
        `(or lower basket.max_length, or raise basket.max_itemsets)`,
      'itemset_limit',
    );
    wrapped.cause = error;
    throw wrapped;
  }
  const pairs = itemsets.counts.length - countOfLength(itemsets, 1);
  if (pairs === 0) {
    throw new StageSkip(`no pair of items reaches basket.min_support ${config.min_support} (${minCount} of ${n} transactions); lower basket.min_support`);
  }
  const codeOf = new Map(input.itemNames.map((name, code) => [name, code]));
  const rules = associationRules(itemsets, input.itemNames, {
    minConfidence: config.min_confidence,
    ...(config.min_lift > 0 ? { minLift: config.min_lift } : {}),
    ...optional('requireItems', codesOf(config.require_items, codeOf, 'require_items', log)),
    ...optional('excludeItems', codesOf(config.exclude_items, codeOf, 'exclude_items', log)),
    ...optional('consequentIn', codesOf(config.consequent_items, codeOf, 'consequent_items', log)),
    pruneRedundant: config.prune_redundant,
  });
  const fitSeconds = Math.round(performance.now() - started) / 1000;
  return { itemsets, rules, minCount, fitSeconds };
}

function optional<K extends string>(key: K, value: number[] | undefined): Partial<Record<K, number[]>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number[]>);
}

/** Number of itemsets with exactly `length` items (itemsets are ordered by length). */
export function countOfLength(itemsets: Itemsets, length: number): number {
  let c = 0;
  for (let i = 0; i < itemsets.counts.length; i++) if (itemsets.offsets[i + 1]! - itemsets.offsets[i]! === length) c++;
  return c;
}
