/**
 * Chaos test (not part of `npm test`: it takes minutes). `npx tsx bench/chaos.ts [--runs 20] [--customers 500]`
 *
 * Generates a data set, runs the pipeline uninterrupted (twice) as the reference, then, in a second copy, starts the
 * CLI `runs` times and kills it with SIGKILL at a random moment, each time followed by a normal run. After every
 * kill `latest/` must be readable (manifest parses, every listed Parquet file reads); after every normal run it must
 * succeed; at the end every published table must equal the reference's, row for row (run ids aside).
 * Needs `npm run build` first (it runs bin/cra.js as a real process).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database, quoteLiteral } from '../src/db/database.js';
import { createRng } from '../src/analytics/random.js';
import { generate } from '../src/generate/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 20);
const CUSTOMERS = arg('customers', 500);

function runCli(pipeline: string, killAfterMs?: number): Promise<{ code: number | null; killed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(repo, 'bin', 'cra.js'), 'run', pipeline, '--quiet'], { stdio: 'ignore' });
    let killed = false;
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => { killed = true; child.kill('SIGKILL'); }, killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed, ms: performance.now() - started });
    });
  });
}

/** One fingerprint per published table: md5 over its rows in file order, run-dependent columns left out. */
async function fingerprints(outputRoot: string): Promise<Map<string, string>> {
  const latest = path.join(outputRoot, 'latest');
  const manifest = JSON.parse(readFileSync(path.join(latest, 'manifest.json'), 'utf8')) as { outputs: { table: string; path: string }[] };
  const db = await Database.open(':memory:');
  const out = new Map<string, string>();
  try {
    for (const o of manifest.outputs) {
      const file = quoteLiteral(path.join(latest, o.path));
      const exclude = o.table === 'customer_key_history' ? ' EXCLUDE (run_id)' : '';
      // Timings are the one thing a rerun may change.
      const where = o.table === 'model_metrics' ? " WHERE metric <> 'fit_seconds'" : '';
      const hash = await db.value<string>(`SELECT md5(coalesce(string_agg(CAST(t AS VARCHAR), '\n'), '')) FROM (SELECT *${exclude} FROM read_parquet(${file})${where}) t`);
      out.set(o.table, String(hash));
    }
  } finally {
    db.close();
  }
  return out;
}

async function latestReadable(outputRoot: string): Promise<boolean> {
  if (!existsSync(path.join(outputRoot, 'latest'))) return true; // nothing published yet is a valid state
  try {
    await fingerprints(outputRoot);
    return true;
  } catch (error) {
    console.error(`latest/ unreadable: ${(error as Error).message}`);
    return false;
  }
}

async function main(): Promise<void> {
  // One pseudonymisation key for both copies, so hashed columns are comparable.
  process.env.CRA_PII_KEY ??= 'chaos-test-key';
  const base = mkdtempSync(path.join(tmpdir(), 'cra-chaos-'));
  const data = path.join(base, 'data');
  await generate({ outDir: data, customers: CUSTOMERS, seed: 7, days: 730 });
  const reference = path.join(base, 'reference');
  const chaos = path.join(base, 'chaos');
  cpSync(data, reference, { recursive: true });
  cpSync(data, chaos, { recursive: true });

  // The reference runs twice: outputs that depend on run history (segment ids matched to the previous run's,
  // their id_status and match distance) then compare like for like with the chaos copy's final rerun.
  const ref = await runCli(path.join(reference, 'pipeline.yaml'));
  if (ref.code !== 0) throw new Error(`reference run failed with exit ${ref.code}`);
  const refAgain = await runCli(path.join(reference, 'pipeline.yaml'));
  if (refAgain.code !== 0) throw new Error(`second reference run failed with exit ${refAgain.code}`);
  const expected = await fingerprints(path.join(reference, 'reports', 'generated'));
  console.log(`reference run: ${(ref.ms / 1000).toFixed(1)} s, ${expected.size} tables`);

  const rng = createRng(2024);
  const outputRoot = path.join(chaos, 'reports', 'generated');
  let kills = 0;
  let corruptions = 0;
  let failedRecoveries = 0;
  // Reruns are faster than the first run (unchanged files are not reloaded), so kill times follow the last
  // uninterrupted run's duration, which covers every stage and the publish.
  let typical = ref.ms;
  for (let i = 0; i < RUNS; i++) {
    const at = Math.floor(rng.next() * typical * 1.05);
    const killed = await runCli(path.join(chaos, 'pipeline.yaml'), at);
    if (killed.killed) kills++;
    if (!(await latestReadable(outputRoot))) corruptions++;
    const recovery = await runCli(path.join(chaos, 'pipeline.yaml'));
    if (recovery.code !== 0) failedRecoveries++;
    else typical = recovery.ms;
    if (!(await latestReadable(outputRoot))) corruptions++;
    console.log(`run ${i + 1}: killed at ${at} ms (${killed.killed ? 'killed' : `finished first, exit ${killed.code}`}); recovery exit ${recovery.code}`);
  }
  const actual = await fingerprints(outputRoot);
  const differing = [...expected].filter(([table, hash]) => actual.get(table) !== hash).map(([table]) => table);
  const missing = [...expected.keys()].filter((t) => !actual.has(t));
  console.log(`\nchaos: ${RUNS} runs, ${kills} killed with SIGKILL, ${corruptions} unreadable latest/, ${failedRecoveries} failed recoveries`);
  console.log(`final outputs vs uninterrupted run: ${differing.length === 0 && missing.length === 0 ? 'identical' : `DIFFER in ${[...differing, ...missing].join(', ')}`} (${expected.size} tables)`);
  if (corruptions || failedRecoveries || differing.length || missing.length) process.exitCode = 1;
}

await main();
