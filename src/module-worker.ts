/**
 * Starts a worker thread on one of cra's own modules, whether cra runs from dist/ (compiled JS) or from its
 * TypeScript sources (tsx, vitest): from sources the worker first registers tsx's loader, then imports the module.
 * `entry` is the module's path relative to the caller, without extension; `callerUrl` is the caller's
 * import.meta.url (a compiled caller ends in .js and so does its neighbour).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

function resolveTsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // Some test runners do not provide import.meta.resolve; the tsx package beside this repo then serves.
    const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
    return pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  }
}

export function spawnModuleWorker(callerUrl: string, entry: string, options: WorkerOptions = {}): Worker {
  if (callerUrl.endsWith('.js')) return new Worker(new URL(`${entry}.js`, callerUrl), options);
  const tsxApi = resolveTsxApi();
  const module = new URL(`${entry}.ts`, callerUrl).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(module)}); })`;
  return new Worker(code, { ...options, eval: true });
}
