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
import { BiFile } from '../../src/pipeline/bi-file.js';
import { writeTables } from '../../src/pipeline/publish.js';
import { tableDef } from '../../src/pipeline/output-tables/index.js';
import { readParquet, tempDir } from '../helpers.js';

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

  it('publishes each personal column of customers as the HMAC Node computes, names hashed once per distinct value', async () => {
    const key = 'shared key';
    const piiKey = loadPiiKey(tempDir(), memoryLogger(), { CRA_PII_KEY: key });
    const hmac = (value: string | null) => (value === null ? null : createHmac('sha256', Buffer.from(key)).update(value).digest('hex'));
    const def = tableDef('customers');
    expect(def.columns.filter((c) => c.pii === 'hash_shared').map((c) => c.name)).toEqual(['first_name', 'last_name']);
    const people = [
      ['K000000003', 'ann@example.com', '+441234567890', 'Ann', 'Lee'],
      ['K000000001', 'bob@example.com', null, 'Ann', null],
      ['K000000002', null, '+441234567891', null, 'Lee'],
      ['K000000004', 'cy@example.com', '+441234567892', 'Zoë', 'Lee'],
    ] as const;
    const dir = tempDir();
    const db = await Database.open(path.join(dir, 'w.duckdb'));
    try {
      const columns = def.columns.map((c) => `CAST(NULL AS ${c.type}) AS ${c.name}`).join(', ');
      await db.run(`CREATE TEMP TABLE out_customers AS SELECT ${columns} WHERE false`);
      for (const [k, email, phone, first, last] of people) {
        await db.run('INSERT INTO out_customers (customer_key, email, phone, first_name, last_name, city) VALUES ($k, $email, $phone, $first, $last, $first)', { k, email, phone, first, last });
      }
      const bi = await BiFile.open(db, dir, 'v1.3.0');
      await writeTables(db, dir, ['customers'], { pii: 'pseudonymise', piiKey }, bi);
      await bi.discard();
    } finally {
      db.close();
    }
    const rows = await readParquet(path.join(dir, 'customers.parquet'), 'SELECT customer_key, email, phone, first_name, last_name, city FROM t');
    const expected = [...people].sort((a, b) => a[0].localeCompare(b[0])).map(([k, email, phone, first, last]) => ({
      customer_key: k, email: hmac(email), phone: hmac(phone), first_name: hmac(first), last_name: hmac(last), city: first,
    }));
    expect(rows).toEqual(expected);
  });
});
