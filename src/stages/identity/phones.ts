/**
 * Phone numbers to E.164 with libphonenumber-js (no hand-written phone rules). Each distinct raw value maps to one
 * result, which goes back to DuckDB as the small table phone_map(raw, e164); a value that does not parse to a valid
 * number maps to NULL and is counted as unusable for matching.
 *
 * Parsing is the identity stage's largest JavaScript cost: at 1M customers there are 2.5M distinct raw values (13 s
 * of CPU for 250k at 100k customers). Two things cut it without changing any result:
 *  - Values that differ only in layout are parsed once. libphonenumber-js (parse.js: parseInput, then
 *    parseIncompletePhoneNumber) cuts a value to the span from its first '+' or digit to its last digit, checks that
 *    the span is a viable number and carries no extension, and from then on reads only its digits and a leading '+'.
 *    For a value made of digits, spaces, '(', ')', '-' and '.', with at most a '+' in front and at least three digits,
 *    the span is viable, no extension pattern can match (each needs a letter, '#', ',' or ';'), and what is read is
 *    exactly its *layout key*: the digits, after that '+'. Such values are parsed through their key ("020 7946 0000"
 *    and "(020) 7946-0000" both as "02079460000"); any other value is parsed as it is. On the bench set this is 30%
 *    fewer parses. The key is computed in DuckDB (intermediate/int_phone_layout_key.sql), so only the distinct keys
 *    come to JS; a test holds that SQL to the rule above, written out in JS, and the keyed parse to the direct parse
 *    of every raw value.
 *  - The distinct inputs are parsed on limits.threads threads: the main thread takes one share and worker threads the
 *    others. The workers are inline scripts that load the same libphonenumber-js file, so the code runs alike from
 *    TypeScript sources and from dist/.
 *  - libphonenumber-js tests a number against its metadata's patterns through one helper, matchesEntirely, which
 *    builds a new RegExp from the pattern's text on every call: 64% of a parse's time in a CPU profile (24.4 µs per
 *    key on 200,000 keys of the 1M bench set). Every thread loads the library's CommonJS build and swaps that helper
 *    for one that compiles each pattern once (MEMOISE_SOURCE; the modules call it through its exports object, so
 *    they all get it): 11.1 against 32.0 µs per parse on a generated corpus, with the same results. The test puts
 *    the library's own helper back to answer the same inputs, and fails if a new version of the library moves the
 *    helper (the swap then does nothing, and parsing is only slower).
 *  - The public parsePhoneNumberFromString normalises its arguments and copies its options object twice (Babel's
 *    object spread) on every call before it reaches the parser (build/parse.js), and then turns the parser's
 *    ParseError into undefined: 20% of a parse in a CPU profile. Every thread calls that parser itself (PARSER_SOURCE)
 *    with one options object per default country, built as the public function builds it (the country dropped when
 *    the metadata does not know it, v2 on), and the same metadata file: 5.0 against 6.5 µs per key on 400,000 keys
 *    of the 1M bench set, and its 1.78M distinct keys in 5.0–5.4 s against 6.8–7.4 s on two threads, the same
 *    results. The test holds it to the public function over many countries and malformed inputs; where a version of
 *    the library keeps the parser elsewhere, the public function is used (the test runs that path too).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from '../../db/database.js';

const require = createRequire(import.meta.url);
const LIBRARY = require.resolve('libphonenumber-js');
/** The library's helper this module swaps (exported for the test, which puts the original back). */
const LIBRARY_DIR = path.dirname(require.resolve('libphonenumber-js/package.json'));
export const MATCHES_ENTIRELY = path.join(LIBRARY_DIR, 'build', 'helpers', 'matchesEntirely.js');

/**
 * Body of a function (load, helperPath) → boolean, run on the main thread and in each worker: replaces the helper's
 * export by a memoising one that answers exactly as it does ('^(?:' + pattern + ')$' tested on text || ''; no flags,
 * so a RegExp object keeps no state between tests), keeping the original as its `original` (the test's oracle).
 * False when the helper is not where this version keeps it.
 */
const MEMOISE_SOURCE = `
  let helper;
  try { helper = load(helperPath); } catch { return false; }
  if (!helper || typeof helper.default !== 'function') return false;
  if (helper.default.craMemoised) return true;
  const compiled = new Map();
  const memoised = (text, pattern) => {
    let re = compiled.get(pattern);
    if (re === undefined) {
      re = new RegExp('^(?:' + pattern + ')$');
      compiled.set(pattern, re);
    }
    return re.test(text || '');
  };
  memoised.craMemoised = true;
  memoised.original = helper.default;
  helper.default = memoised;
  return true;
`;

/** Whether this thread's libphonenumber-js compiles each pattern once (the test holds it true for the pinned version). */
export const phonePatternsMemoised: boolean = new Function('load', 'helperPath', MEMOISE_SOURCE)(require, MATCHES_ENTIRELY) as boolean;

/**
 * Body of a function (load, library, libraryDir) → (raw, defaultCountry) → E.164 or null, run on the main thread and
 * in each worker: the parser parsePhoneNumberFromString ends in, called as that function calls it (see the header),
 * or the public function itself when this version of the library keeps the parser elsewhere.
 */
const PARSER_SOURCE = `
  const viaPublic = () => {
    const { parsePhoneNumberFromString } = load(library);
    const toE164 = (raw, defaultCountry) => {
      const parsed = parsePhoneNumberFromString(raw, defaultCountry);
      return parsed && parsed.isValid() ? parsed.number : null;
    };
    toE164.direct = false;
    return toE164;
  };
  let parse, ParseError, isSupportedCountry, metadata;
  try {
    parse = load(libraryDir + '/build/parse.js').default;
    ParseError = load(libraryDir + '/build/ParseError.js').default;
    isSupportedCountry = load(libraryDir + '/build/metadata.js').isSupportedCountry;
    metadata = load(libraryDir + '/metadata.min.json');
  } catch {
    return viaPublic();
  }
  if (typeof parse !== 'function' || typeof ParseError !== 'function' || typeof isSupportedCountry !== 'function') return viaPublic();
  const optionsByCountry = new Map();
  const toE164 = (raw, defaultCountry) => {
    let options = optionsByCountry.get(defaultCountry);
    if (options === undefined) {
      options = { defaultCountry: defaultCountry && isSupportedCountry(defaultCountry, metadata) ? defaultCountry : undefined, v2: true };
      optionsByCountry.set(defaultCountry, options);
    }
    try {
      const parsed = parse(raw, options, metadata);
      return parsed && parsed.isValid() ? parsed.number : null;
    } catch (error) {
      if (error instanceof ParseError) return null;
      throw error;
    }
  };
  toE164.direct = true;
  return toE164;
`;

/** The parser PARSER_SOURCE builds from the library files under `libraryDir` (exported so the test can try a wrong one). */
export function phoneParser(libraryDir: string): ((raw: string, defaultCountry: string) => string | null) & { direct: boolean } {
  return new Function('load', 'library', 'libraryDir', PARSER_SOURCE)(require, LIBRARY, libraryDir) as ReturnType<typeof phoneParser>;
}

const parseToE164 = phoneParser(LIBRARY_DIR);
/** Whether this thread calls the library's parser itself (the test holds it true for the pinned version). */
export const phoneParserDirect: boolean = parseToE164.direct;

/** Below this many inputs a worker's start-up (loading libphonenumber-js) costs more than it saves. */
const PARALLEL_MIN_INPUTS = 20_000;

/** The E.164 form of a phone number as libphonenumber-js reads it with this default country, or null when not valid. */
export const toE164: (raw: string, defaultCountry: string) => string | null = parseToE164;

// The worker builds the same parser; the test of parseE164 compares it with toE164 on every input.
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
(function (load, helperPath) {${MEMOISE_SOURCE}})(require, workerData.helperPath);
const toE164 = (function (load, library, libraryDir) {${PARSER_SOURCE}})(require, workerData.library, workerData.libraryDir);
parentPort.postMessage(workerData.inputs.map((raw) => toE164(raw, workerData.defaultCountry)));
`;

function parseInWorker(inputs: string[], defaultCountry: string): Promise<(string | null)[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { inputs, defaultCountry, library: LIBRARY, libraryDir: LIBRARY_DIR, helperPath: MATCHES_ENTIRELY } });
    worker.once('message', (out: (string | null)[]) => resolve(out));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`phone parsing worker exited with code ${code} before answering`)));
  });
}

/** toE164 of every input, in order, on up to `threads` threads. */
export async function parseE164(inputs: string[], defaultCountry: string, threads = 1): Promise<(string | null)[]> {
  const parts = inputs.length >= PARALLEL_MIN_INPUTS ? Math.max(1, Math.floor(threads)) : 1;
  const size = Math.ceil(inputs.length / parts);
  // Workers take the later shares and start first; the main thread parses the first share meanwhile.
  const helpers = Array.from({ length: parts - 1 }, (_, w) => parseInWorker(inputs.slice((w + 1) * size, (w + 2) * size), defaultCountry));
  const own = inputs.slice(0, size).map((raw) => toE164(raw, defaultCountry));
  return own.concat(...(await Promise.all(helpers)));
}

/** Builds phone_map for every distinct raw phone of the identity nodes' values; returns [distinct, unusable]. */
export async function buildPhoneMap(db: Database, defaultCountry: string, threads = 1): Promise<{ distinct: number; unusable: number }> {
  return buildPhoneMapFrom(db, 'SELECT DISTINCT phone AS raw FROM int_node_values', defaultCountry, threads);
}

/** Builds the temp table phone_map(raw, e164) for the distinct `raw` values a query returns. */
export async function buildPhoneMapFrom(db: Database, distinctRawSql: string, defaultCountry: string, threads = 1): Promise<{ distinct: number; unusable: number }> {
  // Each raw value's parse input is its layout key, computed in DuckDB: only the distinct keys cross into JS (at 1M
  // customers 2.5M distinct raw values, 30% fewer keys), one array of strings, and come back with their E.164.
  await db.runFile('intermediate/int_phone_layout_key.sql');
  await db.run(`CREATE OR REPLACE TEMP TABLE phone_raw_keys AS
                  SELECT raw, cra_phone_layout_key(raw) AS layout_key FROM (${distinctRawSql}) WHERE raw IS NOT NULL`);
  const keys = (await db.textColumn('SELECT DISTINCT layout_key FROM phone_raw_keys')).filter((k): k is string => k !== null);
  const parsed = await parseE164(keys, defaultCountry, threads);
  await db.run('CREATE OR REPLACE TEMP TABLE phone_key_map (layout_key VARCHAR, e164 VARCHAR)');
  await db.appendColumns('phone_key_map', [keys, parsed]);
  await db.run(`CREATE OR REPLACE TEMP TABLE phone_map AS
                  SELECT r.raw, k.e164 FROM phone_raw_keys r JOIN phone_key_map k USING (layout_key);
                DROP TABLE phone_raw_keys; DROP TABLE phone_key_map;`);
  const [counts] = await db.all<{ raws: number; unusable: number }>('SELECT count(*) AS raws, count(*) FILTER (WHERE e164 IS NULL) AS unusable FROM phone_map');
  return { distinct: Number(counts?.raws ?? 0), unusable: Number(counts?.unusable ?? 0) };
}
