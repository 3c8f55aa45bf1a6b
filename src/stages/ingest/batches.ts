/**
 * Splits a source's new or changed files into batches that each fit in memory, so ingest memory is bounded by
 * `limits.memory`, not by the size of an export folder. A batch is whole files in file order, read by one scan
 * (hundreds of small daily files still make one batch); a batch ends before the file that would take it past the
 * byte budget, and a file larger than the budget is a batch of its own.
 *
 * The budget is a share of DuckDB's memory limit: a batch's typed rows (stg_batch) take about as much memory as its
 * text, the duplicate check and the insert add about as much again, and two sources load at once (lanes.ts).
 * Compressed inputs count at an estimate of their text size.
 * Batches load one after the other inside the source's transaction; each one's duplicate check sees the rows the
 * earlier ones loaded, so a row repeated across batches is a counted duplicate, as within one batch.
 */
import type { InputFile } from './files.js';

/** Share of the memory limit one batch's input may take. */
export const BATCH_MEMORY_SHARE = 1 / 8;

/** Rough text-to-file size ratios for compressed inputs. */
const EXPANSION: [RegExp, number][] = [[/\.gz$/i, 6], [/\.parquet$/i, 4]];

export function estimatedTextBytes(file: Pick<InputFile, 'path' | 'size'>): number {
  const factor = EXPANSION.find(([pattern]) => pattern.test(file.path))?.[1] ?? 1;
  return file.size * factor;
}

/** Consecutive groups of `files` (order kept) whose estimated text stays within `budgetBytes`. */
export function planBatches<T extends Pick<InputFile, 'path' | 'size'>>(files: readonly T[], budgetBytes: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = estimatedTextBytes(file);
    if (current.length > 0 && bytes + size > budgetBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
