/**
 * `cra generate`: a deterministic synthetic export set with planted truth (src/generate/), and a pipeline.yaml
 * beside it that runs on it.
 */
import { UsageError } from '../errors.js';

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a whole number ≥ 1`);
  return n;
}

export async function generateCommand(flags: { out: string; customers: string; seed: string; days: string; json?: boolean }): Promise<void> {
  const seed = Number(flags.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed ${flags.seed}: expected a whole number`);
  // Loaded on demand: `cra run` never pays for the generator's modules.
  const { generate } = await import('../generate/index.js');
  const summary = await generate(
    { outDir: flags.out, customers: positiveInt('--customers', flags.customers), seed, days: positiveInt('--days', flags.days) },
    flags.json ? undefined : (message: string) => process.stderr.write(`${message}\n`),
  );
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const rows = summary.files.reduce((sum: number, f: { rows: number }) => sum + f.rows, 0);
  process.stdout.write(`wrote ${summary.files.length} files (${rows} rows, ${summary.persons} people) to ${flags.out} in ${summary.seconds.toFixed(1)} s\n`);
}
