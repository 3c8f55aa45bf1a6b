/**
 * The basket stage's input: transactions in CSR form with integer item codes, and the item names by code.
 *
 * The SQL model (intermediate/int_basket_transactions.sql) decides what a transaction and an item are and
 * recodes both as dense ranks, so only two integer columns stream into JS (db.int32Columns, chunk by chunk, as
 * the Int32Arrays the miner takes); no JS object is made per order line. Only the item
 * dictionary, one string per distinct item, is read as rows.
 */
import type { Database } from '../../db/database.js';
import type { Transactions } from '../../analytics/itemsets/frequent-itemsets.js';
import type { PipelineConfig } from '../../config/schema.js';

export interface BasketInput {
  transactions: Transactions;
  /** itemNames[code] is the product id or category the code stands for. */
  itemNames: string[];
  nTransactions: number;
}

export async function loadTransactions(db: Database, config: PipelineConfig['basket'], asOf: string): Promise<BasketInput> {
  await db.runFile('intermediate/int_basket_transactions.sql', { as_of: asOf, transaction: config.transaction, item: config.item });
  const { rows, columns } = await db.int32Columns('SELECT tx_code, item_code FROM int_basket_transactions ORDER BY tx_code, item_code');
  const tx = columns.tx_code!;
  const nTransactions = rows === 0 ? 0 : tx[rows - 1]! + 1;
  const offsets = new Int32Array(nTransactions + 1);
  for (let i = 0; i < rows; i++) offsets[tx[i]! + 1]!++;
  for (let t = 0; t < nTransactions; t++) offsets[t + 1]! += offsets[t]!;
  const items = columns.item_code!;
  const names = await db.all<{ item: string }>('SELECT item FROM int_basket_items ORDER BY item_code');
  return { transactions: { offsets, items }, itemNames: names.map((r) => r.item), nTransactions };
}
