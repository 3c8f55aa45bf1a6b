/**
 * The phone map's two shortcuts change no result: a value parsed through its layout key gives what libphonenumber-js
 * gives for the value itself (on hand-picked edge cases, every print style of the generator, and 30,000 random strings
 * over the characters phone exports hold), and the parallel parse (main thread plus a worker) equals toE164 input by
 * input. Then phone_map itself, built from a DuckDB query with two threads, holds toE164 of every raw value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../../src/analytics/random.js';
import { Database } from '../../src/db/database.js';
import { formatPhone, PHONE_FORMATS, personPhoneDigits } from '../../src/generate/phones.js';
import { buildPhoneMapFrom, MATCHES_ENTIRELY, parseE164, phoneParser, phoneParserDirect, phonePatternsMemoised, toE164 } from '../../src/stages/identity/phones.js';

const LAYOUT_ONLY = /^\+?[0-9 ().-]*$/;

/** The layout-key rule (src/stages/identity/phones.ts's header) written out in JS: the oracle for the SQL macro. */
function layoutKey(raw: string): string {
  if (!LAYOUT_ONLY.test(raw)) return raw;
  const digits = raw.replace(/[^0-9]/g, '');
  if (digits.length < 3) return raw;
  return raw.startsWith('+') ? `+${digits}` : digits;
}

/** Random strings of up to 20 characters, mostly phone-like, sometimes with extension marks or letters. */
function randomRaws(count: number, seed: number): string[] {
  const rng = createRng(seed);
  const alphabet = ['0', '1', '2', '4', '7', '9', '0', '4', '4', ' ', '(', ')', '-', '.', '+', 'x', '#', ',', ';', 'e', '/'];
  return Array.from({ length: count }, () => {
    const prefix = rng.pick(['', '', '+', '+44', '0', '00', '(0', ' ']);
    let s = prefix;
    const len = rng.int(21);
    for (let i = 0; i < len; i++) s += rng.chance(0.6) ? String(rng.int(10)) : rng.pick(alphabet);
    return s;
  });
}

const EDGE_CASES = [
  '+44 20 7946 0958', '020 7946 0958', '00442079460958', '(020) 7946-0958', '+44 (0) 20 7946 0958', '+44 (0)20 7946 0958',
  '(+44) 20 7946 0958', ' +44 20 7946 0958', '+44 20 7946 0958.', '020 7946 0958 ext 12', '020 7946 0958 x12', '020-7946-0958#',
  '020 7946 0958 - 12#', '020 7946 0958,,12', '020 7946 0958;ext=12', 'tel:+44-20-7946-0958', '0800 FLOWERS', '+1 (212) 555-0100',
  '1 212 555 0100', '07700 900123', '+447700900123', '0', '12', '1.2', '..', '()', '+', '+1', '+12', '++44 20 7946 0958', '4 4',
  '020 7946 095', '00 44 20 7946 0958', '+44-20-7946-0958', '(07700) 900-123', '020.7946.0958', '',
];

describe('phone map', () => {
  it('parses a value through its layout key exactly as libphonenumber-js parses the value', () => {
    const generated: string[] = [];
    for (let p = 0; p < 400; p++) {
      const digits = personPhoneDigits(p * 7919, p % 3 !== 0);
      for (let style = 0; style < PHONE_FORMATS; style++) generated.push(formatPhone(digits, style));
    }
    const raws = [...EDGE_CASES, ...generated, ...randomRaws(30_000, 7)];
    let keyed = 0;
    for (const raw of raws) {
      const key = layoutKey(raw);
      if (key !== raw) keyed++;
      expect(toE164(key, 'GB'), JSON.stringify(raw)).toBe(toE164(raw, 'GB'));
    }
    // Both routes are well exercised, and the corpus holds valid numbers as well as invalid ones.
    expect(keyed).toBeGreaterThan(4000);
    expect(raws.length - keyed).toBeGreaterThan(4000);
    expect(raws.filter((r) => toE164(r, 'GB') !== null).length).toBeGreaterThan(2000);
    expect(layoutKey('(020) 7946-0958')).toBe('02079460958');
    expect(layoutKey('+44 20 7946 0958')).toBe('+442079460958');
    expect(layoutKey('020 7946 0958 x12')).toBe('020 7946 0958 x12');
    expect(layoutKey('(+44) 20 7946 0958')).toBe('(+44) 20 7946 0958');
  });

  it('compiles each of the library\'s patterns once, and answers as its own helper does', () => {
    // The helper phones.ts swaps, in the CommonJS build it loads: the same module instance, so the original can be
    // put back for the oracle's answers.
    const helper = createRequire(import.meta.url)(MATCHES_ENTIRELY) as {
      default: ((text: string, pattern: string) => boolean) & { craMemoised?: boolean; original?: (text: string, pattern: string) => boolean };
    };
    expect(phonePatternsMemoised).toBe(true);
    expect(helper.default.craMemoised).toBe(true);
    const generated: string[] = [];
    for (let p = 0; p < 300; p++) {
      const digits = personPhoneDigits(p * 104_729, p % 2 === 0);
      for (let style = 0; style < PHONE_FORMATS; style++) generated.push(formatPhone(digits, style));
    }
    const cases = [...EDGE_CASES, ...generated, ...randomRaws(20_000, 13)].flatMap((raw) => ['GB', 'US', 'DE', 'IN'].map((country) => [raw, country] as const));
    const answers = (): (string | null)[] => cases.map(([raw, country]) => toE164(raw, country));
    const memoised = helper.default;
    const fast = answers();
    helper.default = memoised.original!;
    let slow: (string | null)[];
    try {
      slow = answers();
    } finally {
      helper.default = memoised;
    }
    expect(fast).toEqual(slow);
    expect(fast.filter((e164) => e164 !== null).length).toBeGreaterThan(2000);
  });

  it('reads every input as the library\'s public parsePhoneNumberFromString does, whatever the default country', () => {
    // toE164 calls the parser the public function ends in; the oracle is the public function, through the same
    // CommonJS build (so with the same memoised helper).
    expect(phoneParserDirect).toBe(true);
    const { parsePhoneNumberFromString } = createRequire(import.meta.url)('libphonenumber-js') as typeof import('libphonenumber-js');
    const viaPublic = (raw: string, country: string): string | null => {
      const parsed = parsePhoneNumberFromString(raw, country as Parameters<typeof parsePhoneNumberFromString>[1]);
      return parsed && parsed.isValid() ? parsed.number : null;
    };
    const generated: string[] = [];
    for (let p = 0; p < 200; p++) {
      const digits = personPhoneDigits(p * 15_485_863, p % 2 === 1);
      for (let style = 0; style < PHONE_FORMATS; style++) generated.push(formatPhone(digits, style));
    }
    const malformed = ['9'.repeat(300), '+999 1234 5678', '+800 1234 5678', '+882 1234 5678', '１２３ ４５６ ７８９０', 'abc', ' ', '+0', '000'];
    const raws = [...EDGE_CASES, ...malformed, ...generated, ...randomRaws(10_000, 17)];
    // Supported countries with different national and international prefixes, unknown codes ('XX', 'ZZ', lower
    // case) that the public function drops, and none at all.
    const countries = ['GB', 'US', 'DE', 'IT', 'FR', 'IN', 'BR', 'JP', 'AU', 'RU', 'XX', 'ZZ', 'gb', ''];
    let valid = 0;
    for (const country of countries) {
      for (const raw of raws) {
        const expected = viaPublic(raw, country);
        if (expected !== null) valid++;
        expect(toE164(raw, country), `${JSON.stringify(raw)} in ${JSON.stringify(country)}`).toBe(expected);
      }
    }
    expect(valid).toBeGreaterThan(10_000);
    // A library that keeps its parser elsewhere: the public function answers, the same way.
    const fallback = phoneParser(path.join(os.tmpdir(), 'no-libphonenumber-here'));
    expect(fallback.direct).toBe(false);
    for (const raw of [...EDGE_CASES, ...malformed, ...generated.slice(0, 200)]) {
      for (const country of ['GB', 'US', 'XX', '']) expect(fallback(raw, country), `${JSON.stringify(raw)} in ${country}`).toBe(viaPublic(raw, country));
    }
  });

  it('parses in parallel to the same results, in order', async () => {
    const inputs = randomRaws(25_000, 11).concat(EDGE_CASES);
    const parallel = await parseE164(inputs, 'GB', 2);
    expect(parallel).toHaveLength(inputs.length);
    expect(parallel).toEqual(inputs.map((raw) => toE164(raw, 'GB')));
    expect(await parseE164(inputs.slice(0, 50), 'GB', 2)).toEqual(inputs.slice(0, 50).map((raw) => toE164(raw, 'GB')));
    expect(await parseE164([], 'GB', 2)).toEqual([]);
  });

  describe('phone_map from DuckDB', () => {
    let db: Database;
    beforeAll(async () => {
      db = await Database.open(':memory:');
    });
    afterAll(() => db.close());

    it('computes the layout key in SQL exactly as layoutKey does', async () => {
      const generated = Array.from({ length: 300 }, (_, p) => personPhoneDigits(p * 104_729, p % 2 === 0)).flatMap((digits) => Array.from({ length: PHONE_FORMATS }, (_, style) => formatPhone(digits, style)));
      const raws = [...new Set([...EDGE_CASES, ...generated, ...randomRaws(30_000, 17), '\u0660\u0661\u0662', '+٤٤ 20 7946', '020\n7946 0958'])];
      await db.runFile('intermediate/int_phone_layout_key.sql');
      await db.run('CREATE OR REPLACE TABLE key_inputs (raw VARCHAR)');
      await db.appendColumns('key_inputs', [raws]);
      const rows = await db.all<{ raw: string; key: string }>('SELECT raw, cra_phone_layout_key(raw) AS key FROM key_inputs');
      expect(rows).toHaveLength(raws.length);
      const differing = rows.filter((r) => r.key !== layoutKey(r.raw));
      expect(differing).toEqual([]);
      // Both branches are exercised.
      expect(rows.filter((r) => r.key !== r.raw).length).toBeGreaterThan(4000);
    });

    it('maps every distinct raw value to toE164 of it', async () => {
      const raws = [...new Set([...EDGE_CASES, ...randomRaws(30_000, 13)])];
      await db.run('CREATE TABLE raw_phones (raw VARCHAR)');
      await db.appendColumns('raw_phones', [raws]);
      const counts = await buildPhoneMapFrom(db, 'SELECT DISTINCT raw FROM raw_phones', 'GB', 2);
      const expected = new Map(raws.map((r) => [r, toE164(r, 'GB')]));
      expect(counts).toEqual({ distinct: raws.length, unusable: [...expected.values()].filter((e) => e === null).length });
      const rows = await db.all<{ raw: string; e164: string | null }>('SELECT raw, e164 FROM phone_map');
      expect(rows).toHaveLength(raws.length);
      for (const r of rows) expect(r.e164, r.raw).toBe(expected.get(r.raw));
    });
  });
});
