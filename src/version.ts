/** cra's version, read once from package.json (one source of truth for --version and the manifest). */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
export const CRA_VERSION: string = pkg.version;
