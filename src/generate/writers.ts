/**
 * Appends block output to the ~80 files of a run. Each file has its own buffer of encoded chunks that is
 * flushed with one positional write once it passes ~1 MB, so memory stays bounded (≈ files × 1 MB) and a
 * 2 GB run makes a few thousand large writes rather than millions of small ones. Writes are synchronous:
 * the generator produces faster than it could usefully queue, and a blocking write is its backpressure.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
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
    const buf = list.length === 1 ? list[0]! : Buffer.concat(list);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fds[i]!, buf, off, buf.length - off);
    this.bytes[i]! += buf.length;
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
