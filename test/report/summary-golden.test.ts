// Golden test of summary.md: each folder under test/golden/ is a case holding the expected summary.md. The case's
// input is run through the whole pipeline and its summary.md compared byte for byte; on a difference the new text
// is written beside the golden as summary.md-changed (git-ignored) for `diff`, and the test fails. After checking
// the diff, accept it with CRA_UPDATE_GOLDEN=1 npx vitest run test/report/summary-golden.test.ts.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/index.js';
import { copyFixture, repoRoot, runFile, tempDir } from '../helpers.js';

const GOLDEN = path.join(repoRoot, 'test', 'golden');
const UPDATE = process.env.CRA_UPDATE_GOLDEN === '1';

/** Each case's input: a pipeline file in a fresh temp folder. */
const INPUTS: Record<string, () => Promise<string>> = {
  mini: async () => path.join(copyFixture('mini'), 'pipeline.yaml'),
  'generated-500': async () => {
    const dir = tempDir('cra-golden-');
    await generate({ outDir: dir, customers: 500, seed: 42, days: 730 });
    return path.join(dir, 'pipeline.yaml');
  },
};

const cases = readdirSync(GOLDEN).filter((name) => statSync(path.join(GOLDEN, name)).isDirectory()).sort();

describe('summary.md golden cases', () => {
  it('has a case folder for every known input and an input for every case folder', () => {
    expect(cases).toEqual(Object.keys(INPUTS).sort());
  });

  for (const name of cases) {
    it(`${name}: summary.md matches test/golden/${name}/summary.md`, async () => {
      const input = INPUTS[name];
      if (!input) throw new Error(`test/golden/${name}: no input for this case; add it to INPUTS in test/report/summary-golden.test.ts`);
      const { runDir } = await runFile(await input());
      const actual = readFileSync(path.join(runDir, 'summary.md'), 'utf8');
      const goldenFile = path.join(GOLDEN, name, 'summary.md');
      const changedFile = `${goldenFile}-changed`;
      if (UPDATE) writeFileSync(goldenFile, actual);
      const expected = existsSync(goldenFile) ? readFileSync(goldenFile, 'utf8') : '';
      if (actual === expected) {
        rmSync(changedFile, { force: true });
        return;
      }
      writeFileSync(changedFile, actual);
      expect.fail(`test/golden/${name}/summary.md differs; see the new text with\n  diff test/golden/${name}/summary.md test/golden/${name}/summary.md-changed\n`
        + 'and accept it with CRA_UPDATE_GOLDEN=1 npx vitest run test/report/summary-golden.test.ts');
    });
  }
});
