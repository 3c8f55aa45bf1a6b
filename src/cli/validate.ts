/**
 * `cra validate`: the pipeline file parses and validates, and every source's glob matches at least one file
 * (exit 2 otherwise, naming the key). Runs nothing and writes nothing.
 */
import { loadPipeline } from '../config/load.js';
import { UsageError } from '../errors.js';
import { Database } from '../db/database.js';
import { expandGlob } from '../stages/ingest/files.js';


export async function validateCommand(file: string, flags: { set: string[]; json?: boolean }): Promise<void> {
  const pipeline = loadPipeline(file, flags.set);
  const db = await Database.open(':memory:');
  const matches: { source: string; files: number }[] = [];
  try {
    for (const source of pipeline.sources) {
      const files = await expandGlob(db, source.absolutePath);
      if (files.length === 0) {
        throw new UsageError(`${file}: sources[${source.index}].path: "${source.path}" matches no file (relative to the pipeline file); check the path or the export job`, 'no_input');
      }
      matches.push({ source: source.name, files: files.length });
    }
  } finally {
    db.close();
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ valid: true, pipeline: pipeline.config.name, sources: matches })}\n`);
  } else {
    process.stdout.write(`${file}: valid; ${matches.map((m) => `${m.source}: ${m.files} file(s)`).join(', ')}\n`);
  }
}
