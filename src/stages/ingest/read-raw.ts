/**
 * Reads a batch of files of one source in ONE DuckDB scan, exposed as the temp view `raw_batch`: the file (as the
 * user sees it), its line number, the raw row text, and every canonical column of the channel as text (renamed
 * from the source's own column names through quoteIdent; unmapped columns are NULL). Rows the CSV parser itself
 * cannot read (ragged, bad quoting) land in `raw_parse_rejects` with DuckDB's line number and text.
 *
 * Nothing is typed here: parsing, categorising and validation are the staging models' job (src/sql/staging/).
 */
import { quoteIdent, quoteLiteral, type Database, type SqlParams } from '../../db/database.js';
import type { ResolvedSource } from '../../config/load.js';
import { CHANNEL_SPECS } from '../../config/channels.js';
import { UsageError } from '../../errors.js';
import { closest } from '../../config/schema-walk.js';
import { dropRawBatch } from './staging-tables.js';

export interface BatchFile {
  /** What DuckDB reads (a UTF-8 transcoded copy, or the file itself). */
  readPath: string;
  display: string;
}

type Scan = { from: string; params: SqlParams; lineExpr: string; rawExpr: (cols: string[]) => string; valueExpr: (col: string, i: number) => string };

function csvScan(source: ResolvedSource, files: BatchFile[]): Scan {
  const csv = source.csv ?? {};
  const options = ['all_varchar = true', 'filename = true', 'store_rejects = true', "rejects_table = 'raw_reject_errors'", "rejects_scan = 'raw_reject_scans'", 'max_line_size = 4000000'];
  const params: SqlParams = { files: files.map((f) => f.readPath) };
  if (csv.delimiter !== undefined) { options.push('delim = $delim'); params.delim = csv.delimiter; }
  if (csv.quote !== undefined) { options.push('quote = $quote'); params.quote = csv.quote; }
  if (csv.escape !== undefined) { options.push('escape = $escape'); params.escape = csv.escape; }
  if (csv.header !== undefined) { options.push('header = $header'); params.header = csv.header; }
  if (csv.skip !== undefined) { options.push('skip = $skip'); params.skip = csv.skip; }
  return {
    from: `read_csv($files, ${options.join(', ')})`,
    params,
    lineExpr: 'row_number() OVER ()',
    rawExpr: (cols) => `concat_ws(${csv.delimiter === undefined ? "','" : '$delim'}, ${cols.map((c) => `coalesce(${quoteIdent(c)}, '')`).join(', ')})`,
    valueExpr: (col) => quoteIdent(col),
  };
}

function ndjsonScan(files: BatchFile[]): Scan {
  return {
    from: 'read_ndjson_objects($files, filename = true, ignore_errors = true)',
    params: { files: files.map((f) => f.readPath) },
    lineExpr: 'row_number() OVER ()',
    rawExpr: () => 'CAST(json AS VARCHAR)',
    valueExpr: (_col, i) => `json_extract_string(json, $key${i})`,
  };
}

function parquetScan(files: BatchFile[]): Scan {
  return {
    from: 'read_parquet($files, filename = true, file_row_number = true, union_by_name = true)',
    params: { files: files.map((f) => f.readPath) },
    lineExpr: 'file_row_number + 1',
    rawExpr: (cols) => `concat_ws(',', ${cols.map((c) => `coalesce(CAST(${quoteIdent(c)} AS VARCHAR), '')`).join(', ')})`,
    valueExpr: (col) => `CAST(${quoteIdent(col)} AS VARCHAR)`,
  };
}

async function sourceColumns(db: Database, format: string, scan: Scan): Promise<string[]> {
  if (format === 'ndjson') {
    const rows = await db.all<{ k: string }>(`SELECT DISTINCT unnest(json_keys(json)) AS k FROM (SELECT json FROM ${scan.from} WHERE json IS NOT NULL LIMIT 2000)`, scan.params);
    return rows.map((r) => r.k);
  }
  // The header of the first file is enough: a multi-file scan applies it to all. (The sniffer keeps its rejects
  // options: without them one ragged row can make it guess another dialect.)
  const first = { ...scan.params, files: [(scan.params.files as string[])[0]!] };
  const rows = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${scan.from}`, first);
  return rows.map((r) => r.column_name).filter((c) => c !== 'filename' && c !== 'file_row_number');
}

/** Maps canonical → source column, or throws a UsageError naming the key, the file and the columns it has. */
export function resolveMapping(source: ResolvedSource, pipelineFile: string, found: string[], fileName: string): Map<string, string> {
  const spec = CHANNEL_SPECS[source.channel];
  const mapping = new Map<string, string>();
  const key = (canonical: string): string => `${pipelineFile}: sources[${source.index}].columns.${canonical}`;
  const list = found.slice(0, 40).join(', ');
  for (const [canonical, columnSpec] of Object.entries(spec.columns)) {
    const wanted = source.columns[canonical];
    if (wanted !== undefined) {
      if (!found.includes(wanted)) {
        const guess = closest(wanted, found);
        throw new UsageError(`${key(canonical)}: column "${wanted}" is not in ${fileName}; columns found: ${list}${guess ? `; did you mean "${guess}"?` : ''}`, 'column_missing');
      }
      mapping.set(canonical, wanted);
    } else if (found.includes(canonical)) {
      mapping.set(canonical, canonical);
    } else if (columnSpec.required) {
      const guess = closest(canonical, found);
      throw new UsageError(`${key(canonical)}: required, but ${fileName} has no column "${canonical}"; map it to one of: ${list}${guess ? ` (closest: "${guess}")` : ''}`, 'column_missing');
    }
  }
  if (spec.identityOneOf.length > 0 && !spec.identityOneOf.some((c) => mapping.has(c))) {
    throw new UsageError(`${pipelineFile}: sources[${source.index}].columns: map at least one of ${spec.identityOneOf.join(' / ')} (columns found in ${fileName}: ${list})`, 'column_missing');
  }
  return mapping;
}

export async function readRawBatch(db: Database, source: ResolvedSource, pipelineFile: string, files: BatchFile[]): Promise<Map<string, string>> {
  const format = source.format ?? (/\.parquet$/i.test(files[0]!.readPath) ? 'parquet' : /\.(nd)?jsonl?(\.gz)?$/i.test(files[0]!.display) ? 'ndjson' : 'csv');
  const scan = format === 'parquet' ? parquetScan(files) : format === 'ndjson' ? ndjsonScan(files) : csvScan(source, files);
  const found = await sourceColumns(db, format, scan);
  const mapping = resolveMapping(source, pipelineFile, found, files[0]!.display);
  const spec = CHANNEL_SPECS[source.channel];
  const params: SqlParams = { ...scan.params };
  const selects = Object.keys(spec.columns).map((canonical, i) => {
    const column = mapping.get(canonical);
    if (column === undefined) return `CAST(NULL AS VARCHAR) AS ${quoteIdent(canonical)}`;
    if (format === 'ndjson') params[`key${i}`] = column;
    return `${scan.valueExpr(column, i)} AS ${quoteIdent(canonical)}`;
  });
  const nameMap = files.map((f) => `(${quoteLiteral(f.readPath)}, ${quoteLiteral(f.display)})`).join(', ');
  const isMalformed = format === 'ndjson' ? 'json IS NULL' : 'false';
  await db.run('DROP TABLE IF EXISTS raw_reject_errors; DROP TABLE IF EXISTS raw_reject_scans;');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE raw_scan AS
       SELECT filename, ${scan.lineExpr} AS scan_row, ${scan.rawExpr(found)} AS raw, ${isMalformed} AS is_malformed, ${selects.join(', ')}
       FROM ${scan.from}`,
    params,
    `reading ${files.length} ${source.name} file(s)`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE raw_files(read_path VARCHAR, display VARCHAR); INSERT INTO raw_files VALUES ${nameMap};`);
  let hasHeader = false;
  if (format === 'csv') {
    // DuckDB names the columns column0, column1, … when it finds no header.
    hasHeader = source.csv?.header ?? !found.every((c) => /^column\d+$/.test(c));
  } else {
    await db.run(`CREATE OR REPLACE TEMP TABLE raw_reject_errors(scan_id UBIGINT, file_id UBIGINT, line UBIGINT, csv_line VARCHAR, error_type VARCHAR, error_message VARCHAR);
                  CREATE OR REPLACE TEMP TABLE raw_reject_scans(scan_id UBIGINT, file_id UBIGINT, file_path VARCHAR);`);
  }
  await dropRawBatch(db);
  await db.runFile('staging/raw_batch_lines.sql', { has_header: hasHeader });
  return mapping;
}
