/**
 * Identity resolution at scale (`npx tsx bench/identity.ts [--customers 200000]`): generates (and caches) a data
 * set, ingests it, then times the identity stage alone and scores it against the planted truth with pairwise
 * precision and recall. About 4.7 source identities per person, so 200k customers is about a million identities
 * (the target: 1M identities in ≤ 90 s on 2 cores, precision ≥ 0.99, recall ≥ 0.97).
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairwiseAccuracy } from '../src/analytics/pairwise-accuracy.js';
import { loadPipeline } from '../src/config/load.js';
import { Database, quoteLiteral } from '../src/db/database.js';
import { generate } from '../src/generate/index.js';
import type { Logger } from '../src/pipeline/logger.js';
import { runPipeline } from '../src/pipeline/run.js';
import { ALL_STAGES } from '../src/stages/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--customers');
const CUSTOMERS = i > 0 ? Number(process.argv[i + 1]) : 200_000;
const dir = path.join(repo, 'bench', 'cache', `generated-${CUSTOMERS}-42`);
if (!existsSync(path.join(dir, 'truth.json'))) await generate({ outDir: dir, customers: CUSTOMERS, seed: 42, days: 730 });

const seconds = new Map<string, number>();
let started = 0;
const log: Logger = {
  debug: () => {}, warn: () => {}, error: (m) => process.stderr.write(`${m}\n`),
  info: (_m, f) => {
    if (f?.event === 'stage_start') started = performance.now();
    if (f?.event === 'stage_end') seconds.set(String(f.stage), (performance.now() - started) / 1000);
  },
};
const pipeline = loadPipeline(path.join(dir, 'pipeline.yaml'), ['output.pii=keep', 'stages=[identity]', 'state_dir=bench-identity-state', 'output.dir=bench-identity-out']);
rmSync(pipeline.stateDir, { recursive: true, force: true });
await runPipeline({ pipeline, stages: ALL_STAGES, log });

const db = await Database.open(':memory:');
const crosswalk = quoteLiteral(path.join(pipeline.outputRoot, 'latest', 'customer_crosswalk.parquet'));
const truth = quoteLiteral(path.join(dir, 'truth_identities.csv'));
const rows = await db.all<{ k: string | null; p: string }>(
  `SELECT c.customer_key AS k, coalesce(t.person_id, '') AS p
   FROM read_csv(${truth}, all_varchar = true) t
   LEFT JOIN read_parquet(${crosswalk}) c USING (source, id_type, source_record_id)`,
);
db.close();
const accuracy = pairwiseAccuracy(rows.map((r, n) => r.k ?? `missing-${n}`), rows.map((r) => r.p));
console.log(`${CUSTOMERS} customers, ${rows.length} source identities`);
console.log(`ingest ${seconds.get('ingest')?.toFixed(1)} s; identity stage ${seconds.get('identity')?.toFixed(1)} s (target ≤ 90 s for 1M identities)`);
console.log(`pairwise precision ${accuracy.precision.toFixed(4)}, recall ${accuracy.recall.toFixed(4)} (${accuracy.correctPairs} of ${accuracy.truePairs} true pairs, ${accuracy.predictedPairs} predicted)`);
