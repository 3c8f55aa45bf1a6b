/**
 * A windows-1252 encoder (Node has no encoder for it; and Node 20.18.3+ TextDecoder('windows-1252') wrongly
 * decodes 0x80–0x9F as Latin-1, nodejs/node#60888, so tests use the WHATWG table). windows-1252 equals Latin-1
 * except 0x80–0x9F, which hold typographic characters (’ “ ” € – …); those 27 are mapped by table and the
 * rest of U+0000–U+00FF pass through, so a string is rewritten to one-byte code units and handed to Buffer's
 * fast 'latin1' path. Characters windows-1252 cannot hold become '?', as Windows' own converters do.
 */

const HIGH: readonly [number, number][] = [
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
  // The five bytes windows-1252 leaves undefined map to the C1 controls of the same value (WHATWG index).
  [0x81, 0x81], [0x8d, 0x8d], [0x8f, 0x8f], [0x90, 0x90], [0x9d, 0x9d],
];

const TO_BYTE = new Map<number, string>(HIGH.map(([cp, byte]) => [cp, String.fromCharCode(byte)]));

// Code points that cannot pass straight through: everything above U+00FF, and the C1 controls U+0080–U+009F
// (whose byte values windows-1252 uses for other characters).
const NEEDS_MAPPING = /[\u{80}-\u{9f}\u{100}-\u{10ffff}]/gu;

/** The text rewritten so that each UTF-16 unit is the windows-1252 byte (ready for Buffer's 'latin1'). */
export function toLatin1Units(text: string): string {
  return text.replace(NEEDS_MAPPING, (ch) => TO_BYTE.get(ch.codePointAt(0) ?? 0) ?? '?');
}

export function encodeCp1252(text: string): Buffer {
  return Buffer.from(toLatin1Units(text), 'latin1');
}
