/**
 * Loads one source: decides which files are new or changed (file manifest: size, mtime, sha256, keyed by the path
 * relative to the pipeline file, so a moved project folder is not reloaded), reads them in one scan per memory-sized
 * batch of files (batches.ts), runs the channel's staging model, classifies every row (loaded / rejected /
 * duplicate), replaces a changed file's earlier rows, and records per-file accounting. All of it in one transaction,
 * so a failed or killed run leaves the warehouse as it was.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { quoteIdent, type Database } from '../../db/database.js';
import type { ResolvedSource } from '../../config/load.js';
import { CHANNEL_SPECS } from '../../config/channels.js';
import { DataError, UsageError } from '../../errors.js';
import type { RunContext } from '../../pipeline/context.js';
import { displayPath, expandGlob, fingerprint, sniffEncoding, transcodeToUtf8, type InputFile } from './files.js';
import { readRawBatch, type BatchFile, type RawBatch } from './read-raw.js';
import { valueMapParams, valueMapRows } from './value-maps.js';
import { sniffTimestampFormat } from './timestamp-format.js';
import { createEmptyRawBatch } from './staging-tables.js';
import { applySuppression, hasSuppressions } from './suppression.js';
import { BATCH_MEMORY_SHARE, planBatches } from './batches.js';
import { loadPiiKey } from '../../pipeline/pii.js';

interface KnownFile {
  path: string;
  display: string;
  size: number;
  mtime_ms: number;
  sha256: string;
}

export async function loadSource(ctx: RunContext, source: ResolvedSource): Promise<void> {
  const { db, pipeline, log } = ctx;
  const table = quoteIdent(`stg_${source.channel}`);
  const paths = await expandGlob(db, source.absolutePath);
  if (paths.length === 0) {
    throw new DataError(`${pipeline.file}: sources[${source.index}].path: "${source.path}" matches no file; check the path (relative to the pipeline file) or the export job`, 'no_input');
  }
  if (ctx.options.fullRefresh) await forgetSource(db, source, table);
  // Files are known by their display path (relative to the pipeline file), not their absolute path: a project folder
  // that moves is not reloaded, and the manifest is told where its files are now.
  const known = new Map((await db.all<KnownFile & Record<string, unknown>>('SELECT path, display, size, mtime_ms, sha256 FROM ingest_files WHERE source = $source', { source: source.name })).map((f) => [f.display, f]));
  const changed: InputFile[] = [];
  const current = new Set<string>();
  for (const file of paths) {
    const display = displayPath(file, pipeline.dir);
    current.add(display);
    const prior = known.get(display);
    const info = await stat(file);
    // Same size and mtime: trust the manifest and skip hashing (cheap reruns over hundreds of daily files).
    if (prior && prior.size === info.size && prior.mtime_ms === Math.floor(info.mtimeMs)) {
      if (prior.path !== file) await db.run('UPDATE ingest_files SET path = $path WHERE source = $source AND display = $display', { path: file, source: source.name, display });
      continue;
    }
    const fp = await fingerprint(file, pipeline.dir);
    if (!prior || prior.sha256 !== fp.sha256) changed.push(fp);
    else await db.run('UPDATE ingest_files SET mtime_ms = $mtime, path = $path WHERE source = $source AND display = $display', { mtime: fp.mtimeMs, path: file, source: source.name, display });
  }
  const vanished = [...known.keys()].filter((d) => !current.has(d));
  if (vanished.length && source.on_missing_file === 'remove') {
    await db.run(`DELETE FROM ${table} WHERE source = $source AND list_contains($files, source_file)`, { source: source.name, files: vanished });
    await db.run('DELETE FROM ingest_rejects WHERE source = $source AND list_contains($files, source_file)', { source: source.name, files: vanished });
    await db.run('DELETE FROM ingest_files WHERE source = $source AND list_contains($files, display)', { source: source.name, files: vanished });
  } else if (vanished.length) {
    log.info(`${source.name}: ${vanished.length} file(s) no longer match the glob; their rows are kept (on_missing_file: keep)`);
  }
  if (changed.length === 0) {
    log.info(`${source.name}: ${paths.length} file(s) unchanged since the last load`);
    return;
  }
  // A changed file's earlier rows go before any batch loads: they must not make its new rows look like duplicates.
  const displays = changed.map((f) => f.display);
  await db.run(`DELETE FROM ${table} WHERE source = $source AND list_contains($files, source_file)`, { source: source.name, files: displays });
  await db.run('DELETE FROM ingest_rejects WHERE source = $source AND list_contains($files, source_file); DELETE FROM ingest_files WHERE source = $source AND list_contains($files, display);', { source: source.name, files: displays });
  const budget = ctx.options.ingestBatchBytes ?? (await db.memoryLimitBytes()) * BATCH_MEMORY_SHARE;
  const batches = planBatches(changed, budget);
  if (batches.length > 1) log.info(`${source.name}: ${changed.length} file(s) load in ${batches.length} batches of at most ${(budget / 2 ** 20).toFixed(0)} MiB`);
  // One timestamp format for all of this load's batches (sniffed on the first), as for one scan.
  let tsFormat: string | undefined;
  for (const batch of batches) tsFormat = await loadFiles(ctx, source, table, batch, tsFormat);
}

async function forgetSource(db: Database, source: ResolvedSource, table: string): Promise<void> {
  if (await db.tableExists(`stg_${source.channel}`)) await db.run(`DELETE FROM ${table} WHERE source = $source`, { source: source.name });
  await db.run('DELETE FROM ingest_rejects WHERE source = $source; DELETE FROM ingest_files WHERE source = $source;', { source: source.name });
}

/** No bytes, or nothing but a byte-order mark and white space (a quiet day's export). */
async function isEmptyFile(file: InputFile): Promise<boolean> {
  if (file.size === 0) return true;
  if (file.size > 64 || file.path.endsWith('.gz') || file.path.endsWith('.parquet')) return false;
  const text = (await readFile(file.path)).toString('utf8').replace(/^\uFEFF/, '');
  return text.trim() === '';
}

/** Transcoded copies hold raw personal data; they are needed only while the batch is read. */
async function removeTranscodedCopies(ctx: RunContext, files: BatchFile[]): Promise<void> {
  const dir = path.join(ctx.pipeline.stateDir, 'transcoded');
  for (const f of files) if (f.readPath.startsWith(dir)) await rm(f.readPath, { force: true });
}

async function prepareReadable(ctx: RunContext, source: ResolvedSource, files: InputFile[]): Promise<BatchFile[]> {
  const out: BatchFile[] = [];
  for (const file of files) {
    if (await isEmptyFile(file)) continue;
    const format = source.format ?? (/\.parquet$/i.test(file.path) ? 'parquet' : 'other');
    const encoding = format === 'parquet' ? 'utf-8' : source.csv?.encoding ?? (await sniffEncoding(file.path));
    const readPath = encoding === 'utf-8' ? file.path : await transcodeToUtf8(file, encoding, path.join(ctx.pipeline.stateDir, 'transcoded'));
    out.push({ readPath, display: file.display, byteClasses: file.byteClasses });
  }
  return out;
}

/** Loads one batch of files; returns the timestamp format it used. */
async function loadFiles(ctx: RunContext, source: ResolvedSource, table: string, files: InputFile[], sniffedFormat?: string): Promise<string> {
  const { db, log } = ctx;
  const spec = CHANNEL_SPECS[source.channel];
  const readable = await prepareReadable(ctx, source, files);
  for (const file of files) if (await isEmptyFile(file)) log.warn(`${file.display}: empty file; loaded as 0 rows`);
  const valueMap = valueMapParams(spec, validatedValueMap(ctx, source));
  let raw: RawBatch = { mapping: new Map(), headerLines: 0, rawDelimiter: ',' };
  if (readable.length > 0) {
    raw = await readRawBatch(db, source, ctx.pipeline.file, readable);
  } else {
    await createEmptyRawBatch(db, source.channel);
  }
  const { mapping } = raw;
  const naturalKey = spec.naturalKey.length > 0 && spec.naturalKey.every((c) => mapping.has(c));
  const dateColumn = spec.dateColumn ?? (source.channel === 'customers' ? 'created_at' : undefined);
  const tsFormat = source.csv?.timestamp_format ?? sniffedFormat ?? (dateColumn && mapping.has(dateColumn) ? await sniffTimestampFormat(db, dateColumn) : '%Y-%m-%d %H:%M:%S');
  const futureLimit = new Date(ctx.options.now.getTime() + 86_400_000).toISOString().replace('T', ' ').replace('Z', '');
  // The staging model is where the files are read: raw_batch is a view over the scan.
  await db.runFile(`staging/stg_${source.channel}.sql`, { ...valueMap, ts_format: tsFormat, timezone: ctx.pipeline.config.timezone, natural_key: naturalKey, future_limit: futureLimit, raw_delimiter: raw.rawDelimiter });
  await db.runFile('staging/batch_lines.sql', { header_lines: raw.headerLines });
  await removeTranscodedCopies(ctx, readable);
  if (await hasSuppressions(db)) {
    const space = Object.entries(ctx.pipeline.config.identity.id_spaces).find(([, sources]) => sources.includes(source.name))?.[0] ?? source.name;
    await applySuppression(db, source.channel, source.name, space, loadPiiKey(ctx.pipeline.stateDir, ctx.log), ctx.pipeline.config.identity.default_country);
  }
  // Only the loaded keys this batch repeats: the hash table is the batch's size, not the staging table's.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE stg_existing_keys AS
       SELECT DISTINCT t.row_key FROM ${table} t SEMI JOIN stg_batch b ON b.row_key = t.row_key WHERE t.source = $source`,
    { source: source.name },
  );
  await db.runFile('staging/classify_batch.sql');
  await db.run(
    `INSERT INTO ${table}
       SELECT $source AS source, r.* EXCLUDE (filename, scan_row, raw, reject_reason, reject_detail)
       FROM batch_rows r ANTI JOIN batch_duplicates d ON d.scan_row = r.scan_row
       WHERE r.reject_reason IS NULL`,
    { source: source.name },
  );
  await db.run(`INSERT INTO ingest_rejects
                  SELECT $source, source_file, line, reject_reason, reject_detail, raw FROM batch_rows WHERE reject_reason IS NOT NULL
                  UNION ALL SELECT $source, source_file, line, 'malformed_row', detail, raw FROM raw_parse_rejects`, { source: source.name });
  await recordFiles(ctx, source, files);
  return tsFormat;
}

function validatedValueMap(ctx: RunContext, source: ResolvedSource) {
  const spec = CHANNEL_SPECS[source.channel];
  for (const [field, values] of Object.entries(source.values ?? {})) {
    const columnSpec = spec.columns[field];
    const allowed = columnSpec?.type === 'boolean' ? ['true', 'false'] : columnSpec?.values;
    if (!allowed) throw new UsageError(`${ctx.pipeline.file}: sources[${source.index}].values.${field}: ${field} is not a categorical ${source.channel} column`, 'config_invalid');
    for (const canonical of Object.keys(values)) {
      if (!allowed.includes(canonical)) throw new UsageError(`${ctx.pipeline.file}: sources[${source.index}].values.${field}.${canonical}: not a canonical value; use one of ${allowed.join(', ')}`, 'config_invalid');
    }
  }
  return valueMapRows(spec, source.values);
}

async function recordFiles(ctx: RunContext, source: ResolvedSource, files: InputFile[]): Promise<void> {
  const { db } = ctx;
  await db.run('CREATE OR REPLACE TEMP TABLE batch_files (path VARCHAR, display VARCHAR, size DOUBLE, mtime_ms DOUBLE, sha256 VARCHAR)');
  await db.appendRows('batch_files', files.map((f) => [f.path, f.display, f.size, f.mtimeMs, f.sha256]));
  // One pass over the batch for every file's accounting (not one query per file: hundreds of daily files).
  await db.run(
    `INSERT INTO ingest_files
     WITH staged AS (
         SELECT filename, count(*) AS rows, count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected FROM stg_batch GROUP BY filename
     ),
     duplicates AS (SELECT filename, count(*) AS duplicate FROM batch_duplicates GROUP BY filename),
     outcomes AS (
         SELECT o.source_file, s.rows, s.rows - s.rejected - coalesce(d.duplicate, 0) AS loaded, s.rejected, coalesce(d.duplicate, 0) AS duplicate
         FROM staged s
         JOIN batch_file_offsets o USING (filename)
         LEFT JOIN duplicates d USING (filename)
     ),
     parse_rejects AS (SELECT source_file, count(*) AS rows FROM raw_parse_rejects GROUP BY source_file)
     SELECT $source, $channel, f.path, f.display, CAST(f.size AS BIGINT), CAST(f.mtime_ms AS BIGINT), f.sha256,
            coalesce(o.rows, 0) + coalesce(p.rows, 0), coalesce(o.loaded, 0), coalesce(o.rejected, 0) + coalesce(p.rows, 0),
            coalesce(o.duplicate, 0), 0, CAST($now AS TIMESTAMP)
     FROM batch_files f
     LEFT JOIN outcomes o ON o.source_file = f.display
     LEFT JOIN parse_rejects p ON p.source_file = f.display`,
    { source: source.name, channel: source.channel, now: ctx.options.now.toISOString() },
  );
  const quiet = await db.all<{ display: string }>(
    'SELECT display FROM ingest_files WHERE source = $source AND rows_read = 0 AND size > 0 AND list_contains($files, display) ORDER BY display',
    { source: source.name, files: files.map((f) => f.display) },
  );
  for (const q of quiet) if (!(await isEmptyFile(files.find((f) => f.display === q.display)!))) ctx.log.warn(`${q.display}: no data rows; loaded as 0 rows`);
}
