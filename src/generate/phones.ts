/**
 * Unique, valid UK phone numbers per person and the messy ways systems print them. A number is a bijection
 * of the person index (an affine map modulo 10^7 with a multiplier coprime to 10), so no two persons share a
 * number without any global bookkeeping, and the ranges used (London 020 7/020 8, mobiles 0792–0799) are
 * ones libphonenumber-js accepts for GB. The shop's own switchboard number is reserved and never assigned.
 */

/** The shop's switchboard; appears as the caller number of calls put through by staff for many persons. */
export const SHOP_NUMBER = '020 7946 0000';
const SHOP_DIGITS = '02079460000';

const MOD = 10_000_000;

/** Persons the number ranges can hold without reuse (landlines split 10^7 numbers over two areas). */
export const MAX_PERSONS = 10_000_000;

function scramble(k: number, mult: number, add: number): string {
  // mult is coprime to 10, so k → (k·mult + add) mod 10^7 is a bijection on [0, 10^7); k·mult < 2^53.
  return String((k * mult + add) % MOD).padStart(7, '0');
}

/** National digits ('07952123456' / '02079460958') of person `index`; `mobile` picks the range. */
export function personPhoneDigits(index: number, mobile: boolean): string {
  if (mobile) return `079${2 + (index % 8)}${scramble(Math.floor(index / 8), 7_654_321, 1_234_567)}`;
  const digits = `020${index % 2 === 0 ? 7 : 8}${scramble(Math.floor(index / 2), 3_141_593, 2_718_281)}`;
  // The switchboard is reserved: the one person who would get it moves to the 020 3 range.
  return digits === SHOP_DIGITS ? `0203${digits.slice(4)}` : digits;
}

/** The number written the way the CRM stores it. */
export function crmFormat(digits: string): string {
  return formatPhone(digits, 0);
}

export const PHONE_FORMATS = 6;

/**
 * One of six renderings of the same national number: spaced national, +44 spaced, 0044 compact, bracketed
 * area code (landline) / dashed (mobile), compact national, compact E.164.
 */
export function formatPhone(digits: string, style: number): string {
  const national = digits.slice(1);
  const mobile = digits.startsWith('07');
  switch (style) {
    case 0:
      return mobile ? `${digits.slice(0, 5)} ${digits.slice(5)}` : `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
    case 1:
      return mobile
        ? `+44 ${national.slice(0, 4)} ${national.slice(4)}`
        : `+44 ${national.slice(0, 2)} ${national.slice(2, 6)} ${national.slice(6)}`;
    case 2:
      return `0044${national}`;
    case 3:
      return mobile
        ? `${digits.slice(0, 5)}-${digits.slice(5, 8)}-${digits.slice(8)}`
        : `(${digits.slice(0, 3)}) ${digits.slice(3, 7)}-${digits.slice(7)}`;
    case 4:
      return digits;
    default:
      return `+44${national}`;
  }
}
