/**
 * The command line's contract: exit codes 0/1/2/3, messages naming the file and key, --json output, and no stack
 * traces without --debug. main() runs in-process with stdout/stderr captured.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/index.js';
import { copyFixture, repoRoot } from '../helpers.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('cra CLI', () => {
  it('--version prints the package version', async () => {
    expect(await main(['--version'])).toBe(0);
    expect(out.trim()).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('--help lists the commands', async () => {
    expect(await main(['--help'])).toBe(0);
    for (const command of ['run', 'validate', 'generate', 'status']) expect(out).toContain(command);
  });

  it('usage errors exit 2', async () => {
    expect(await main(['run'])).toBe(2);
    expect(err).toMatch(/missing required argument 'pipeline'/);
    expect(await main(['frobnicate'])).toBe(2);
    expect(await main(['run', 'nope.yaml', '--as-of', '30/06/2024'])).toBe(2);
    expect(err).toMatch(/--as-of 30\/06\/2024: expected a date YYYY-MM-DD/);
  });

  it('a missing pipeline file exits 2 with a one-line message and no stack', async () => {
    expect(await main(['run', 'no/such/pipeline.yaml'])).toBe(2);
    expect(err.trim()).toBe('cra: no/such/pipeline.yaml: no such pipeline file; check the path (it is relative to where you run cra)');
  });

  it('validate: 0 when every glob matches, 2 naming the key when one does not', async () => {
    const dir = copyFixture('mini');
    expect(await main(['validate', path.join(dir, 'pipeline.yaml')])).toBe(0);
    expect(out).toMatch(/valid; crm: 1 file\(s\), shop: 2 file\(s\)/);
    expect(await main(['validate', path.join(dir, 'pipeline.yaml'), '--set', 'sources[1].path=none/*.csv'])).toBe(2);
    expect(err).toMatch(/sources\[1\]\.path: "none\/\*\.csv" matches no file/);
  });

  it('run --json prints one result object; a run error exits 1 with {error, code}', async () => {
    const dir = copyFixture('mini');
    expect(await main(['run', path.join(dir, 'pipeline.yaml'), '--json', '--quiet'])).toBe(0);
    const result = JSON.parse(out.trim());
    expect(result).toMatchObject({ status: 'success', as_of: '2024-02-29' });
    expect(result.outputs.map((o: { table: string }) => o.table)).toContain('customers');
    out = '';
    expect(await main(['run', path.join(dir, 'pipeline.yaml'), '--json', '--quiet', '--set', 'sources[1].path=gone_*.csv'])).toBe(1);
    expect(JSON.parse(out.trim())).toMatchObject({ code: 'stage_failed' });
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('status lists the runs, newest first, marking latest', async () => {
    const dir = copyFixture('mini');
    await main(['run', path.join(dir, 'pipeline.yaml'), '--quiet']);
    out = '';
    expect(await main(['status', path.join(dir, 'pipeline.yaml'), '--json'])).toBe(0);
    const status = JSON.parse(out.trim());
    expect(status.runs).toHaveLength(1);
    expect(status.runs[0]).toMatchObject({ as_of: '2024-02-29', status: 'success', latest: true });
  });
});
