/**
 * Stage `ingest`: every source of the pipeline file into the warehouse's staging tables (`stg_<channel>`), with
 * every row accounted for — loaded, rejected with a reason, or dropped as a counted duplicate. Each source loads
 * in its own transaction, two at a time (lanes.ts). Afterwards: as_of (when not fixed) from the data, the per-file
 * accounting for the manifest, `data_quality` and `rejects`, and the reject-rate gate (exit 1 naming the top
 * reasons).
 */
import { quoteIdent, type Database } from '../../db/database.js';
import { CHANNELS } from '../../config/channels.js';
import { DataError } from '../../errors.js';
import type { RunContext, Stage, StageResult } from '../../pipeline/context.js';
import { expandGlob } from './files.js';
import { loadSources } from './lanes.js';
import { ensureStagingTables } from './staging-tables.js';

/** Latest activity date in the data that is not after today (contract §2's default as_of). */
async function defaultAsOf(db: Database, now: Date): Promise<string> {
  const today = now.toISOString().slice(0, 10);
  const value = await db.value<string>(`SELECT CAST(max(CAST(activity_at AS DATE)) AS VARCHAR) FROM stg_activity_dates WHERE CAST(activity_at AS DATE) <= CAST($today AS DATE)`, { today });
  return value ?? today;
}

async function checkRejectRate(ctx: RunContext): Promise<void> {
  const failing = await ctx.db.all<{ table_name: string; value: number }>("SELECT table_name, value FROM out_data_quality WHERE check_name = 'reject_rate' AND status = 'fail' ORDER BY table_name");
  if (failing.length === 0) return;
  const lines: string[] = [];
  for (const f of failing) {
    const reasons = await ctx.db.all<{ reason: string; n: number; example: string }>(
      `SELECT reason, count(*) AS n, min(source_file || ':' || line || ' ' || coalesce(detail, '')) AS example
       FROM out_rejects r WHERE source_file IN (SELECT source_file FROM out_data_quality WHERE table_name = $source AND check_name = 'rows_read')
       GROUP BY reason ORDER BY n DESC, reason LIMIT 3`,
      { source: f.table_name },
    );
    lines.push(`${f.table_name}: ${(f.value * 100).toFixed(1)}% of rows rejected (limit ${(ctx.pipeline.config.limits.reject_rate * 100).toFixed(1)}%)`);
    for (const r of reasons) lines.push(`  ${r.reason}: ${r.n} rows, e.g. ${r.example}`);
  }
  throw new DataError(`${lines.join('\n')}\n  fix the export or the mapping, or raise limits.reject_rate`, 'reject_rate');
}

async function run(ctx: RunContext): Promise<StageResult> {
  const { db, pipeline } = ctx;
  await db.runFile('staging/_warehouse.sql');
  await db.runFile('staging/_macros.sql');
  // stg_batch's rowid is a row's position in the scan only because DuckDB keeps insertion order, so the staging
  // models run with it (test/stages/ingest-lines.test.ts fails without). Past them nothing depends on physical
  // row order (outputs that need one sort), and keeping it makes DuckDB buffer whole results: with
  // limits.memory 2GB, 1M customers ran out of memory in identity with it on (see docs/scaling.md).
  await db.run('SET preserve_insertion_order = true');
  try {
    // Every staging table exists before the loads: two sources of one channel loading at once would otherwise
    // both create it (a catalog conflict).
    await ensureStagingTables(db);
    await loadSources(ctx);
  } finally {
    await db.run('SET preserve_insertion_order = false');
  }
  const union = CHANNELS.map((c) => `SELECT source, source_file, activity_at FROM ${quoteIdent(`stg_${c}`)}`).join(' UNION ALL ');
  await db.run(`CREATE OR REPLACE TEMP VIEW stg_activity_dates AS ${union}`);
  if (!ctx.asOf) {
    ctx.asOf = await defaultAsOf(db, ctx.options.now);
    ctx.log.info(`as_of not set; using ${ctx.asOf}, the latest date in the data`);
  }
  const currentPaths: string[] = [];
  for (const source of pipeline.sources) currentPaths.push(...(await expandGlob(db, source.absolutePath)));
  await db.runFile('marts/data_quality.sql', { current_paths: currentPaths, as_of: ctx.asOf, reject_rate: pipeline.config.limits.reject_rate });
  const inputs = await db.all<{ source: string; path: string; sha256: string; rows_read: number; rows_loaded: number; rows_rejected: number; rows_duplicate: number }>(
    'SELECT source, display AS path, sha256, rows_read, rows_loaded, rows_rejected, rows_duplicate FROM ingest_files WHERE list_contains($paths, path) ORDER BY source, display',
    { paths: currentPaths },
  );
  ctx.inputs.push(...inputs);
  await checkRejectRate(ctx);
  const loaded = inputs.reduce((sum, i) => sum + i.rows_loaded, 0);
  return { tables: ['data_quality', 'rejects'], rowsOut: loaded };
}

export const ingestStage: Stage = { name: 'ingest', needs: [], run };
