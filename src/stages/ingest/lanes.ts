/**
 * Loads the pipeline's sources two at a time, each on its own connection to the warehouse and in its own
 * transaction (as one at a time did). Much of a load runs on one DuckDB thread (the insert into the staging table,
 * hashing files in JS), so a second source loading alongside keeps the other core busy. Measured at 100k customers
 * (bench set, ingest alone, medians of interleaved runs; docs/decisions.md): one by one 24.8 s, two lanes sharing
 * DuckDB's two threads 20.1 s; in a later set, sharing 18.3 s against one thread per lane (the last lane getting
 * both back) 16.0 s, with 20% less CPU.
 *
 * Largest inputs first (bytes on disk), so the longest load does not start last. Physical row order in the
 * bookkeeping tables then depends on timing; nothing reads them in physical order (outputs sort).
 * A failing source does not stop the others: all of them are tried, and the error raised is that of the failing
 * source that comes first in the pipeline file, the one a load in file order would have stopped at, whatever
 * finished first. The sources that loaded stay loaded (each committed on its own), so the rerun after the fix
 * finds them unchanged.
 */
import { stat } from 'node:fs/promises';
import type { ResolvedSource } from '../../config/load.js';
import type { RunContext } from '../../pipeline/context.js';
import { expandGlob } from './files.js';
import { loadSource } from './load-source.js';

/** Sources loading at once: a third would only share the same two cores and add a batch's memory. */
const MAX_LANES = 2;

async function inputBytes(ctx: RunContext, source: ResolvedSource): Promise<number> {
  let bytes = 0;
  for (const file of await expandGlob(ctx.db, source.absolutePath)) bytes += (await stat(file)).size;
  return bytes;
}

export async function loadSources(ctx: RunContext): Promise<void> {
  const { db, pipeline } = ctx;
  const threads = pipeline.config.limits.threads;
  // One lane (limits.threads 1, or a single source) is the same mechanism, not a second code path.
  const lanes = Math.max(1, Math.min(MAX_LANES, threads, pipeline.sources.length));
  const sized = await Promise.all(pipeline.sources.map(async (source) => ({ source, bytes: await inputBytes(ctx, source) })));
  const queue = sized.sort((a, b) => b.bytes - a.bytes || a.source.index - b.source.index).map((s) => s.source);
  const failures = new Map<number, unknown>();
  let active = lanes;
  const lane = async (): Promise<void> => {
    const connection = await db.fork();
    try {
      await connection.runFile('staging/_macros.sql');
      for (let source = queue.shift(); source; source = queue.shift()) {
        const current = source;
        await connection.transaction(() => loadSource({ ...ctx, db: connection }, current)).catch((error: unknown) => {
          failures.set(current.index, error);
        });
      }
    } finally {
      connection.close();
      // The last lane still loading gets every thread back.
      if (--active === 1) await db.run(`SET threads = ${threads}`);
    }
  };
  // DuckDB's thread count includes the thread that runs a query, and each lane runs its own: with threads = T - L + 1
  // the L lanes together use the pipeline's T threads rather than L more (measured: see above).
  await db.run(`SET threads = ${threads - lanes + 1}`);
  // allSettled: a lane that could not even connect must not leave the other one loading behind the stage's back.
  const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
  await db.run(`SET threads = ${threads}`);
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
}
