/** `npm run schema`: regenerates pipelines/schema.json from the zod schema. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipelineJsonSchema } from './json-schema.js';

const target = fileURLToPath(new URL('../../pipelines/schema.json', import.meta.url));
writeFileSync(target, pipelineJsonSchema());
process.stdout.write(`wrote ${target}\n`);
