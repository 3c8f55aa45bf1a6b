/**
 * Finds and caches the project's `.sql` models. They live in `src/sql/` and are not copied by tsc, so the
 * compiled code (dist/db/) looks in `../../src/sql/` and the TypeScript sources (src/db/) in `../sql/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [new URL('../sql/', import.meta.url), new URL('../../src/sql/', import.meta.url)];
const sqlRoot = candidates.map((url) => fileURLToPath(url)).find((dir) => existsSync(`${dir}staging`));
const cache = new Map<string, string>();

export function readSqlFile(relativePath: string): string {
  if (!sqlRoot) throw new Error('cannot find the src/sql folder next to the cra code');
  let text = cache.get(relativePath);
  if (text === undefined) {
    text = readFileSync(`${sqlRoot}${relativePath}`, 'utf8');
    cache.set(relativePath, text);
  }
  return text;
}
