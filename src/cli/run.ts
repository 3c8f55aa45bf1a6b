/**
 * `cra run`: loads the pipeline (with --set, then --as-of on top), runs it, and prints a short summary — stages,
 * rows, seconds, where the report is — or, with --json, one result object on stdout.
 */
import path from 'node:path';
import { loadPipeline } from '../config/load.js';
import { UsageError } from '../errors.js';
import { createLogger } from '../pipeline/logger.js';
import { withProgress } from '../pipeline/progress.js';
import { runPipeline } from '../pipeline/run.js';
import { ALL_STAGES } from '../stages/index.js';

export interface RunFlags {
  asOf?: string;
  set: string[];
  fullRefresh?: boolean;
  strict?: boolean;
  ifChanged?: boolean;
  resume?: boolean;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

export async function runCommand(file: string, flags: RunFlags): Promise<void> {
  if (flags.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.asOf)) throw new UsageError(`--as-of ${flags.asOf}: expected a date YYYY-MM-DD`);
  const overrides = flags.set;
  const pipeline = loadPipeline(file, overrides);
  const json = Boolean(flags.json) || !process.stderr.isTTY;
  const human = createLogger({ json, quiet: Boolean(flags.quiet), debug: Boolean(flags.debug) });
  const progress = !json && !flags.quiet && process.stderr.isTTY ? withProgress(human) : undefined;
  const log = progress ?? human;
  const started = performance.now();
  const { manifest, skipped } = await runPipeline({ pipeline, stages: ALL_STAGES, log, fullRefresh: flags.fullRefresh, strict: flags.strict, ifChanged: flags.ifChanged, resume: flags.resume, asOf: flags.asOf })
    .finally(() => progress?.stop());
  if (skipped) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ status: 'unchanged', run_id: manifest.run_id, as_of: manifest.as_of })}\n`);
    return;
  }
  const seconds = (performance.now() - started) / 1000;
  const latest = path.join(pipeline.outputRoot, 'latest');
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ status: manifest.status, run_id: manifest.run_id, as_of: manifest.as_of, seconds: Math.round(seconds * 100) / 100, latest, stages: manifest.stages, outputs: manifest.outputs })}\n`);
    return;
  }
  if (flags.quiet) return;
  const lines = [`cra: ${manifest.pipeline} as of ${manifest.as_of}: ${manifest.status} in ${seconds.toFixed(1)} s (run ${manifest.run_id})`];
  for (const stage of manifest.stages) {
    const detail = stage.status === 'skipped' ? `skipped: ${stage.reason}` : `${stage.seconds ?? 0} s${stage.rows_out !== undefined ? `, ${stage.rows_out} rows` : ''}`;
    lines.push(`  ${stage.name.padEnd(13)} ${detail}`);
  }
  const read = manifest.inputs.reduce((s, i) => s + i.rows_read, 0);
  const rejected = manifest.inputs.reduce((s, i) => s + i.rows_rejected, 0);
  const duplicates = manifest.inputs.reduce((s, i) => s + i.rows_duplicate, 0);
  lines.push(`  inputs: ${manifest.inputs.length} files, ${read} rows read, ${rejected} rejected, ${duplicates} duplicates`);
  lines.push(`  outputs: ${manifest.outputs.length} tables in ${path.relative(process.cwd(), latest) || latest}/`);
  const report = manifest.stages.some((s) => s.name === 'report' && s.status === 'success');
  if (report) lines.push(`  report: ${path.relative(process.cwd(), path.join(latest, 'report.html'))}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
