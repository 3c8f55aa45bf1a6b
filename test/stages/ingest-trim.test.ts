/**
 * cra_trim (src/sql/staging/_macros.sql) skips DuckDB's trim where trim would change nothing, and must give trim's
 * answer everywhere. Oracle: DuckDB's own trim, on every string of up to four characters over an alphabet of the
 * cases that matter — the ASCII space, characters trim keeps (tab, CR, LF), Unicode spaces it removes (no-break
 * space, ideographic space, en quad, narrow no-break space), non-ASCII letters, an emoji — plus NULL and ''.
 * The macros built on it (cra_text, cra_number, cra_present) are held to the same forms written with trim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';

const ALPHABET = ['a', ' ', '\t', '\r', '\n', '\u00a0', '\u3000', '\u2000', '\u202f', 'é', '😀', '7'];

function allStrings(maxLength: number): string[] {
  const out = [''];
  let previous = [''];
  for (let length = 1; length <= maxLength; length++) {
    previous = previous.flatMap((s) => ALPHABET.map((c) => s + c));
    out.push(...previous);
  }
  return out;
}

describe('ingest: cra_trim', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(':memory:');
    await db.runFile('staging/_macros.sql');
    await db.run('CREATE TABLE s (x VARCHAR)');
    await db.appendColumns('s', [[...allStrings(4), null, ' 12.5 ', '\u00a012\u00a0', '1 000', ' 2024-01-02 ']]);
  });
  afterAll(() => db.close());

  it('equals trim on every string of up to four characters, NULL included', async () => {
    const total = Number(await db.value('SELECT count(*) FROM s'));
    expect(total).toBe(1 + 12 + 12 ** 2 + 12 ** 3 + 12 ** 4 + 5);
    const differing = await db.all('SELECT x, cra_trim(x) AS ours, trim(x) AS theirs FROM s WHERE cra_trim(x) IS DISTINCT FROM trim(x) LIMIT 5');
    expect(differing).toEqual([]);
    // The case the shortcut exists for, and the cases it must not take: trim changes about half of these strings.
    const changed = Number(await db.value('SELECT count(*) FROM s WHERE trim(x) IS DISTINCT FROM x'));
    expect(changed).toBeGreaterThan(total / 4);
    expect(await db.value("SELECT cra_trim('\u00a0abc\u3000')")).toBe('abc');
    expect(await db.value("SELECT cra_trim('\tabc\t')")).toBe('\tabc\t');
  });

  it('gives cra_text, cra_number and cra_present the answers of their trim forms', async () => {
    const differing = await db.all(`
      SELECT x FROM s
      WHERE cra_text(x) IS DISTINCT FROM nullif(trim(x), '')
         OR cra_number(x) IS DISTINCT FROM TRY_CAST(replace(trim(x), ' ', '') AS DOUBLE)
         OR cra_present(x) IS DISTINCT FROM (nullif(trim(x), '') IS NOT NULL)
      LIMIT 5`);
    expect(differing).toEqual([]);
    expect(await db.value("SELECT cra_number('\u00a012\u00a0')")).toBe(12);
    expect(await db.value("SELECT cra_number('1 000')")).toBe(1000);
  });
});
