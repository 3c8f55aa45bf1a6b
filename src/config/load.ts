/**
 * Reads a pipeline file: YAML 1.2 core (no `NO` → false surprises), `--set key.path=value` overrides, zod
 * validation, then paths resolved against the file's folder. The first problem is reported the way users wrote
 * it — `pipelines/x.yaml: sources[1].columns.order_id: message` — as a UsageError (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { pipelineSchema, type PipelineConfig, type SourceConfig } from './schema.js';
import { applyOverrides } from './overrides.js';
import { formatPath, knownKeysAt, closest } from './schema-walk.js';

export interface ResolvedSource extends SourceConfig {
  name: string;
  /** Index in the file's `sources` list, for messages. */
  index: number;
  /** Absolute glob. */
  absolutePath: string;
}

export interface Pipeline {
  /** The file as the user named it, for messages. */
  file: string;
  dir: string;
  config: PipelineConfig;
  sources: ResolvedSource[];
  /** `<output.dir>/<name>`: runs/, latest, history/, bi.duckdb. */
  outputRoot: string;
  stateDir: string;
}

export function loadPipeline(file: string, overrides: string[] = []): Pipeline {
  if (!existsSync(file)) throw new UsageError(`${file}: no such pipeline file; check the path (it is relative to where you run cra)`, 'config_missing');
  const doc = parseDocument(readFileSync(file, 'utf8'), { version: '1.2', schema: 'core', prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    throw new UsageError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: YAML syntax error: ${yamlError.message.split('\n')[0]}`, 'config_yaml');
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${file}: must be a YAML mapping of keys (name, sources, …)`, 'config_invalid');
  applyOverrides(raw as Record<string, unknown>, overrides, file);
  return resolvePipeline(file, validate(file, raw));
}

function validate(file: string, raw: unknown): PipelineConfig {
  const parsed = pipelineSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UsageError(`${file}: ${describeIssue(parsed.error.issues[0]!)}`, 'config_invalid');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const suggestion = closest(key, knownKeysAt(pipelineSchema, issue.path));
    const where = formatPath([...issue.path, key]);
    return `${where}: unknown key${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${at}: is required`;
  return `${at || '(top level)'}: ${issue.message}`;
}

function resolvePipeline(file: string, config: PipelineConfig): Pipeline {
  const dir = path.dirname(path.resolve(file));
  const seen = new Map<string, number>();
  const sources = config.sources.map((src, index): ResolvedSource => {
    const name = src.name ?? src.channel;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      const hint = src.name ? 'give each source a different name' : `two ${src.channel} sources: give each a distinct name:`;
      throw new UsageError(`${file}: sources[${index}].name: "${name}" is already used by sources[${earlier}]; ${hint}`, 'config_invalid');
    }
    seen.set(name, index);
    return { ...src, name, index, absolutePath: path.resolve(dir, src.path) };
  });
  const outputRoot = path.resolve(dir, config.output.dir, config.name);
  const stateDir = path.resolve(dir, config.state_dir);
  const outputDir = path.resolve(dir, config.output.dir);
  if (stateDir === outputDir || stateDir.startsWith(outputDir + path.sep)) {
    throw new UsageError(`${file}: state_dir: must not be inside output.dir (${config.output.dir}); it holds raw identifiers and keys and is never published`, 'config_invalid');
  }
  return { file, dir, config, sources, outputRoot, stateDir };
}
