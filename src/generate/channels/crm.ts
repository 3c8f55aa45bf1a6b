/**
 * The CRM export: one row per person the CRM knows (about 85 %), keyed by the CRM's own customer_ref. Some
 * rows lack the phone or the email, the country is spelt three ways, and the consent columns use three
 * different vocabularies (Y/N, yes/no/empty, true/false) as merged systems do. A row never lacks both, and
 * it has the phone whenever the person called from it (`calledFromOwnNumber`): agents save the number.
 */
import type { Rng } from '../../analytics/random.js';
import type { Calendar } from '../calendar.js';
import { formatPhone } from '../phones.js';
import type { Profile } from '../profile.js';

export function crmRow(cal: Calendar, rng: Rng, p: Profile, signupDay: number, calledFromOwnNumber: boolean): string {
  const phone = p.crmHasPhone || calledFromOwnNumber ? formatPhone(p.phoneDigits, rng.chance(0.7) ? 0 : 1) : '';
  const email = p.crmHasEmail ? p.email : '';
  const u = rng.next();
  const country = u < 0.8 ? 'GB' : u < 0.9 ? 'UK' : 'United Kingdom';
  const signup = cal.isoFrom(signupDay);
  return `${p.crmRef},${email},${phone},${p.first},${p.last},${p.postcode},${p.city},${country},${signup},${
    p.emailOptOut ? 'Y' : 'N'},${p.consent},${p.profilingOptOut ? 'true' : 'false'}\n`;
}
