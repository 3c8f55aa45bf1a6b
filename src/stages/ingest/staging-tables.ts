/**
 * Every channel has a staging table even when the pipeline has no source for it (no phone data, say), so the
 * intermediate models can always select from all six. An empty table is made by running the channel's own
 * staging model over an empty raw batch: the model stays the one definition of the table's columns. A table from a
 * warehouse written before the row keys became numbers has its keys converted on the way (migrateHexRowKeys).
 */
import { quoteIdent, type Database } from '../../db/database.js';
import { CHANNEL_SPECS, CHANNELS, type Channel } from '../../config/channels.js';
import { valueMapParams, valueMapRows } from './value-maps.js';

/** raw_batch is a view over a scan, or an empty table for a source with no readable file: drop whichever it is. */
export async function dropRawBatch(db: Database): Promise<void> {
  const isView = Number(await db.value("SELECT count(*) FROM duckdb_views() WHERE view_name = 'raw_batch' AND temporary")) > 0;
  await db.run(isView ? 'DROP VIEW raw_batch' : 'DROP TABLE IF EXISTS raw_batch');
}

export async function createEmptyRawBatch(db: Database, channel: Channel): Promise<void> {
  const columns = Object.keys(CHANNEL_SPECS[channel].columns).map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c)}`);
  await dropRawBatch(db);
  await db.run(`CREATE TEMP TABLE raw_batch AS
                  SELECT CAST(NULL AS VARCHAR) AS filename, CAST(NULL AS VARCHAR) AS __raw_1,
                         false AS is_malformed, ${columns.join(', ')} LIMIT 0;
                CREATE OR REPLACE TEMP TABLE raw_files(read_path VARCHAR, display VARCHAR);
                CREATE OR REPLACE TEMP TABLE raw_reject_errors(scan_id UBIGINT, file_id UBIGINT, line UBIGINT, csv_line VARCHAR, error_type VARCHAR, error_message VARCHAR);
                CREATE OR REPLACE TEMP TABLE raw_reject_scans(scan_id UBIGINT, file_id UBIGINT, file_path VARCHAR);`);
}

/** Creates `stg_<channel>` from the current stg_batch when it does not exist yet: source, file, line, row key, columns. */
async function createStagingTableLike(db: Database, channel: Channel): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS ${quoteIdent(`stg_${channel}`)} AS
                  SELECT CAST(NULL AS VARCHAR) AS source, CAST(NULL AS VARCHAR) AS source_file, CAST(NULL AS BIGINT) AS line,
                         * EXCLUDE (filename, raw, reject_reason, reject_detail) FROM stg_batch WITH NO DATA`);
}

/**
 * Converts a staging table's row keys from md5's hex text, the form before cra_row_key became a number, to the same
 * md5 as a number (cra_row_key_from_hex in _macros.sql), once: afterwards a reloaded row still matches its earlier
 * copy, so duplicates across the upgrade are still counted as duplicates.
 */
async function migrateHexRowKeys(db: Database, channel: Channel): Promise<void> {
  const type = await db.value<string>(
    "SELECT data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table AND column_name = 'row_key'",
    { table: `stg_${channel}` },
  );
  if (type !== 'VARCHAR') return;
  await db.run(`ALTER TABLE ${quoteIdent(`stg_${channel}`)} ALTER COLUMN row_key SET DATA TYPE UHUGEINT USING cra_row_key_from_hex(row_key)`);
}

export async function ensureStagingTables(db: Database): Promise<void> {
  for (const channel of CHANNELS) {
    if (await db.tableExists(`stg_${channel}`)) {
      await migrateHexRowKeys(db, channel);
      continue;
    }
    await createEmptyRawBatch(db, channel);
    const spec = CHANNEL_SPECS[channel];
    await db.runFile(`staging/stg_${channel}.sql`, { ...valueMapParams(spec, valueMapRows(spec)), ts_format: '%Y-%m-%d', timezone: 'UTC', natural_key: false, future_limit: '9999-01-01', raw_delimiter: ',' });
    await createStagingTableLike(db, channel);
  }
}
