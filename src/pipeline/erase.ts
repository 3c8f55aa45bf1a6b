/**
 * `cra erase` (contract §6): removes one person from the warehouse, every retained run and history partition,
 * suppresses their identifiers (as keyed hashes) at future ingests, writes an audit line saying when and what kind
 * of identifier (never who), and republishes `latest` with a fresh run.
 */
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pipeline } from '../config/load.js';
import { Database, duckdbMemoryLimit } from '../db/database.js';
import { DataError } from '../errors.js';
import { buildPhoneMap, toE164 } from '../stages/identity/phones.js';
import { buildIdentityNodes } from '../stages/identity/nodes.js';
import { ALL_STAGES } from '../stages/index.js';
import { eraseFromPublishedFiles } from './erase-files.js';
import { acquireLock } from './lock.js';
import type { Logger } from './logger.js';
import type { Manifest } from './manifest.js';
import { loadPiiKey, piiParams } from './pii.js';
import { dropRunScratch } from './resume.js';
import { runPipeline, type RunOutcome } from './run.js';

export type EraseTarget = { email: string } | { phone: string } | { customerKey: string };

export interface EraseResult {
  customers: string[];
  rows: number;
  files: number;
  republished: RunOutcome;
}

async function findKeys(db: Database, target: EraseTarget, defaultCountry: string): Promise<string[]> {
  const join = 'FROM int_identity_rows r JOIN identity_key_map m ON m.source = r.source AND m.id_type = r.id_type AND m.source_record_id = r.source_record_id';
  let rows: { customer_key: string }[];
  if ('customerKey' in target) {
    rows = await db.all('SELECT DISTINCT customer_key FROM identity_key_map WHERE customer_key = $key', { key: target.customerKey });
  } else if ('email' in target) {
    rows = await db.all(`SELECT DISTINCT m.customer_key ${join} WHERE lower(trim(r.email)) = $email`, { email: target.email.trim().toLowerCase() });
  } else {
    const e164 = toE164(target.phone, defaultCountry);
    if (!e164) throw new DataError(`--phone ${target.phone}: not a valid phone number for ${defaultCountry}; nothing to erase`, 'erase_nothing');
    rows = await db.all(`SELECT DISTINCT m.customer_key ${join} JOIN phone_map p ON p.raw = r.phone WHERE p.e164 = $e164`, { e164 });
  }
  return rows.map((r) => r.customer_key).sort();
}

function describe(target: EraseTarget): string {
  return 'customerKey' in target ? 'customer_key' : 'email' in target ? 'email' : 'phone';
}

export async function erasePerson(pipeline: Pipeline, target: EraseTarget, log: Logger, clock: () => Date = () => new Date()): Promise<EraseResult> {
  const now = clock();
  const release = acquireLock(pipeline.stateDir, log, now);
  let keys: string[];
  let rows: number;
  try {
    const db = await Database.open(path.join(pipeline.stateDir, 'warehouse.duckdb'), { memoryLimit: duckdbMemoryLimit(pipeline.config.limits.memory), threads: pipeline.config.limits.threads });
    try {
      if (!(await db.tableExists('identity_key_map'))) throw new DataError('nothing to erase: this pipeline has not resolved any customer yet', 'erase_nothing');
      await buildIdentityNodes(db, pipeline.config.identity.id_spaces);
      await buildPhoneMap(db, pipeline.config.identity.default_country);
      keys = await findKeys(db, target, pipeline.config.identity.default_country);
      if (keys.length === 0) throw new DataError(`nothing to erase: no customer has that ${describe(target)}`, 'erase_nothing');
      const pii = piiParams(loadPiiKey(pipeline.stateDir, log));
      await db.transaction(() => db.runFile('intermediate/int_erase_person.sql', { keys, ...pii, now: now.toISOString() }));
      rows = Number(await db.value('SELECT count(*) FROM erase_rows'));
      // A failed run's keyed activity and resume state still hold the person; the republish below rebuilds both.
      await dropRunScratch(db);
    } finally {
      db.close();
    }
    await appendFile(path.join(pipeline.stateDir, 'erase-audit.jsonl'), `${JSON.stringify({ at: now.toISOString(), identifier_type: describe(target), customers: keys.length, rows })}\n`, { mode: 0o600 });
  } finally {
    release();
  }
  const files = await eraseFromPublishedFiles(pipeline.outputRoot, keys);
  log.info(`erased ${keys.length} customer(s): ${rows} warehouse rows, ${files} published file(s) rewritten; republishing latest`);
  let asOf: string | undefined;
  try {
    asOf = (JSON.parse(await readFile(path.join(pipeline.outputRoot, 'latest', 'manifest.json'), 'utf8')) as Manifest).as_of;
  } catch {
    asOf = undefined;
  }
  const republished = await runPipeline({ pipeline, stages: ALL_STAGES, log, clock, asOf });
  return { customers: keys, rows, files, republished };
}
