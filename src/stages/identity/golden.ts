/**
 * Builds int_customer_golden, the survivorship winners of each customer's golden record, in parts by a hash of
 * customer_key (int_customer_golden.sql). Its arg_max states (strings ordered by a struct) did not spill: over 4M
 * customers' 18.2M identities one pass ran out of limits.memory 2GB (1.8 GiB), while 1M customers' 4.55M identities
 * had passed at the same limit. So an identity takes at most 1.8 GiB / 4.55M ≈ 424 bytes of that, and the parts are
 * sized with that bound, like the identity values (nodes.ts).
 */
import type { Database } from '../../db/database.js';
import type { PipelineConfig } from '../../config/schema.js';
import { memoryParts } from './nodes.js';

/** The upper bound measured above: bytes per identity in the golden record's aggregate. */
const GOLDEN_BYTES_PER_IDENTITY = 424;

type Survivorship = PipelineConfig['identity']['survivorship'];

/** `fixedParts` overrides the sizing (tests check that any number of parts gives the same customers). */
export async function buildGoldenRecords(db: Database, survivorship: Survivorship, fixedParts?: number): Promise<number> {
  const identities = Number(await db.value('SELECT count(*) FROM int_node_keys'));
  const parts = fixedParts ?? (await memoryParts(db, identities, GOLDEN_BYTES_PER_IDENTITY));
  // A resumed run may hold the table from the attempt that failed.
  await db.run('DROP TABLE IF EXISTS int_customer_golden');
  for (let part = 0; part < parts; part++) {
    await db.runFile('intermediate/int_customer_golden.sql', { part, parts, source_priority: survivorship.source_priority, rule: survivorship.rule });
  }
  return parts;
}
