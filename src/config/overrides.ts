/**
 * `--set a.b[0].c=value` (contract §1): split at the first `=`, the value parsed as YAML 1.2 core, applied to the
 * parsed file before validation so the schema checks overridden values like any other.
 */
import { parse } from 'yaml';
import { UsageError } from '../errors.js';

type Segment = string | number;

export function parseKeyPath(keyPath: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]/g;
  let consumed = '';
  for (const match of keyPath.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else segments.push(Number(match[2]));
    consumed += match[0];
  }
  if (segments.length === 0 || consumed.length !== keyPath.replaceAll('.', '').length) {
    throw new UsageError(`--set ${keyPath}: not a key path; write it like segments.k or sources[0].path`, 'usage');
  }
  return segments;
}

export function applyOverrides(target: Record<string, unknown>, overrides: readonly string[], file: string): void {
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${override}: expected key.path=value`, 'usage');
    const segments = parseKeyPath(override.slice(0, eq));
    const value: unknown = parse(override.slice(eq + 1), { version: '1.2', schema: 'core' });
    let node: Record<string | number, unknown> = target;
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (next === undefined || next === null) {
        const created = typeof segments[i + 1] === 'number' ? [] : {};
        node[segment] = created;
        node = created as Record<string | number, unknown>;
      } else if (typeof next === 'object') {
        node = next as Record<string | number, unknown>;
      } else {
        throw new UsageError(`${file}: --set ${override}: ${String(segment)} is a value, not a section`, 'usage');
      }
    });
  }
}
