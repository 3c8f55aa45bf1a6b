/**
 * cra_trim (src/sql/staging/_macros.sql) skips DuckDB's trim where trim would change nothing, and must give trim's
 * answer everywhere. Oracle: DuckDB's own trim, on every string of up to four characters over an alphabet of the
 * cases that matter — the ASCII space, characters trim keeps (tab, CR, LF), Unicode spaces it removes (no-break
 * space, ideographic space, en quad, narrow no-break space), non-ASCII letters, an emoji — plus NULL and ''.
 * The macros built on it (cra_text, cra_number, cra_present) are held to the same forms written with trim.
 * cra_ts reads ISO strings in UTC ("…Z") first when the source's format cannot: held to the form without that
 * shortcut, for every pairing of formats (with and without z or Z) and values (naive, Z, offsets, fractions, blanks)
 * in UTC and in a zone with summer time.
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

describe('ingest macros: cra_trim', () => {
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
    // The case the shortcut exists for, and the cases it must not take: trim changes 14,920 of the 22,621 short
    // strings.
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

/** cra_ts as it was before the ISO-Z shortcut: the oracle. */
const TS_WITHOUT_SHORTCUT = `coalesce(
    cra_local_to_utc(try_strptime(trim(x), fmt), tz),
    try_strptime(trim(x), '%Y-%m-%dT%H:%M:%SZ'),
    CASE WHEN regexp_matches(trim(x), '(Z|[+-]\\d\\d:?\\d\\d)$') THEN timezone('UTC', TRY_CAST(trim(x) AS TIMESTAMPTZ))
         ELSE cra_local_to_utc(TRY_CAST(trim(x) AS TIMESTAMP), tz)
    END)`;

describe('ingest macros: cra_ts', () => {
  it('reads every value as the form without the ISO-Z shortcut does, in any format and zone', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.runFile('staging/_macros.sql');
      const values = ['2024-03-31T01:30:00Z', '2024-03-31 01:30:00', ' 2024-03-31T01:30:00Z ', '2024-03-31T01:30:00.250Z',
        '2024-03-31T01:30:00+02:00', '2024-03-31T01:30:00Z ', '31/03/2024 01:30', '2024-03-31T01:30:00', 'Z', '', null,
        '2024-13-01T00:00:00Z', '2024-10-27T01:30:00Z', '2024-10-27 01:30:00Z', '2024-07-01T12:00:00Z'];
      const formats = ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%SZ', '%d/%m/%Y %H:%M', '%Y-%m-%d %H:%M:%S%z'];
      await db.run('CREATE TABLE v (x VARCHAR)');
      await db.appendColumns('v', [values]);
      type Row = { x: string | null; fmt: string; tz: string; ours: string | null; oracle: string | null };
      const rows: Row[] = [];
      // strptime takes its format as a constant, as the staging models pass it: one query per format and zone.
      for (const fmt of formats) {
        for (const tz of ['UTC', 'Europe/London']) {
          const sql = `SELECT x, $fmt AS fmt, $tz AS tz, CAST(cra_ts(x, $fmt, $tz) AS VARCHAR) AS ours,
                              CAST(${TS_WITHOUT_SHORTCUT.replaceAll('fmt', '$fmt').replaceAll('tz', '$tz')} AS VARCHAR) AS oracle FROM v`;
          rows.push(...(await db.all<Row>(sql, { fmt, tz })));
        }
      }
      expect(rows).toHaveLength(values.length * formats.length * 2);
      expect(rows.filter((r) => r.ours !== r.oracle)).toEqual([]);
      // The shortcut's own case, read as UTC whatever the pipeline's zone.
      const iso = rows.find((r) => r.x === '2024-07-01T12:00:00Z' && r.tz === 'Europe/London' && r.fmt === '%Y-%m-%d %H:%M:%S');
      expect(iso?.ours).toBe('2024-07-01 12:00:00');
    } finally {
      db.close();
    }
  });
});
