/** `cra status`: the last runs of a pipeline from their manifests — id, as_of, status, seconds. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPipeline } from '../config/load.js';
import type { Manifest } from '../pipeline/manifest.js';
import { currentLatestRunId } from '../pipeline/publish.js';

export async function statusCommand(file: string, flags: { json?: boolean }): Promise<void> {
  const pipeline = loadPipeline(file);
  const runsDir = path.join(pipeline.outputRoot, 'runs');
  const latest = await currentLatestRunId(pipeline.outputRoot);
  const ids = (await readdir(runsDir).catch(() => [] as string[])).sort().reverse().slice(0, 20);
  const runs = [];
  for (const id of ids) {
    try {
      const m = JSON.parse(await readFile(path.join(runsDir, id, 'manifest.json'), 'utf8')) as Manifest;
      const seconds = m.finished_at ? (Date.parse(m.finished_at) - Date.parse(m.started_at)) / 1000 : null;
      runs.push({ run_id: id, as_of: m.as_of, status: m.status, seconds, latest: id === latest, error: m.error });
    } catch {
      runs.push({ run_id: id, as_of: null, status: 'incomplete', seconds: null, latest: id === latest });
    }
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ pipeline: pipeline.config.name, runs })}\n`);
    return;
  }
  if (runs.length === 0) {
    process.stdout.write(`${pipeline.config.name}: no runs yet\n`);
    return;
  }
  for (const r of runs) {
    process.stdout.write(`${r.latest ? '*' : ' '} ${r.run_id}  as_of ${r.as_of ?? '?'}  ${String(r.status).padEnd(10)} ${r.seconds === null ? '' : `${r.seconds.toFixed(1)} s`}\n`);
  }
}
