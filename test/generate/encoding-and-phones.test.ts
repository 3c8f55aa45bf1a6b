import { isValidPhoneNumber, parsePhoneNumber } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { encodeCp1252 } from '../../src/generate/cp1252.js';
import { PHONE_FORMATS, SHOP_NUMBER, formatPhone, personPhoneDigits } from '../../src/generate/phones.js';
import { FIRST_NAMES, LAST_NAMES } from '../../src/generate/names.js';
import { decodeCp1252 } from './read-back.js';

describe('encodeCp1252', () => {
  it('round-trips every byte through the WHATWG windows-1252 index', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = decodeCp1252(bytes);
    expect([...encodeCp1252(text)]).toEqual([...bytes]);
    expect(text.slice(0x80, 0xa0)).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ');
  });

  it('agrees with the platform TextDecoder where the platform decodes windows-1252 correctly', () => {
    const platform = new TextDecoder('windows-1252');
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    // Node 20.18.3+ decodes 0x80–0x9F as Latin-1 (nodejs/node#60888); outside that block it is right.
    const ok = platform.decode(Uint8Array.of(0x92)) === '\u2019';
    const from = ok ? 0 : 0xa0;
    expect(platform.decode(bytes.subarray(from))).toBe(decodeCp1252(bytes.subarray(from)));
  });

  it('maps the typographic apostrophe and accents to their single bytes and unknowns to "?"', () => {
    expect([...encodeCp1252('O’Brien')]).toEqual([0x4f, 0x92, 0x42, 0x72, 0x69, 0x65, 0x6e]);
    expect([...encodeCp1252('Zoë €')]).toEqual([0x5a, 0x6f, 0xeb, 0x20, 0x80]);
    expect(encodeCp1252('Łódź 😀').toString('latin1')).toBe('?ód? ?');
  });

  it('can encode every name the generator uses', () => {
    for (const name of [...FIRST_NAMES, ...LAST_NAMES]) expect(decodeCp1252(encodeCp1252(name))).toBe(name);
  });
});

describe('phones', () => {
  it('gives distinct persons distinct numbers', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(personPhoneDigits(i, i % 3 !== 0));
    // Same index in the other range too: mobile and landline ranges never collide.
    for (let i = 0; i < 50_000; i++) seen.add(personPhoneDigits(i, i % 3 === 0));
    expect(seen.size).toBe(250_000);
    expect(seen.has(SHOP_NUMBER.replace(/ /g, ''))).toBe(false);
  });

  it('prints valid GB numbers whose six formats all parse to the same number', () => {
    expect(isValidPhoneNumber(SHOP_NUMBER, 'GB')).toBe(true);
    for (let i = 0; i < 3000; i += 7) {
      for (const mobile of [true, false]) {
        const digits = personPhoneDigits(i * 3331, mobile);
        const e164 = parsePhoneNumber(digits, 'GB').number;
        for (let style = 0; style < PHONE_FORMATS; style++) {
          const shown = formatPhone(digits, style);
          expect(isValidPhoneNumber(shown, 'GB'), shown).toBe(true);
          expect(parsePhoneNumber(shown, 'GB').number).toBe(e164);
        }
      }
    }
    expect(formatPhone('02079460958', 1)).toBe('+44 20 7946 0958');
    expect(formatPhone('02079460958', 3)).toBe('(020) 7946-0958');
    expect(formatPhone('02079460958', 2)).toBe('00442079460958');
  });
});
