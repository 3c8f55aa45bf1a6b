/**
 * Shared by the two basket sections: why there is nothing to show (stage not run, or skipped with its reason),
 * the stage's model_metrics as a lookup, and item labels. Items are product ids or categories; a product is
 * labelled "name (id)" where the catalogue (stg_products) has a name, so a reader sees what a rule is about.
 */
import type { ReportContext } from '../context.js';

export interface BasketModel {
  itemsets: number;
  rules: number;
  transactions: number;
  transaction: 'order' | 'customer';
  item: 'product_id' | 'category';
}

/** The basket model of this run, or the sentence that replaces the section. */
export async function basketModel(ctx: ReportContext, table: string): Promise<BasketModel | string> {
  const record = ctx.stages.find((s) => s.name === 'basket');
  if (record?.status === 'skipped') return `The basket stage was skipped: ${record.reason ?? 'no reason given'}.`;
  const model = ctx.models.basket as BasketModel | undefined;
  if (!model || !(await ctx.has(table))) return 'The basket stage did not run in this run.';
  return model;
}

/** model_metrics values of the basket model with dimension 'overall', by metric. */
export async function basketMetrics(ctx: ReportContext): Promise<Map<string, number>> {
  const rows = await ctx.db.all<{ metric: string; value: number }>(
    `SELECT metric, value FROM out_model_metrics WHERE model = 'basket' AND dimension = 'overall'`);
  return new Map(rows.map((r) => [r.metric, Number(r.value)]));
}

/**
 * A CTE `labels(item, label)` for every item of this run: "name (id)" for named products, else the item itself.
 * Reads the catalogue only when items are products (a category could collide with a product id).
 */
export async function labelsCte(ctx: ReportContext, model: BasketModel): Promise<string> {
  const named = model.item === 'product_id' && (await ctx.db.tableExists('stg_products'));
  const names = named
    ? `SELECT product_id, min(name) AS name FROM stg_products WHERE name IS NOT NULL GROUP BY product_id`
    : `SELECT CAST(NULL AS VARCHAR) AS product_id, CAST(NULL AS VARCHAR) AS name WHERE false`;
  return `labels AS (SELECT i.item, coalesce(n.name || ' (' || i.item || ')', i.item) AS label
                     FROM int_basket_items i LEFT JOIN (${names}) n ON n.product_id = i.item)`;
}

export const fmtRatio = (x: number, digits = 2): string =>
  Number.isFinite(x) ? x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : x > 0 ? '∞' : '—';
