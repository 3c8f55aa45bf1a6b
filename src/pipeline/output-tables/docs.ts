/**
 * Renders docs/outputs.md from the registry, so the table reference can never drift from what the writer
 * publishes (`npm run docs` regenerates it; a test compares).
 */
import { OUTPUT_TABLES } from './index.js';

export function renderOutputsMarkdown(): string {
  const lines = [
    '# Output tables',
    '',
    'Generated from `src/pipeline/output-tables/` by `npm run docs`; do not edit by hand.',
    '',
    'Every table is one zstd-compressed Parquet file `<table>.parquet` in `<output.dir>/<name>/latest/`, rows in the',
    'order given below, columns exactly as listed. Timestamps are UTC `TIMESTAMP`s; money is `DOUBLE` in the orders\'',
    'currency; ids are `VARCHAR`. With `output.pii: pseudonymise` (the default) the columns marked *hashed* carry a',
    'keyed HMAC-SHA256 (hex) of the value and those marked *null* are published empty.',
    '',
  ];
  for (const table of OUTPUT_TABLES) {
    lines.push(`## ${table.name}`, '', `One row per ${table.grain}; ordered by ${table.orderBy.map((c) => `\`${c}\``).join(', ')}.`, '');
    lines.push('| column | type | meaning |', '|---|---|---|');
    for (const c of table.columns) {
      const pii = c.pii === 'hash' || c.pii === 'hash_shared' ? ' *hashed*' : c.pii === 'null' ? ' *null when pseudonymised*' : c.pii === 'redact' ? ' *quoted values redacted when pseudonymised*' : '';
      lines.push(`| \`${c.name}\` | ${c.type} | ${c.description.replaceAll('|', '\\|')}${pii} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
