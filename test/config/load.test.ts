import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadPipeline } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { tempDir, writePipeline } from '../helpers.js';

const minimal = `name: t
sources:
  - channel: web_orders
    path: orders.csv
`;

function loadError(yaml: string, overrides: string[] = []): UsageError {
  const file = writePipeline(tempDir(), yaml);
  try {
    loadPipeline(file, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('loadPipeline', () => {
  it('applies defaults and resolves paths against the pipeline file', () => {
    const dir = tempDir();
    const p = loadPipeline(writePipeline(dir, minimal));
    expect(p.config.timezone).toBe('UTC');
    expect(p.config.segments.k).toBe('auto');
    expect(p.config.basket.min_support).toBe(0.001);
    expect(p.sources[0]!.name).toBe('web_orders');
    expect(p.sources[0]!.absolutePath).toBe(path.join(dir, 'orders.csv'));
    expect(p.outputRoot).toBe(path.resolve(dir, '../reports/t'));
    expect(p.stateDir).toBe(path.join(dir, '.cra'));
  });

  it('names the file when it is missing', () => {
    expect(() => loadPipeline('does/not/exist.yaml')).toThrow(/does\/not\/exist\.yaml: no such pipeline file/);
  });

  it('reports YAML syntax errors with line and column', () => {
    const e = loadError('name: t\nsources: [\n  - {channel: web_orders\n');
    expect(e.message).toMatch(/pipeline\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('rejects an unknown channel naming the key and the choices', () => {
    const e = loadError(minimal.replace('web_orders', 'web_order'));
    expect(e.message).toMatch(/pipeline\.yaml: sources\[0\]\.channel: must be one of email_events, web_orders/);
  });

  it('rejects unknown keys with a did-you-mean', () => {
    expect(loadError(`${minimal}segmnets: { k: 3 }\n`).message).toMatch(/segmnets: unknown key; did you mean "segments"\?/);
    expect(loadError(`${minimal}segments: { kk: 3 }\n`).message).toMatch(/segments\.kk: unknown key; did you mean "k"\?/);
  });

  it('rejects a canonical column the channel does not have', () => {
    const e = loadError(`${minimal}    columns: { order_idd: InvoiceNo }\n`);
    expect(e.message).toMatch(/sources\[0\]\.columns\.order_idd: "order_idd" is not a canonical web_orders column/);
  });

  it('asks to quote numbers where strings are needed, and reads YAML 1.2 core (no NO → false)', () => {
    expect(loadError(`${minimal}    columns: { order_id: 123 }\n`).message).toMatch(/columns\.order_id: must be a string; quote it/);
    expect(loadError(`${minimal}identity: { blocklist: [07700900000] }\n`).message).toMatch(/identity\.blocklist\[0\]: must be a string; quote it/);
    const p = loadPipeline(writePipeline(tempDir(), `${minimal}identity: { default_country: NO }\n`));
    expect(p.config.identity.default_country).toBe('NO');
  });

  it('applies --set overrides before validation, including list items', () => {
    const file = writePipeline(tempDir(), minimal);
    const p = loadPipeline(file, ['segments.k=6', 'segments.features=[a, b]', 'stages=[ingest, identity]', 'sources[0].name=shop']);
    expect(p.config.segments.k).toBe(6);
    expect(p.config.segments.features).toEqual(['a', 'b']);
    expect(p.config.stages).toEqual(['ingest', 'identity']);
    expect(p.sources[0]!.name).toBe('shop');
    expect(loadError(minimal, ['segments.k=1']).message).toMatch(/segments\.k: /);
  });

  it('requires distinct names for two sources of one channel', () => {
    const e = loadError(`${minimal}  - channel: web_orders\n    path: b.csv\n`);
    expect(e.message).toMatch(/sources\[1\]\.name: "web_orders" is already used by sources\[0\]/);
  });

  it('refuses a state_dir inside the output folder', () => {
    expect(loadError(`${minimal}output: { dir: out }\nstate_dir: out/state\n`).message).toMatch(/state_dir: must not be inside output\.dir/);
  });

  it('checks dates are real', () => {
    expect(loadError(`${minimal}as_of: 2024-02-30\n`).message).toMatch(/as_of: is not a real calendar date/);
  });
});
