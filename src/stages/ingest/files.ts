/**
 * Finding and fingerprinting input files. A source's glob is expanded by DuckDB's own `glob()` (the path travels
 * as a parameter), each file gets size, mtime and sha256 for the incremental file manifest, and its encoding is
 * sniffed. DuckDB reads UTF-8 (with or without BOM) itself; Windows-1252, Latin-1 and UTF-16 files are transcoded
 * to UTF-8 into state_dir first, because DuckDB's latin-1 reader rejects bytes 0x80–0x9F (€, curly quotes).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TextDecoder } from 'node:util';
import { decodeWindows1252 } from './windows-1252.js';
import { ByteClasses } from './byte-classes.js';
import type { Database } from '../../db/database.js';
import { DataError } from '../../errors.js';

export interface InputFile {
  path: string;
  /** Path relative to the pipeline file, as reports and rejects show it. */
  display: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  /** The classes of bytes the file holds (byte-classes.ts), found as it was hashed. */
  byteClasses: number;
}

export type Encoding = 'utf-8' | 'latin-1' | 'windows-1252' | 'utf-16';

export async function expandGlob(db: Database, pattern: string): Promise<string[]> {
  const rows = await db.all<{ file: string }>('SELECT file FROM glob($pattern) ORDER BY file', { pattern });
  return rows.map((r) => r.file);
}

/**
 * A file as messages and the warehouse name it: its path relative to the pipeline file's folder. It is also the key
 * of the file manifest (ingest_files), so a project folder that moves, pipeline and data together, is not reloaded.
 */
export function displayPath(file: string, baseDir: string): string {
  return path.relative(baseDir, file);
}

export async function fingerprint(file: string, baseDir: string): Promise<InputFile> {
  const info = await stat(file);
  const display = displayPath(file, baseDir);
  const hash = createHash('sha256');
  const classes = new ByteClasses();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    classes.update(chunk as Buffer);
  }
  if (file.endsWith('.gz')) await checkGzip(file, display);
  return { path: file, display, size: info.size, mtimeMs: Math.floor(info.mtimeMs), sha256: hash.digest('hex'), byteClasses: classes.classes };
}

/** DuckDB reads a truncated gzip silently up to the cut; decompressing it whole first turns that into an error. */
async function checkGzip(file: string, display: string): Promise<void> {
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  try {
    await pipeline(createReadStream(file), createGunzip(), sink);
  } catch (error) {
    throw new DataError(`${display}: the gzip file is truncated or corrupt (${(error as Error).message}); re-export it or move it out of the source folder`, 'corrupt_file');
  }
}

/** UTF-16 by BOM; UTF-8 when the opening bytes decode strictly; otherwise Windows-1252 (a superset of Latin-1's text). */
export async function sniffEncoding(file: string): Promise<Encoding> {
  if (file.endsWith('.gz')) return 'utf-8';
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf-16';
    try {
      // Drop a possibly cut multi-byte sequence at the end of the sample.
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, bytesRead === buffer.length ? bytesRead - 4 : bytesRead));
      return 'utf-8';
    } catch {
      return 'windows-1252';
    }
  } finally {
    await handle.close();
  }
}

/** Streams a non-UTF-8 file (optionally gzipped) into a UTF-8 copy under `dir`; returns the copy's path. */
export async function transcodeToUtf8(file: InputFile, encoding: Exclude<Encoding, 'utf-8'>, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, `${file.sha256}.csv`);
  // UTF-16 through TextDecoder (streaming, so a code unit split across chunks is kept); Windows-1252 and Latin-1
  // (WHATWG treats the label latin-1 as windows-1252, which is what such exports mean) by our own table.
  let utf16: TextDecoder | undefined;
  const transcode = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (encoding !== 'utf-16') return done(null, decodeWindows1252(chunk));
      utf16 ??= new TextDecoder(chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-16le');
      done(null, utf16.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, utf16 ? utf16.decode() : '');
    },
  });
  try {
    if (file.path.endsWith('.gz')) await pipeline(createReadStream(file.path), createGunzip(), transcode, createWriteStream(target));
    else await pipeline(createReadStream(file.path), transcode, createWriteStream(target));
  } catch (error) {
    throw new DataError(`${file.display}: cannot read it as ${encoding}: ${(error as Error).message}; re-export the file or fix csv.encoding`, 'unreadable_file');
  }
  return target;
}
