/**
 * Pseudonymisation: the HMAC computed inside DuckDB equals Node's HMAC-SHA256 with the same key (so published
 * hashes can be recomputed by anyone holding the key), the key is generated once with mode 0600, and
 * CRA_PII_KEY takes precedence.
 */
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Database } from '../../src/db/database.js';
import { memoryLogger } from '../../src/pipeline/logger.js';
import { hmacSql, loadPiiKey, piiParams } from '../../src/pipeline/pii.js';
import { tempDir } from '../helpers.js';

describe('pseudonymisation', () => {
  it('computes HMAC-SHA256 in DuckDB exactly as Node does, NULL staying NULL', async () => {
    const db = await Database.open(':memory:');
    try {
      for (const key of ['a short key', 'k'.repeat(100)]) {
        const params = piiParams(loadPiiKey(tempDir(), memoryLogger(), { CRA_PII_KEY: key }));
        for (const value of ['jane.doe@example.com', 'Zoë Müller', '+442079460958', '']) {
          const sqlHash = await db.value(`SELECT ${hmacSql('$v')}`, { ...params, v: value });
          expect(sqlHash).toBe(createHmac('sha256', Buffer.from(key)).update(value).digest('hex'));
        }
        expect(await db.value(`SELECT ${hmacSql('CAST(NULL AS VARCHAR)')}`, params)).toBeNull();
      }
    } finally {
      db.close();
    }
  });

  it('generates the key once into state_dir with mode 0600 and warns', () => {
    const dir = tempDir();
    const log = memoryLogger();
    const first = loadPiiKey(dir, log, {});
    const second = loadPiiKey(dir, log, {});
    expect(second).toEqual(first);
    expect(statSync(path.join(dir, 'pii.key')).mode & 0o777).toBe(0o600);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(log.lines[0]!.message).not.toContain(readFileSync(path.join(dir, 'pii.key'), 'utf8'));
    expect(loadPiiKey(dir, log, { CRA_PII_KEY: 'other' })).not.toEqual(first);
  });
});
