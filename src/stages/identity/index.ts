/**
 * Stage `identity`: one customer per person across channels, with a key that stays put. Source identities become
 * nodes; normalised emails, E.164 phones, customer ids (within their id space) and visitor ids become keys;
 * guarded keys (blocklist, fan-out) are dropped; connected components by union-find over the integer edges SQL
 * builds (components.ts); stable keys from the persistent key map. Publishes customers, customer_crosswalk,
 * customer_key_history, orders and interactions, and appends identity checks to data_quality.
 */
import { DataError } from '../../errors.js';
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { buildPhoneMap } from './phones.js';
import { buildIdentityNodes } from './nodes.js';
import { resolveComponents } from './components.js';
import { buildGoldenRecords } from './golden.js';

async function checkClusterSizes(ctx: RunContext): Promise<void> {
  const limit = ctx.pipeline.config.identity.max_cluster_size;
  const big = await ctx.db.all<{ component: number; n: number }>('SELECT component, count(*) AS n FROM int_identity_components GROUP BY component HAVING count(*) > $limit ORDER BY n DESC LIMIT 1', { limit });
  const worst = big[0];
  if (!worst) return;
  const keys = await ctx.db.all<{ k: string; n: number }>(
    `SELECT key_type || ' ' || value AS k, count(*) AS n FROM int_identity_keys JOIN int_identity_components USING (node_id)
     WHERE component = $c GROUP BY ALL ORDER BY n DESC, k LIMIT 5`, { c: worst.component });
  throw new DataError(
    `identity: one customer would merge ${worst.n} source identities (identity.max_cluster_size is ${limit}); the most shared identifiers: ${keys.map((k) => `${k.k} (${k.n})`).join(', ')}; add them to identity.blocklist or lower identity.max_fanout`,
    'identity_cluster',
  );
}

async function run(ctx: RunContext): Promise<StageResult> {
  const { db, pipeline, runId } = ctx;
  const identity = pipeline.config.identity;
  const valueParts = await buildIdentityNodes(db, identity.id_spaces);
  const phones = await buildPhoneMap(db, identity.default_country, pipeline.config.limits.threads);
  await db.runFile('intermediate/int_identity_keys.sql', { email_folding: identity.email_folding, blocklist: identity.blocklist.map((b) => b.trim().toLowerCase()), max_fanout: identity.max_fanout });
  await db.runFile('intermediate/int_identity_fuzzy_links.sql', {
    threshold: identity.fuzzy.enabled ? identity.fuzzy.threshold : 2, max_block: identity.fuzzy.max_block,
  });
  const linked = await resolveComponents(db);
  await checkClusterSizes(ctx);
  // Key assignment updates three persistent tables: all of it or none (a killed run must not half-assign keys).
  await db.transaction(() => db.runFile('intermediate/int_customer_keys.sql', { run_id: runId }));
  await db.runFile('intermediate/int_activity_keyed.sql');
  const goldenParts = await buildGoldenRecords(db, identity.survivorship);
  await db.runFile('marts/customers.sql', { as_of: ctx.asOf });
  await db.runFile('marts/identity_outputs.sql', { as_of: ctx.asOf });
  await db.runFile('marts/identity_quality.sql', { unusable_phones: phones.unusable });
  ctx.log.debug(`identity: values in ${valueParts} part(s), golden records in ${goldenParts}; ${linked} identities linked to another; ${phones.distinct} distinct phones, ${phones.unusable} unusable`);
  const customers = Number(await db.value('SELECT count(*) FROM out_customers'));
  return { tables: ['customers', 'customer_crosswalk', 'customer_key_history', 'orders', 'interactions'], rowsOut: customers };
}

// The orders and interactions views read the cutoff table.
export const identityStage: Stage = { name: 'identity', needs: ['ingest'], run, handsOn: ['int_activity_cutoff'] };
