/**
 * The only module that talks to DuckDB (`@duckdb/node-api`). Everything else gets a `Database`: run SQL with
 * named parameters, read rows as plain JS, read numeric columns as Float64Arrays chunk by chunk (never arrays of
 * row objects for model matrices), run the project's `.sql` files, and COPY to zstd Parquet.
 *
 * Values always travel as bound parameters. Identifiers go through `quoteIdent`; the few places where DuckDB
 * accepts no parameter (COPY targets, ATTACH paths) use `quoteLiteral`. A DuckDB error is rethrown as a
 * DataError that names the `.sql` file (or the statement's opening) that raised it, so a stage failure message
 * points at the model to open.
 */
import {
  DOUBLE, DuckDBConnection, DuckDBDataChunk, DuckDBDoubleVector, DuckDBInstance, DuckDBIntegerVector, INTEGER, LIST, listValue, VARCHAR,
  type DuckDBAppender, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import { DataError } from '../errors.js';
import { readSqlFile } from './sql-files.js';

export type SqlParam = string | number | boolean | null | bigint | string[] | number[];
export type SqlParams = Record<string, SqlParam>;
export type Row = Record<string, unknown>;

/**
 * The storage format DuckDB writes into files it creates: the warehouse and its scratch. v1.4.0 writes its
 * compressed segments about 20% faster than the default (v1.0.0), scans them faster, and is no larger (measured on
 * 3.5M order lines: insert 2.0 s against 2.5 s; docs/decisions.md). A warehouse created earlier keeps its own format.
 * Files other programs open (the BI file) pin their own, older format on ATTACH.
 */
export const WAREHOUSE_STORAGE_VERSION = 'v1.4.0';

/**
 * `limits.memory` is what the whole process may use; DuckDB's buffer manager (its memory_limit, the point where it
 * spills) gets this share of it. The rest is for what DuckDB's accounting leaves out (its code, per-thread and
 * per-query state) and for the JavaScript side (heap, model matrices, worker threads). Measured at 1M customers with
 * limits.memory 3GB and DuckDB given all of it: peak RSS 4,270 MiB, in publishing, with 2,861 MiB accounted by DuckDB
 * and about 200 MiB by V8; the scale target is 4 GiB (docs/scaling.md). At 85%, 3,743 MiB.
 */
export const DUCKDB_MEMORY_SHARE = 0.85;

/** Bit i of a DuckDB validity mask (64-bit words) is bit i % 8 of byte i / 8 only on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Copies a chunk's column into `part` in one call when the vector holds the part's own type (a DOUBLE into a
 * Float64Array, an INTEGER into an Int32Array), then marks its NULLs from the validity mask a byte at a time; false
 * (nothing copied) for any other vector, or where the binding keeps its mask another way than this version does.
 * Per item, `getItem` tests validity with BigInt arithmetic once a chunk has a NULL. Reading 600k rows × 25 doubles
 * with NULLs (query included) took 0.59–0.62 s so against 1.09–1.23 s item by item, 10M rows × 2 integer codes
 * 0.63–0.72 s against 1.10–1.19 s. The values are the same (a test compares them with row-by-row reading).
 */
export function copyWhole(vector: unknown, part: Float64Array | Int32Array, onNull: () => number): boolean {
  const sameType = (part instanceof Float64Array && vector instanceof DuckDBDoubleVector) || (part instanceof Int32Array && vector instanceof DuckDBIntegerVector);
  if (!sameType || !LITTLE_ENDIAN) return false;
  // The binding's own fields (private in its typings): the chunk's memory as a typed array, and the validity words
  // (null when the chunk has no NULL). Checked rather than trusted, so another layout falls back to getItem.
  const { items, validity } = vector as unknown as { items?: unknown; validity?: { data?: unknown; offset?: unknown } };
  if (!(items instanceof part.constructor) || (items as Float64Array | Int32Array).length !== part.length || validity?.offset !== 0) return false;
  const mask = validity.data;
  if (mask !== null && !(mask instanceof BigUint64Array && mask.length * 64 >= part.length)) return false;
  part.set(items as Float64Array | Int32Array);
  if (mask === null) return true;
  const bytes = new Uint8Array(mask.buffer, mask.byteOffset, mask.byteLength);
  for (let b = 0; b < bytes.length; b++) {
    const byte = bytes[b]!;
    if (byte === 0xff) continue;
    for (let i = b * 8, end = Math.min(i + 8, part.length); i < end; i++) if (((byte >> (i & 7)) & 1) === 0) part[i] = onNull();
  }
  return true;
}

/**
 * A size in bytes, as the pipeline file writes it (3GB, 512MB, 2GiB; GB = 10⁹ bytes, GiB = 2³⁰) or as DuckDB prints
 * a setting (1.8 GiB, 0 bytes).
 */
export function sizeBytes(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(?:bytes|([KMGTP])(i?)B)$/i.exec(size.trim());
  if (!match) throw new Error(`not a size: ${size}`);
  const power = match[2] ? 'KMGTP'.indexOf(match[2].toUpperCase()) + 1 : 0;
  return Number(match[1]) * (match[3] ? 1024 : 1000) ** power;
}

/** DuckDB's memory_limit for a process limit of `limit` (see DUCKDB_MEMORY_SHARE), in whole MiB. */
export function duckdbMemoryLimit(limit: string): string {
  return `${Math.floor((sizeBytes(limit) * DUCKDB_MEMORY_SHARE) / 2 ** 20)}MiB`;
}

export interface OpenOptions {
  /** DuckDB's own memory_limit (see duckdbMemoryLimit for the one a pipeline's limits.memory gives). */
  memoryLimit?: string;
  threads?: number;
  tempDirectory?: string;
}

/** Double-quotes an identifier for DuckDB; any name (`Customer ID`, `x"; DROP TABLE y; --`) stays one identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Rows per data chunk appendTypedColumns hands DuckDB: its vector size. */
const CHUNK_ROWS = 2048;

/** COPY options of every Parquet file cra writes (contract §4: zstd). */
export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1';

/** Single-quotes a string literal, for the spots where DuckDB takes no parameter (COPY … TO, ATTACH). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function toDuckValue(value: SqlParam): DuckDBValue {
  if (Array.isArray(value)) return listValue(value as DuckDBValue[]);
  return value;
}

function toJs(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJs);
  return value;
}

/** One statement's wall time, recorded when Database.recordTimings is on (the benchmark's profile). */
export interface StatementTiming {
  /** The SQL file (or the statement's start), with the statement's number when the text held several. */
  origin: string;
  seconds: number;
  /** The process's CPU seconds meanwhile (every thread; statements of two connections at once share it). */
  cpuSeconds: number;
}

/** The process's CPU seconds so far (user and system, every thread: DuckDB's, workers', the main one). */
export const processCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export class Database {
  private timings: StatementTiming[] | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
    /** False for a fork: closing it closes its connection, not the warehouse. */
    private readonly ownsInstance = true,
  ) {}

  static async open(path: string, options: OpenOptions = {}): Promise<Database> {
    // Background threads let DuckDB's allocator return freed memory to the system as it goes. Without them the memory
    // a finished query freed stayed in the process: three customer-feature builds on the 1M warehouse at a 2,431 MiB
    // limit peaked at 2,888–3,834 MiB RSS (three runs) against 2,800–2,853 MiB with them, in the same time (19.9–21.2 s).
    const config: Record<string, string> = { storage_compatibility_version: WAREHOUSE_STORAGE_VERSION, allocator_background_threads: 'true' };
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    if (options.tempDirectory) config.temp_directory = options.tempDirectory;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (error) {
      throw new DataError(`${path}: cannot open the DuckDB warehouse: ${(error as Error).message}`, 'warehouse_open');
    }
    const connection = await instance.connect();
    return new Database(instance, connection, path);
  }

  /** Runs one or more statements; each statement gets the parameters it names. */
  async run(sql: string, params: SqlParams = {}, origin?: string): Promise<void> {
    await this.execute(sql, params, origin);
  }

  /** Runs a query and returns its rows as plain objects (BIGINT → number, timestamps → ISO strings). */
  async all<T extends Row = Row>(sql: string, params: SqlParams = {}, origin?: string): Promise<T[]> {
    const reader = await this.execute(sql, params, origin);
    if (!reader) return [];
    return reader.getRowObjectsJS().map((row) => {
      const out: Row = {};
      for (const [key, value] of Object.entries(row)) out[key] = toJs(value);
      return out as T;
    });
  }

  /** The first column of the first row, or undefined. */
  async value<T = unknown>(sql: string, params: SqlParams = {}, origin?: string): Promise<T | undefined> {
    const rows = await this.all(sql, params, origin);
    const first = rows[0];
    return first ? (Object.values(first)[0] as T) : undefined;
  }

  /** DuckDB's memory limit in bytes, as DuckDB reports it (e.g. "1.8 GiB"): what a query may hold before it spills. */
  async memoryLimitBytes(): Promise<number> {
    return sizeBytes(String(await this.value("SELECT current_setting('memory_limit')")));
  }

  /** Runs a project model from `src/sql/` (e.g. `marts/customers.sql`) with named parameters. */
  async runFile(relativePath: string, params: SqlParams = {}): Promise<void> {
    await this.execute(readSqlFile(relativePath), params, `src/sql/${relativePath}`);
  }

  /**
   * Streams a query's numeric columns into Float64Arrays (NULL → NaN). The matrix for k-means or a tree crosses
   * from DuckDB to JS this way, one chunk at a time, without a JS object per row.
   */
  async numericColumns(sql: string, params: SqlParams = {}): Promise<{ rows: number; columns: Record<string, Float64Array> }> {
    return this.typedColumns(sql, params, Float64Array, () => Number.NaN);
  }

  /**
   * numericColumns for integer codes (the basket's transaction and item codes): Int32Arrays, half the memory of
   * Float64Arrays and what the miner takes. A NULL or a value outside the int32 range is an error.
   */
  async int32Columns(sql: string, params: SqlParams = {}): Promise<{ rows: number; columns: Record<string, Int32Array> }> {
    return this.typedColumns(sql, params, Int32Array, (name) => {
      throw new DataError(`${sql.trim().slice(0, 60)}: column ${name} holds a NULL where an integer code is expected`, 'sql');
    });
  }

  private async typedColumns<A extends Float64Array | Int32Array>(
    sql: string, params: SqlParams, ArrayType: { new (length: number): A }, onNull: (column: string) => number,
  ): Promise<{ rows: number; columns: Record<string, A> }> {
    // One pass over the query (no count first): chunks are copied into typed arrays, joined at the end.
    const parts: A[][] = [];
    let rows = 0;
    const names = await this.eachTypedChunk(sql, params, ArrayType, onNull, (columns, count) => {
      columns.forEach((column, c) => (parts[c] ??= []).push(column));
      rows += count;
    });
    const columns: Record<string, A> = {};
    names.forEach((name, c) => {
      const joined = new ArrayType(rows);
      let offset = 0;
      for (const part of parts[c] ?? []) {
        joined.set(part, offset);
        offset += part.length;
      }
      columns[name] = joined;
      // A column's chunks go as soon as it is joined: the peak is the chunks plus one joined column, not plus all.
      parts[c] = [];
    });
    return { rows, columns };
  }

  /**
   * int32Columns a chunk at a time (DuckDB's chunks, 2,048 rows): `onChunk` gets each chunk's columns in the query's
   * order, so memory stays at one chunk however many rows the query has (the identity graph's edges, say).
   */
  async eachInt32Chunk(sql: string, params: SqlParams, onChunk: (columns: Int32Array[], rows: number) => void): Promise<void> {
    await this.eachTypedChunk(sql, params, Int32Array, (name) => {
      throw new DataError(`${sql.trim().slice(0, 60)}: column ${name} holds a NULL where an integer is expected`, 'sql');
    }, onChunk);
  }

  /** Streams a query's columns into typed arrays chunk by chunk; returns the column names. */
  private async eachTypedChunk<A extends Float64Array | Int32Array>(
    sql: string, params: SqlParams, ArrayType: { new (length: number): A }, onNull: (column: string) => number,
    onChunk: (columns: A[], rows: number) => void,
  ): Promise<string[]> {
    const result = await this.connection.stream(sql, this.bind(sql, params)).catch((error: unknown) => {
      throw this.wrap(error, sql);
    });
    const names = result.columnNames();
    // An Int32Array silently wraps what does not fit; a value that did not survive the store is an error.
    const checkStored = ArrayType === (Int32Array as unknown);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const columns: A[] = [];
      for (let c = 0; c < names.length; c++) {
        const vector = chunk.getColumnVector(c);
        const part = new ArrayType(chunk.rowCount);
        if (copyWhole(vector, part, () => onNull(names[c]!))) {
          columns.push(part);
          continue;
        }
        // Item by item from the vector: getColumnValues builds a JS array of the chunk first, which made a read of
        // 600k rows × 25 doubles take 1.0–1.3 s against 0.7 s.
        for (let i = 0; i < part.length; i++) {
          const v = vector.getItem(i);
          const n = v === null || v === undefined ? onNull(names[c]!) : Number(v);
          part[i] = n;
          if (checkStored && part[i] !== n) throw new DataError(`${sql.trim().slice(0, 60)}: column ${names[c]} holds ${n}, outside the int32 range`, 'sql');
        }
        columns.push(part);
      }
      onChunk(columns, chunk.rowCount);
    }
    return names;
  }

  /**
   * Streams the first column of a query as strings (NULL → null), chunk by chunk: millions of values (every distinct
   * raw phone number, say) cross as one array of strings, not an object per row.
   */
  async textColumn(sql: string, params: SqlParams = {}): Promise<(string | null)[]> {
    const result = await this.connection.stream(sql, this.bind(sql, params)).catch((error: unknown) => {
      throw this.wrap(error, sql);
    });
    const out: (string | null)[] = [];
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      for (const value of chunk.getColumnValues(0)) out.push(value === null || value === undefined ? null : String(value));
    }
    return out;
  }

  /**
   * Writes a query or table to one zstd-compressed Parquet file, at zstd's level 1: at 1M customers the order lines
   * took 2.8–2.9 s against 3.0–3.5 s at DuckDB's default level 3, and the file was no larger (126 against 127 MiB).
   */
  async copyToParquet(selectSql: string, filePath: string, params: SqlParams = {}): Promise<void> {
    await this.run(`COPY (${selectSql}) TO ${quoteLiteral(filePath)} (${PARQUET_OPTIONS})`, params, `COPY to ${filePath}`);
  }

  /**
   * Appends rows of text/number values to an existing table through DuckDB's appender (fast bulk insert of
   * values computed in JS, e.g. normalised phone numbers). Columns must match the table's order.
   */
  async appendRows(table: string, rows: readonly (readonly (string | number | null)[])[]): Promise<void> {
    await this.append(table, rows.length, rows[0]?.length ?? 0, (row, column) => rows[row]![column]);
  }

  /** appendRows for values held column by column (equal lengths, in the table's column order): no array per row. */
  async appendColumns(table: string, columns: readonly (readonly (string | number | null)[])[]): Promise<void> {
    await this.append(table, columns[0]?.length ?? 0, columns.length, (row, column) => columns[column]![row]);
  }

  /**
   * Appends typed columns of equal length, in the table's column order: a Float64Array as DOUBLE (NaN and ±Infinity
   * become NULL: nothing non-finite is stored), an Int32Array as INTEGER. They cross as DuckDB data chunks of 2,048
   * rows, a binding call per chunk and column, not one per value and per row as appendRows makes (docs/decisions.md).
   * A wider column (BIGINT, DOUBLE for integers) takes the values cast.
   */
  async appendTypedColumns(table: string, columns: readonly (Float64Array | Int32Array)[]): Promise<void> {
    const rows = columns[0]?.length ?? 0;
    if (columns.some((c) => c.length !== rows)) throw new Error(`appendTypedColumns(${table}): columns of unequal length`);
    const types = columns.map((c) => (c instanceof Float64Array ? DOUBLE : INTEGER));
    const appender = await this.connection.createAppender(table);
    try {
      for (let start = 0; start < rows; start += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, rows - start);
        const chunk = DuckDBDataChunk.create(types, count);
        columns.forEach((column, c) => {
          // setItem writes the vector's JS-side buffer; flush copies it to DuckDB's vector in one call.
          const vector = chunk.getColumnVector(c) as DuckDBDoubleVector | DuckDBIntegerVector;
          for (let i = 0; i < count; i++) {
            const value = column[start + i]!;
            vector.setItem(i, Number.isFinite(value) ? value : null);
          }
          vector.flush();
        });
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  private async append(table: string, rows: number, width: number, cell: (row: number, column: number) => string | number | null | undefined): Promise<void> {
    await this.withAppender(table, rows, (appender, row) => {
      for (let column = 0; column < width; column++) {
        const value = cell(row, column);
        if (value === null || value === undefined) appender.appendNull();
        else if (typeof value === 'number') appender.appendDouble(value);
        else appender.appendVarchar(value);
      }
    });
  }

  /** Appends `rows` rows to `table`, each filled by `fillRow`, then flushes; the appender is closed either way. */
  private async withAppender(table: string, rows: number, fillRow: (appender: DuckDBAppender, row: number) => void): Promise<void> {
    const appender = await this.connection.createAppender(table);
    try {
      for (let row = 0; row < rows; row++) {
        fillRow(appender, row);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** Runs `fn` in one transaction: a stage's warehouse changes land whole or not at all. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Whether a table or view of that name exists: `name`, or `schema.name` to look in one schema only. */
  async tableExists(name: string): Promise<boolean> {
    const dot = name.indexOf('.');
    const schema = dot < 0 ? '' : name.slice(0, dot);
    const table = dot < 0 ? name : name.slice(dot + 1);
    const n = await this.value<number>(
      `SELECT count(*) FROM (SELECT schema_name, table_name FROM duckdb_tables() UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal)
       WHERE table_name = $table AND ($schema = '' OR schema_name = $schema)`, { table, schema });
    return Number(n) > 0;
  }

  async version(): Promise<string> {
    return String(await this.value('SELECT version()'));
  }

  /**
   * A second connection to the same warehouse, with its own transaction and its own temp objects (temp tables and
   * macros are per connection). Two forks run statements at the same time; close each when done.
   */
  async fork(): Promise<Database> {
    const fork = new Database(this.instance, await this.instance.connect(), this.path, false);
    fork.timings = this.timings;
    return fork;
  }

  /** Records the wall time of every statement run from now on, here and on later forks; returns the live list. */
  recordTimings(): StatementTiming[] {
    this.timings ??= [];
    return this.timings;
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }

  private bind(sql: string, params: SqlParams): Record<string, DuckDBValue> {
    const used = new Set([...sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
    const values: Record<string, DuckDBValue> = {};
    for (const [key, value] of Object.entries(params)) if (used.has(key)) values[key] = toDuckValue(value);
    return values;
  }

  private async execute(sql: string, params: SqlParams, origin?: string) {
    try {
      const statements = await this.connection.extractStatements(sql);
      let last;
      for (let i = 0; i < statements.count; i++) {
        const prepared = await statements.prepare(i);
        const names = new Set<string>();
        for (let p = 1; p <= prepared.parameterCount; p++) names.add(prepared.parameterName(p));
        const values: Record<string, DuckDBValue> = {};
        const types: Record<string, DuckDBType | undefined> = {};
        for (const name of names) {
          const value = params[name];
          if (value === undefined) throw new DataError(`missing SQL parameter $${name}`, 'sql_parameter');
          values[name] = toDuckValue(value);
          // Lists carry their type so an empty list binds too.
          if (Array.isArray(value)) types[name] = LIST(typeof value[0] === 'number' ? DOUBLE : VARCHAR);
        }
        if (names.size > 0) prepared.bind(values, types);
        const started = this.timings ? performance.now() : 0;
        const cpuAtStart = this.timings ? processCpuSeconds() : 0;
        try {
          last = await prepared.runAndReadAll();
          if (this.timings) {
            const where = origin ?? sql.trim().slice(0, 80).replace(/\s+/g, ' ');
            this.timings.push({ origin: statements.count > 1 ? `${where} #${i + 1}` : where, seconds: (performance.now() - started) / 1000, cpuSeconds: processCpuSeconds() - cpuAtStart });
          }
        } finally {
          // A prepared statement left to the garbage collector keeps its query's memory (a join's hash table,
          // hundreds of MB at 100k customers) out of DuckDB's reach: statements are freed as soon as they ran.
          prepared.destroySync();
        }
      }
      return last;
    } catch (error) {
      throw this.wrap(error, origin ?? sql);
    }
  }

  private wrap(error: unknown, origin: string): DataError {
    if (error instanceof DataError) return error;
    const where = origin.includes('\n') || origin.length > 80 ? `SQL "${origin.trim().slice(0, 60).replace(/\s+/g, ' ')}…"` : origin;
    const wrapped = new DataError(`${where}: ${(error as Error).message}`, 'sql');
    wrapped.cause = error;
    return wrapped;
  }
}
