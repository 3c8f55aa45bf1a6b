/**
 * Builds int_customer_golden, the survivorship winners of each customer's golden record, in parts by a hash of
 * customer_key (int_customer_golden.sql). Its arg_max states keep their strings where DuckDB cannot spill them: over
 * 4M customers' 18.2M identities one pass ran out of limits.memory 2GB (1.8 GiB), while 1M customers' 4.55M identities
 * had passed at the same limit. So an identity takes at most 1.8 GiB / 4.55M ≈ 424 bytes of that, and the parts are
 * sized with that bound so that one part uses the same share of the memory limit as the identity lists.
 */
import type { Database } from '../../db/database.js';

/** The upper bound measured above: bytes per identity in the golden record's aggregate. */
const GOLDEN_BYTES_PER_IDENTITY = 424;
/** The share of the memory limit one part may use (as for the identity lists, src/stages/identity/nodes.ts). */
const GOLDEN_MEMORY_SHARE = 0.4;

export interface Survivorship {
  source_priority: string[];
  rule: 'recent' | 'frequent';
}

/** `fixedParts` overrides the sizing (tests check that any number of parts gives the same customers). */
export async function buildGoldenRecords(db: Database, survivorship: Survivorship, fixedParts?: number): Promise<number> {
  const identities = Number(await db.value('SELECT count(*) FROM int_node_keys'));
  const budget = (await db.memoryLimitBytes()) * GOLDEN_MEMORY_SHARE;
  const parts = fixedParts ?? Math.max(1, Math.ceil((identities * GOLDEN_BYTES_PER_IDENTITY) / budget));
  // A resumed run may hold the table from the attempt that failed.
  await db.run('DROP TABLE IF EXISTS int_customer_golden');
  for (let part = 0; part < parts; part++) {
    await db.runFile('intermediate/int_customer_golden.sql', { part, parts, source_priority: survivorship.source_priority, rule: survivorship.rule });
  }
  return parts;
}
