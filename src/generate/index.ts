/**
 * `cra generate`: a deterministic synthetic multi-channel CRM export set with planted truth. Persons are
 * generated in fixed-size blocks (each a pure function of the options and its index range), optionally on
 * worker threads, and appended to the files strictly in block order, so the bytes never depend on timing
 * or thread count. Memory is bounded by the blocks in flight plus one ~1 MB buffer per file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { churnCutoffs } from './block.js';
import { buildCalendar } from './calendar.js';
import { productsCsv } from './catalogue.js';
import { buildContext, type GenContext } from './context.js';
import { JUNK_EMAIL } from './messy.js';
import { pipelineYaml } from './pipeline-file.js';
import { MAX_PERSONS, SHOP_NUMBER } from './phones.js';
import { buildTruth, type FileCount } from './truth.js';
import { emptyAgg, mergeAgg } from './truth-agg.js';
import { runBlocks, type EncodedBlock } from './pool.js';
import { FileWriters, removeStaleMonthFiles } from './writers.js';

export interface GenerateOptions {
  outDir: string;
  customers: number;
  seed: number;
  days: number;
  endDate?: string /* YYYY-MM-DD, default '2024-06-30' */;
}
export interface GenerateSummary {
  files: { path: string; rows: number }[];
  persons: number;
  seconds: number;
}

export const DEFAULT_END_DATE = '2024-06-30';
/** Persons per block: big enough to amortise hand-over, small enough to keep blocks in flight to a few MB. */
export const BLOCK_SIZE = 2000;

/** Validated context for a run; also what a worker thread rebuilds from the same options. */
export function contextFor(opts: Pick<GenerateOptions, 'customers' | 'seed' | 'days' | 'endDate'>): GenContext {
  if (!Number.isInteger(opts.customers) || opts.customers < 1 || opts.customers > MAX_PERSONS) {
    throw new Error(`customers must be a whole number from 1 to ${MAX_PERSONS}, got ${opts.customers}`);
  }
  if (!Number.isInteger(opts.seed)) throw new Error(`seed must be a whole number, got ${opts.seed}`);
  if (!Number.isInteger(opts.days) || opts.days < 365) throw new Error(`days must be a whole number ≥ 365, got ${opts.days}`);
  return buildContext(opts.seed, opts.customers, buildCalendar(opts.endDate ?? DEFAULT_END_DATE, opts.days));
}

export async function generate(opts: GenerateOptions, log?: (msg: string) => void): Promise<GenerateSummary> {
  return generateWith(opts, log, {});
}

export interface GenerateTuning {
  /** Worker threads; 0 generates on the calling thread. Default: up to 2, fewer for small runs. */
  workers?: number;
}

export async function generateWith(opts: GenerateOptions, log: ((msg: string) => void) | undefined, tuning: GenerateTuning): Promise<GenerateSummary> {
  const started = process.hrtime.bigint();
  const ctx = contextFor(opts);
  mkdirSync(opts.outDir, { recursive: true });
  const specs = ctx.files.specs;
  removeStaleMonthFiles(opts.outDir, specs);
  const writers = new FileWriters(opts.outDir, specs);
  const rows = new Array<number>(specs.length).fill(0);
  const dups = new Array<number>(specs.length).fill(0);
  const rejects = new Array<number>(specs.length).fill(0);
  const agg = emptyAgg(churnCutoffs(ctx.cal.nDays), ctx.cat.rules.length);
  const nBlocks = Math.ceil(opts.customers / BLOCK_SIZE);
  let lastPct = -1;
  const consume = (block: EncodedBlock, index: number): void => {
    block.chunks.forEach((chunk, f) => writers.append(f, chunk));
    for (let f = 0; f < specs.length; f++) {
      rows[f]! += block.rows[f]!;
      dups[f]! += block.duplicates[f]!;
      rejects[f]! += block.rejects[f]!;
    }
    mergeAgg(agg, block.agg);
    const pct = Math.floor(((index + 1) * 10) / nBlocks) * 10;
    if (log && pct !== lastPct && nBlocks > 4) log(`generate: ${pct}% (${Math.min(opts.customers, (index + 1) * BLOCK_SIZE)} persons)`);
    lastPct = pct;
  };
  try {
    await runBlocks(opts, ctx, nBlocks, BLOCK_SIZE, tuning.workers, consume);
    // Junk identifiers are shared by many persons, so they are written once, with no person.
    if (agg.junkEmailIdentity) writers.appendText(ctx.files.truthIdentities, `shop,email,${JUNK_EMAIL},\n`);
    if (agg.shopNumberIdentity) writers.appendText(ctx.files.truthIdentities, `calls,phone,${SHOP_NUMBER},\n`);
    rows[ctx.files.truthIdentities]! += Number(agg.junkEmailIdentity) + Number(agg.shopNumberIdentity);
  } finally {
    writers.close();
  }
  const counts: FileCount[] = [];
  const products = ctx.cat.products.length;
  writeFileSync(join(opts.outDir, 'products.csv'), productsCsv(ctx.cat));
  counts.push({ path: 'products.csv', rows: products, duplicate_rows: 0, reject_rows: 0 });
  specs.forEach((s, f) => {
    if (s.export) counts.push({ path: s.path, rows: rows[f]!, duplicate_rows: dups[f]!, reject_rows: rejects[f]! });
  });
  const truth = buildTruth(ctx, agg, counts);
  writeFileSync(join(opts.outDir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  writeFileSync(join(opts.outDir, 'pipeline.yaml'), pipelineYaml(opts.seed, opts.customers, ctx.cal.endDate));
  const files = [
    ...counts.map((c) => ({ path: c.path, rows: c.rows })),
    ...specs.flatMap((s, f) => (s.export ? [] : [{ path: s.path, rows: rows[f]! }])),
    { path: 'truth.json', rows: 0 },
    { path: 'pipeline.yaml', rows: 0 },
  ];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log?.(`generate: ${agg.persons} persons, ${files.reduce((s, f) => s + f.rows, 0)} rows in ${seconds.toFixed(1)} s`);
  return { files, persons: agg.persons, seconds };
}

