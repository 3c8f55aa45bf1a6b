import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pipelineJsonSchema } from '../../src/config/json-schema.js';
import { OUTPUT_TABLES } from '../../src/pipeline/output-tables/index.js';
import { renderOutputsMarkdown } from '../../src/pipeline/output-tables/docs.js';
import { repoRoot } from '../helpers.js';

describe('generated reference docs', () => {
  it('docs/outputs.md matches the output-table registry (run `npm run docs`)', () => {
    expect(readFileSync(path.join(repoRoot, 'docs', 'outputs.md'), 'utf8')).toBe(renderOutputsMarkdown());
  });

  it('pipelines/schema.json matches the zod schema (run `npm run docs`)', () => {
    expect(readFileSync(path.join(repoRoot, 'pipelines', 'schema.json'), 'utf8')).toBe(pipelineJsonSchema());
  });

  it('registry names are snake_case and every table is ordered by its own columns', () => {
    for (const t of OUTPUT_TABLES) {
      expect(t.name).toMatch(/^[a-z_][a-z0-9_]*$/);
      const names = t.columns.map((c) => c.name);
      for (const c of names) expect(c).toMatch(/^[a-z_][a-z0-9_]*$/);
      for (const o of t.orderBy) expect(names).toContain(o);
      // A table sorted in parts splits on its first sort column, which must be a VARCHAR published as it is (a hashed
      // one would be published in another order than its parts').
      if (t.sortInParts) {
        const lead = t.columns.find((c) => c.name === t.orderBy[0]);
        expect([lead?.type, lead?.pii], t.name).toEqual(['VARCHAR', undefined]);
      }
    }
    expect(OUTPUT_TABLES.filter((t) => t.sortInParts).map((t) => t.name)).toEqual(['interactions']);
  });
});
