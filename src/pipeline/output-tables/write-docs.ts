/** `npm run docs`: regenerates docs/outputs.md and pipelines/schema.json from their single sources. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipelineJsonSchema } from '../../config/json-schema.js';
import { renderOutputsMarkdown } from './docs.js';

const root = new URL('../../../', import.meta.url);
writeFileSync(fileURLToPath(new URL('docs/outputs.md', root)), renderOutputsMarkdown());
writeFileSync(fileURLToPath(new URL('pipelines/schema.json', root)), pipelineJsonSchema());
process.stdout.write('wrote docs/outputs.md and pipelines/schema.json\n');
