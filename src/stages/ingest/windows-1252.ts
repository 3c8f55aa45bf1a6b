/**
 * Windows-1252 → text, by table. Node 20's TextDecoder('windows-1252') decodes bytes 0x80–0x9F as Latin-1 control
 * characters in one-shot mode since 20.18.3 (nodejs/node#60888) — `’` comes back as U+0092 — so cra does not depend
 * on it: bytes are read as Latin-1 (one char per byte, which is exact outside 0x80–0x9F) and that range is mapped by
 * the WHATWG table. Five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are undefined in Windows-1252 and stay as they are.
 */

const HIGH: readonly number[] = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

const C1 = /[\u0080-\u009f]/g;

export function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(C1, (ch) => String.fromCharCode(HIGH[ch.charCodeAt(0) - 0x80]!));
}
