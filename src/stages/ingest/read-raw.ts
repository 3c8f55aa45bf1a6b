/**
 * Reads a batch of files of one source as ONE DuckDB scan, exposed as the temp view `raw_batch`: the file DuckDB
 * read (`filename`), the row's text as fields (`__raw_1`, …: every source column, or the JSON line), and every
 * canonical column of the channel as text (renamed from the source's own column names through quoteIdent; unmapped
 * columns are NULL).
 * It is a view, not a table: the staging model reads the files once, straight into its typed stg_batch, and the
 * wide text rows are never copied. There is deliberately no row_number() here: DuckDB runs a streaming window on one
 * thread (measured: the parse did not speed up at all with 2 threads). The view and the staging models are pure
 * projections, so stg_batch is written in scan order (DuckDB preserves insertion order) and its rowid is the row's
 * position in the scan. File paths and CSV options are inlined as quoted literals: a view holds no parameters.
 * Rows the CSV parser itself cannot read (ragged, bad quoting) land in `raw_reject_errors` as the scan runs;
 * batch_lines.sql turns them into `raw_parse_rejects` and gives every row its line number afterwards.
 *
 * Nothing is typed here: parsing, categorising and validation are the staging models' job (src/sql/staging/).
 */
import { quoteIdent, quoteLiteral, type Database } from '../../db/database.js';
import type { ResolvedSource } from '../../config/load.js';
import { CHANNEL_SPECS } from '../../config/channels.js';
import { UsageError } from '../../errors.js';
import { closest } from '../../config/schema-walk.js';
import { dropRawBatch } from './staging-tables.js';
import { mayHoldControl } from './byte-classes.js';

export interface BatchFile {
  /** What DuckDB reads (a UTF-8 transcoded copy, or the file itself). */
  readPath: string;
  display: string;
  /** The classes of the original file's bytes (byte-classes.ts); unknown means every row is tested. */
  byteClasses?: number;
}

/**
 * `rawFields`: the row's text as fields (a rejected row's `raw` is them joined by `rawDelimiter`, in the staging
 * model and for rejected rows only); `valueExpr`: a source column as text.
 */
type Scan = { from: string; rawFields: (cols: string[]) => string[]; rawDelimiter: string; valueExpr: (col: string) => string };

const fileList = (files: BatchFile[]): string => `[${files.map((f) => quoteLiteral(f.readPath)).join(', ')}]`;

function csvScan(source: ResolvedSource, files: BatchFile[]): Scan {
  const csv = source.csv ?? {};
  const options = ['all_varchar = true', 'filename = true', 'store_rejects = true', "rejects_table = 'raw_reject_errors'", "rejects_scan = 'raw_reject_scans'", 'max_line_size = 4000000'];
  if (csv.delimiter !== undefined) options.push(`delim = ${quoteLiteral(csv.delimiter)}`);
  if (csv.quote !== undefined) options.push(`quote = ${quoteLiteral(csv.quote)}`);
  if (csv.escape !== undefined) options.push(`escape = ${quoteLiteral(csv.escape)}`);
  if (csv.header !== undefined) options.push(`header = ${csv.header ? 'true' : 'false'}`);
  if (csv.skip !== undefined) options.push(`skip = ${Math.trunc(csv.skip)}`);
  return {
    from: `read_csv(${fileList(files)}, ${options.join(', ')})`,
    rawFields: (cols) => cols.map((c) => `coalesce(${quoteIdent(c)}, '')`),
    rawDelimiter: csv.delimiter ?? ',',
    valueExpr: (col) => quoteIdent(col),
  };
}

/**
 * NDJSON: each line is parsed once into all the mapped keys (one json_extract_string with a list of paths; measured
 * 1.7× faster than one call per key), and kept whole as the raw text. `keys` are the source keys to extract.
 */
function ndjsonScan(files: BatchFile[], keys: string[] = []): Scan {
  // A JSON path cannot quote a key that itself holds a double quote: such a key is extracted on its own.
  const listed = keys.filter((k) => !k.includes('"'));
  const read = `read_ndjson_objects(${fileList(files)}, filename = true, ignore_errors = true)`;
  return {
    from: listed.length === 0 ? read : `(SELECT *, json_extract_string(json, [${listed.map((k) => quoteLiteral(`$."${k}"`)).join(', ')}]) AS __values FROM ${read})`,
    rawFields: () => ['CAST(json AS VARCHAR)'],
    rawDelimiter: ',',
    valueExpr: (col) => (listed.includes(col) ? `__values[${listed.indexOf(col) + 1}]` : `json_extract_string(json, ${quoteLiteral(col)})`),
  };
}

function parquetScan(files: BatchFile[]): Scan {
  return {
    from: `read_parquet(${fileList(files)}, filename = true, union_by_name = true)`,
    rawFields: (cols) => cols.map((c) => `coalesce(CAST(${quoteIdent(c)} AS VARCHAR), '')`),
    rawDelimiter: ',',
    valueExpr: (col) => `CAST(${quoteIdent(col)} AS VARCHAR)`,
  };
}

async function sourceColumns(db: Database, format: string, scan: Scan, firstFileScan: Scan): Promise<string[]> {
  if (format === 'ndjson') {
    const rows = await db.all<{ k: string }>(`SELECT DISTINCT unnest(json_keys(json)) AS k FROM (SELECT json FROM ${scan.from} WHERE json IS NOT NULL LIMIT 2000)`);
    return rows.map((r) => r.k);
  }
  // The header of the first file is enough: a multi-file scan applies it to all. (The sniffer keeps its rejects
  // options: without them one ragged row can make it guess another dialect.)
  const rows = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${firstFileScan.from}`);
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

export interface RawBatch {
  /** canonical column → the source's column. */
  mapping: Map<string, string>;
  /** Lines before the first data row of each file (a CSV header). */
  headerLines: number;
  /** What joins the fields of a rejected row's text (the staging models' $raw_delimiter). */
  rawDelimiter: string;
}

export async function readRawBatch(db: Database, source: ResolvedSource, pipelineFile: string, files: BatchFile[]): Promise<RawBatch> {
  const format = source.format ?? (/\.parquet$/i.test(files[0]!.readPath) ? 'parquet' : /\.(nd)?jsonl?(\.gz)?$/i.test(files[0]!.display) ? 'ndjson' : 'csv');
  const scanOf = (batch: BatchFile[], keys?: string[]): Scan => (format === 'parquet' ? parquetScan(batch) : format === 'ndjson' ? ndjsonScan(batch, keys) : csvScan(source, batch));
  const found = await sourceColumns(db, format, scanOf(files), scanOf(files.slice(0, 1)));
  const mapping = resolveMapping(source, pipelineFile, found, files[0]!.display);
  const scan = scanOf(files, [...new Set(mapping.values())]);
  const spec = CHANNEL_SPECS[source.channel];
  const selects = Object.keys(spec.columns).map((canonical) => {
    const column = mapping.get(canonical);
    return column === undefined ? `CAST(NULL AS VARCHAR) AS ${quoteIdent(canonical)}` : `${scan.valueExpr(column)} AS ${quoteIdent(canonical)}`;
  });
  const nameMap = files.map((f) => `(${quoteLiteral(f.readPath)}, ${quoteLiteral(f.display)})`).join(', ');
  const isMalformed = format === 'ndjson' ? 'json IS NULL' : 'false';
  await db.run('DROP TABLE IF EXISTS raw_reject_errors; DROP TABLE IF EXISTS raw_reject_scans;');
  // CSV scans create the reject tables as they run; other formats get empty ones so batch_lines.sql reads alike.
  await db.run(`CREATE OR REPLACE TEMP TABLE raw_reject_errors(scan_id UBIGINT, file_id UBIGINT, line UBIGINT, csv_line VARCHAR, error_type VARCHAR, error_message VARCHAR);
                CREATE OR REPLACE TEMP TABLE raw_reject_scans(scan_id UBIGINT, file_id UBIGINT, file_path VARCHAR);`);
  if (format === 'csv') await db.run('DROP TABLE raw_reject_errors; DROP TABLE raw_reject_scans;');
  await db.run(`CREATE OR REPLACE TEMP TABLE raw_files(read_path VARCHAR, display VARCHAR); INSERT INTO raw_files VALUES ${nameMap};`);
  await dropRawBatch(db);
  // Control characters are stripped from the canonical columns of the rows that have any (tested once on the row's
  // text; in NDJSON they arrive as escapes), and only in a batch with a file whose bytes may hold one: most exports
  // have none, and the test is a regular expression over every row. The row's text itself is passed on as fields
  // (__raw_1, …) and joined by the staging model for rejected rows only: joining every row's fields cost 0.6 s of
  // 6.8 s for 3.2M order lines.
  const canonical = Object.keys(spec.columns).map(quoteIdent);
  const fields = scan.rawFields(found).map((expression, i) => ({ expression, name: quoteIdent(`__raw_${i + 1}`) }));
  const controlPattern = format === 'ndjson' ? String.raw`'[\x00-\x1F\x7F]|\\u00[01][0-9a-fA-F]|\\u007[fF]|\\[bf]'` : String.raw`'[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]'`;
  const testRows = files.some((f) => f.byteClasses === undefined || mayHoldControl(f.byteClasses, format));
  const hasControl = testRows ? `regexp_matches(concat_ws(',', ${fields.map((f) => f.name).join(', ')}), ${controlPattern})` : 'false';
  await db.run(
    `CREATE TEMP VIEW raw_batch AS
       SELECT filename, is_malformed, ${fields.map((f) => f.name).join(', ')},
              ${canonical.map((c) => `CASE WHEN has_control THEN cra_strip_control(${c}) ELSE ${c} END AS ${c}`).join(',\n              ')}
       FROM (
           SELECT *, ${hasControl} AS has_control
           FROM (SELECT filename, ${fields.map((f) => `${f.expression} AS ${f.name}`).join(', ')}, ${isMalformed} AS is_malformed, ${selects.join(', ')} FROM ${scan.from})
       )`,
    {},
    `reading ${files.length} ${source.name} file(s)`,
  );
  // DuckDB names the columns column0, column1, … when a CSV has no header; other formats have no header line.
  const hasHeader = format === 'csv' && (source.csv?.header ?? !found.every((c) => /^column\d+$/.test(c)));
  return { mapping, headerLines: hasHeader ? 1 : 0, rawDelimiter: scan.rawDelimiter };
}
