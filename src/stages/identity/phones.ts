/**
 * Phone numbers to E.164 with libphonenumber-js (no hand-written phone rules). Each distinct raw value is parsed
 * once and the result goes back to DuckDB as the small table phone_map(raw, e164); a value that does not parse
 * to a valid number maps to NULL and is counted as unusable for matching.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Database } from '../../db/database.js';

export function toE164(raw: string, defaultCountry: string): string | null {
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** Builds phone_map for every distinct raw phone of the identity nodes; returns [distinct, unusable]. */
export async function buildPhoneMap(db: Database, defaultCountry: string): Promise<{ distinct: number; unusable: number }> {
  return buildPhoneMapFrom(db, 'SELECT DISTINCT unnest(phones) AS raw FROM int_identity_nodes', defaultCountry);
}

/** Builds the temp table phone_map(raw, e164) for the distinct `raw` values a query returns. */
export async function buildPhoneMapFrom(db: Database, distinctRawSql: string, defaultCountry: string): Promise<{ distinct: number; unusable: number }> {
  await db.run('CREATE OR REPLACE TEMP TABLE phone_map (raw VARCHAR, e164 VARCHAR)');
  // Two arrays of strings, not an object per row: at 1M customers there are 2.5M distinct raw phone numbers.
  const raws = (await db.textColumn(distinctRawSql)).filter((r): r is string => r !== null);
  const e164 = raws.map((r) => toE164(r, defaultCountry));
  await db.appendColumns('phone_map', [raws, e164]);
  return { distinct: raws.length, unusable: e164.filter((e) => e === null).length };
}
