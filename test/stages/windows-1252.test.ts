import { describe, expect, it } from 'vitest';
import { decodeWindows1252 } from '../../src/stages/ingest/windows-1252.js';

describe('decodeWindows1252', () => {
  it('maps 0x80–0x9F by the WHATWG table (Node 20 TextDecoder does not) and the rest as Latin-1', () => {
    const bytes = Buffer.from([0x4f, 0x92, 0x42, 0x72, 0x69, 0x65, 0x6e, 0x20, 0x80, 0x35, 0x20, 0x93, 0x71, 0x94, 0xe9, 0xfc, 0x81]);
    expect(decodeWindows1252(bytes)).toBe('O’Brien €5 “q”éü\u0081');
  });

  it('decodes every byte to exactly one character', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = decodeWindows1252(all);
    expect(text.length).toBe(256);
    expect(text.charCodeAt(0x9f)).toBe(0x0178);
    expect(text.charCodeAt(0xff)).toBe(0xff);
  });
});
