/**
 * `--if-changed`: a cron job can run every hour and do work only when an export arrived. The last successful
 * run's manifest lists every input file with its sha256 and the hash of the resolved pipeline file; when the
 * current globs match the same files with the same contents and the configuration is the same, nothing changed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pipeline } from '../config/load.js';
import type { Database } from '../db/database.js';
import { expandGlob, fingerprint } from '../stages/ingest/files.js';
import type { Manifest } from './manifest.js';

export function configHash(pipeline: Pipeline, asOf: string | undefined): string {
  return createHash('sha256').update(JSON.stringify({ config: pipeline.config, asOf: asOf ?? null })).digest('hex');
}

/** The last successful manifest when nothing changed since it, else undefined. */
export async function unchangedSinceLastSuccess(pipeline: Pipeline, db: Database, asOf: string | undefined): Promise<Manifest | undefined> {
  let last: Manifest;
  try {
    last = JSON.parse(await readFile(path.join(pipeline.outputRoot, 'latest', 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (last.status !== 'success' || last.config_sha256 !== configHash(pipeline, asOf)) return undefined;
  const previous = new Map(last.inputs.map((i) => [`${i.source}\u0000${i.path}`, i.sha256]));
  let seen = 0;
  for (const source of pipeline.sources) {
    for (const file of await expandGlob(db, source.absolutePath)) {
      const fp = await fingerprint(file, pipeline.dir);
      if (previous.get(`${source.name}\u0000${fp.display}`) !== fp.sha256) return undefined;
      seen++;
    }
  }
  return seen === previous.size ? last : undefined;
}
