/**
 * Appends block output to the ~80 files of a run. Each file has its own buffer of encoded chunks that is
 * flushed with one gathered write (writev) once it passes ~1 MB, so memory stays bounded (≈ files × 1 MB) and a
 * 2 GB run makes a few thousand large writes rather than millions of small ones. Writes are synchronous:
 * the generator produces faster than it could usefully queue, and a blocking write is its backpressure.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeSync, writevSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeCp1252 } from './cp1252.js';
import type { FileSpec } from './files.js';

const FLUSH_BYTES = 1 << 20;

export function encode(text: string, encoding: FileSpec['encoding']): Buffer {
  return encoding === 'cp1252' ? encodeCp1252(text) : Buffer.from(text, 'utf8');
}

export class FileWriters {
  private readonly fds: number[];
  private readonly pending: Buffer[][];
  private readonly pendingBytes: number[];
  readonly bytes: number[];

  constructor(
    outDir: string,
    private readonly specs: readonly FileSpec[],
  ) {
    this.fds = specs.map((s) => {
      const path = join(outDir, s.path);
      mkdirSync(dirname(path), { recursive: true });
      return openSync(path, 'w');
    });
    this.pending = specs.map(() => []);
    this.pendingBytes = specs.map(() => 0);
    this.bytes = specs.map(() => 0);
    specs.forEach((s, i) => {
      if (s.header) this.append(i, encode(`${s.header}\n`, s.encoding));
    });
  }

  /** Appends already-encoded bytes to file `i`. */
  append(i: number, chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const list = this.pending[i]!;
    list.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.pendingBytes[i]! += chunk.length;
    if (this.pendingBytes[i]! >= FLUSH_BYTES) this.flush(i);
  }

  /** Appends text, encoding it as the file requires. */
  appendText(i: number, text: string): void {
    if (text) this.append(i, encode(text, this.specs[i]!.encoding));
  }

  private flush(i: number): void {
    const list = this.pending[i]!;
    if (list.length === 0) return;
    // One gathered write for the pending chunks (no concatenation copy); finish any short write piecewise.
    const total = this.pendingBytes[i]!;
    let written = writevSync(this.fds[i]!, list);
    for (const chunk of list) {
      if (written >= chunk.length) {
        written -= chunk.length;
        continue;
      }
      let off = written;
      while (off < chunk.length) off += writeSync(this.fds[i]!, chunk, off, chunk.length - off);
      written = 0;
    }
    this.bytes[i]! += total;
    this.pending[i] = [];
    this.pendingBytes[i] = 0;
  }

  close(): void {
    this.specs.forEach((_, i) => {
      this.flush(i);
      closeSync(this.fds[i]!);
    });
  }
}

/**
 * Removes monthly files a previous run into the same folder left behind (another --days or end date): the
 * pipeline reads each channel by glob, so a stale month would silently join the data. Only names matching
 * the generator's own patterns are touched.
 */
export function removeStaleMonthFiles(outDir: string, specs: readonly FileSpec[]): void {
  const keep = new Set(specs.map((s) => s.path));
  const patterns: [string, RegExp][] = [
    ['orders', /^orders_\d{4}-\d{2}\.csv$/],
    ['sessions', /^sessions_\d{4}-\d{2}\.ndjson$/],
    ['email', /^email_events_\d{4}-\d{2}\.csv$/],
  ];
  for (const [folder, re] of patterns) {
    const dir = join(outDir, folder);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (re.test(f) && !keep.has(`${folder}/${f}`)) rmSync(join(dir, f));
  }
}
