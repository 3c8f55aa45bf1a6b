/**
 * Pseudonymisation (contract §6): direct identifiers are published only as keyed HMAC-SHA256. The key comes from
 * CRA_PII_KEY, else from `<state_dir>/pii.key`, generated on first use with mode 0600 and a warning; it is never
 * logged or published. The HMAC runs inside DuckDB (inner and outer padded keys travel as parameters) so a
 * million identifiers never cross into JS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './logger.js';

export interface PiiKey {
  /** Hex of the key XOR ipad / opad, for the SQL HMAC. */
  ipadHex: string;
  opadHex: string;
}

export function loadPiiKey(stateDir: string, log: Logger, env: NodeJS.ProcessEnv = process.env): PiiKey {
  let key: Buffer;
  if (env.CRA_PII_KEY) {
    key = Buffer.from(env.CRA_PII_KEY, 'utf8');
  } else {
    const file = path.join(stateDir, 'pii.key');
    if (!existsSync(file)) {
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
      log.warn(`generated a pseudonymisation key in ${path.relative(process.cwd(), file) || file}; back it up (hashes change without it) or set CRA_PII_KEY`);
    }
    key = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  }
  const block = Buffer.alloc(64);
  (key.length > 64 ? sha256(key) : key).copy(block);
  return {
    ipadHex: Buffer.from(block.map((b) => b ^ 0x36)).toString('hex'),
    opadHex: Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex'),
  };
}

function sha256(data: Buffer): Buffer {
  // Keys longer than the block are hashed first (RFC 2104).
  return createHash('sha256').update(data).digest();
}

/** SQL expression: hex HMAC-SHA256 of a VARCHAR expression, NULL stays NULL. Needs params $pii_ipad, $pii_opad. */
export function hmacSql(expression: string): string {
  return `CASE WHEN (${expression}) IS NULL THEN NULL ELSE sha256(unhex($pii_opad) || unhex(sha256(unhex($pii_ipad) || encode(CAST(${expression} AS VARCHAR))))) END`;
}

export function piiParams(key: PiiKey): { pii_ipad: string; pii_opad: string } {
  return { pii_ipad: key.ipadHex, pii_opad: key.opadHex };
}
