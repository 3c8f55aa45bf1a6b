/**
 * Currencies of the analysed orders. Money from several currencies cannot be added, so more than one distinct
 * non-null currency up to as_of is a DataError unless `value.currency_rates` gives every one of them a rate to
 * the reporting currency. The rates reach SQL as two parallel list parameters; lines without a currency are
 * taken to be in the reporting currency already (rate 1). Product unit costs are read as reporting currency.
 */
import type { Database } from '../../db/database.js';
import { DataError } from '../../errors.js';

export interface CurrencyParams {
  rate_currency: string[];
  rate_value: number[];
}

export async function currencyParams(db: Database, asOf: string, rates: Record<string, number> | undefined): Promise<CurrencyParams> {
  const rows = await db.all<{ currency: string; lines: number }>(
    `SELECT currency, count(*) AS lines FROM cra_work.int_orders_keyed
     WHERE currency IS NOT NULL AND ordered_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
     GROUP BY currency ORDER BY currency`,
    { as_of: asOf },
  );
  const seen = rows.map((r) => r.currency);
  if (!rates) {
    if (seen.length > 1) {
      const example = seen.map((c, i) => `${c}: ${i === 0 ? 1 : '…'}`).join(', ');
      throw new DataError(
        `web_orders mix ${seen.length} currencies (${rows.map((r) => `${r.currency} ${r.lines} lines`).join(', ')}); money in different ` +
          `currencies cannot be added. Set value.currency_rates to each currency's rate to one reporting currency, e.g. { ${example} }`,
        'mixed_currencies',
      );
    }
    return { rate_currency: [], rate_value: [] };
  }
  const upper = new Map(Object.entries(rates).map(([k, v]) => [k.trim().toUpperCase(), v]));
  const missing = seen.filter((c) => !upper.has(c));
  if (missing.length > 0) {
    throw new DataError(
      `web_orders have currencies without a rate in value.currency_rates: ${missing.join(', ')}; add them (rate to the reporting currency)`,
      'mixed_currencies',
    );
  }
  return { rate_currency: [...upper.keys()], rate_value: [...upper.values()] };
}
