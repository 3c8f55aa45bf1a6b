/**
 * Suppression (contract §6): people removed with `cra erase` stay removed. Their identifiers are kept only as keyed
 * hashes in `suppressed_identities`; at every ingest, staged rows carrying one of them are quarantined as
 * `suppressed` with the raw text dropped, so the next run of the same exports does not bring them back, and they
 * still count in the row accounting. The identifier forms are shared with erase (`identifierSql`).
 */
import { quoteIdent, type Database } from '../../db/database.js';
import { CHANNEL_SPECS, type Channel } from '../../config/channels.js';
import { hmacSql, piiParams, type PiiKey } from '../../pipeline/pii.js';
import { buildPhoneMapFrom } from '../identity/phones.js';

/** The canonical text of one identifier before hashing: `email:jane@x.com`, `phone:+4420…`, `customer_id:shop:S1`. */
export function identifierSql(kind: 'email' | 'phone' | 'customer_id' | 'visitor_id', column: string, space: string): string {
  const c = quoteIdent(column);
  switch (kind) {
    case 'email': return `'email:' || lower(trim(${c}))`;
    case 'phone': return `'phone:' || (SELECT e164 FROM phone_map WHERE raw = ${c})`;
    case 'customer_id': return `'customer_id:' || ${space} || ':' || trim(${c})`;
    case 'visitor_id': return `'visitor_id:' || ${space} || ':' || trim(${c})`;
  }
}

export async function hasSuppressions(db: Database): Promise<boolean> {
  return Number(await db.value('SELECT count(*) FROM suppressed_identities')) > 0;
}

/** Marks rows of stg_batch whose identifiers are suppressed. `space` is the source's customer-id space. */
export async function applySuppression(db: Database, channel: Channel, source: string, space: string, key: PiiKey, defaultCountry: string): Promise<void> {
  const columns = (['email', 'phone', 'customer_id', 'visitor_id'] as const).filter((c) => c in CHANNEL_SPECS[channel].columns);
  if (columns.length === 0) return;
  if (columns.includes('phone')) await buildPhoneMapFrom(db, 'SELECT DISTINCT phone AS raw FROM stg_batch WHERE phone IS NOT NULL', defaultCountry);
  const idSpace = (c: string): string => (c === 'visitor_id' ? '$source' : '$space');
  const hashes = columns.map((c) => `${hmacSql(identifierSql(c, c, idSpace(c)))} IN (SELECT value_hash FROM suppressed_identities)`);
  await db.run(
    `UPDATE stg_batch SET reject_reason = 'suppressed', reject_detail = 'identity erased with cra erase', raw = NULL
     WHERE reject_reason IS NULL AND (${hashes.join(' OR ')})`,
    { ...piiParams(key), source, space },
  );
}
