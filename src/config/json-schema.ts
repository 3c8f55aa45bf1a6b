/**
 * The JSON Schema of the pipeline file, generated from the zod schema so editors (YAML language server) can
 * complete and check pipelines. `npm run schema` writes it to pipelines/schema.json; a test fails when the
 * committed file drifts from the schema.
 */
import { z } from 'zod';
import { pipelineSchema } from './schema.js';

export function pipelineJsonSchema(): string {
  const schema = z.toJSONSchema(pipelineSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'cra pipeline file' }, null, 2)}\n`;
}
