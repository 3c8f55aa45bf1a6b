/**
 * Who a synthetic person is: archetype, name, contact details, ids in each system, consent flags and the
 * planted anomaly. Everything is a function of (seed, person index) only — the per-person stream is
 * `createRng(deriveSeed(seed, index))` — so persons can be generated in any order or in parallel blocks and
 * the output is still byte-identical. Ids that must be unique (emails, phones, shop/CRM ids, visitor
 * cookies) embed a bijection of the index instead of relying on luck.
 */
import { createRng, deriveSeed, type Rng } from '../analytics/random.js';
import { CITIES, DOMAINS, FIRST_NAMES, LAST_NAMES, asciiSlug, pickCumulative, zipfCumulative } from './names.js';
import { personPhoneDigits } from './phones.js';

export type Archetype = 'champion' | 'loyal' | 'bargain' | 'one_time' | 'new' | 'prospect';
export type AnomalyKind = 'spend_collapse' | 'return_spike' | 'service_escalation' | 'order_value_outlier';

/** Buyer archetypes and their shares among buyers; prospects (no order) are `PROSPECT_SHARE` of persons. */
export const ARCHETYPE_SHARES: readonly [Archetype, number][] = [
  ['champion', 0.15], ['loyal', 0.25], ['bargain', 0.2], ['one_time', 0.25], ['new', 0.15],
];
export const PROSPECT_SHARE = 0.1;
export const ANOMALY_KINDS: readonly AnomalyKind[] = ['spend_collapse', 'return_spike', 'service_escalation', 'order_value_outlier'];
/** Every LOOKALIKE_EVERY-th person is a namesake (same first, last name and city) of the person before. */
export const LOOKALIKE_EVERY = 250;
export const ANOMALY_EVERY = 60;

export interface Profile {
  index: number;
  personId: string;
  archetype: Archetype;
  first: string;
  last: string;
  city: string;
  postcode: string;
  email: string;
  phoneDigits: string;
  inCrm: boolean;
  crmRef: string;
  crmHasEmail: boolean;
  crmHasPhone: boolean;
  hasShopAccount: boolean;
  shopId: string;
  emailOptOut: boolean;
  consent: '' | 'yes' | 'no';
  profilingOptOut: boolean;
  onEmailList: boolean;
  visitors: string[];
  anomaly: AnomalyKind | null;
  /** Index of the namesake this person copies, or -1. */
  twinOf: number;
}

const FIRST_CUM = zipfCumulative(FIRST_NAMES.length);
const LAST_CUM = zipfCumulative(LAST_NAMES.length);
const CITY_CUM = (() => {
  const cum = new Float64Array(CITIES.length);
  let t = 0;
  CITIES.forEach((c, i) => {
    t += c.weight;
    cum[i] = t;
  });
  return cum;
})();
const DOMAIN_CUM = zipfCumulative(DOMAINS.length);
const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Zero-padded id with at least 7 digits. */
export function pad7(n: number): string {
  return String(n).padStart(7, '0');
}

/** Affine bijection on [0, 10^7): CRM and shop numbers look unrelated to each other and to the index. */
function idNumber(index: number, mult: number, add: number): number {
  return ((index * mult + add) % 10_000_000) + 1;
}

interface NameCity {
  first: string;
  last: string;
  cityIdx: number;
}

function drawNameCity(rng: Rng): NameCity {
  const first = FIRST_NAMES[pickCumulative(FIRST_CUM, rng.next())] ?? 'John';
  const last = LAST_NAMES[pickCumulative(LAST_CUM, rng.next())] ?? 'Smith';
  return { first, last, cityIdx: pickCumulative(CITY_CUM, rng.next()) };
}

function pickArchetype(u: number): Archetype {
  if (u < PROSPECT_SHARE) return 'prospect';
  let acc = PROSPECT_SHARE;
  for (const [name, share] of ARCHETYPE_SHARES) {
    acc += share * (1 - PROSPECT_SHARE);
    if (u < acc) return name;
  }
  return 'new';
}

export function buildProfile(seed: number, index: number): Profile {
  const rng = createRng(deriveSeed(seed, index));
  const archetype = pickArchetype(rng.next());
  const own = drawNameCity(rng);
  const isTwin = index % LOOKALIKE_EVERY === LOOKALIKE_EVERY - 1;
  const inPair = isTwin || index % LOOKALIKE_EVERY === LOOKALIKE_EVERY - 2;
  // The namesake's name and city come from re-drawing that person's own stream, not from shared state.
  const nc = isTwin ? drawNameCity(skipToName(createRng(deriveSeed(seed, index - 1)))) : own;
  const city = CITIES[nc.cityIdx] ?? CITIES[0]!;
  const postcode = `${rng.pick(city.outward)} ${1 + rng.int(9)}${LETTERS[rng.int(20)]}${LETTERS[rng.int(20)]}`;
  const f = asciiSlug(nc.first);
  const l = asciiSlug(nc.last);
  const n = index + 1;
  const local = [`${f}.${l}${n}`, `${f[0] ?? 'x'}${l}${n}`, `${f}_${l}${n}`, `${l}.${f}${n}`][rng.int(4)];
  const email = `${local}@${DOMAINS[pickCumulative(DOMAIN_CUM, rng.next())]}`;
  const buyer = archetype !== 'prospect';
  const inCrm = inPair || rng.chance(archetype === 'prospect' ? 0.9 : 0.84);
  const steady = archetype === 'champion' || archetype === 'loyal' || archetype === 'bargain';
  const emailOptOut = rng.chance(0.08);
  const cu = rng.next();
  const consent: Profile['consent'] = cu < 0.6 ? 'yes' : cu < 0.7 ? 'no' : '';
  // The marketing list: CRM contacts who opted in, plus some newsletter sign-ups the CRM never got.
  const onEmailList = inCrm ? !emailOptOut && consent === 'yes' && rng.chance(steady ? 0.7 : 0.15) : rng.chance(0.1);
  const visitors = [visitorId(index, 0)];
  if (rng.chance(0.4)) visitors.push(visitorId(index, 1));
  // Every 60th person, if a steady buyer, gets an anomaly, the kinds taking turns so that even a small sample
  // has each; a bargain hunter's orders are already tiny, so they get a return spike instead of a collapse.
  let kind = Math.floor(index / ANOMALY_EVERY) % ANOMALY_KINDS.length;
  if (archetype === 'bargain' && kind === 0) kind = 1;
  const anomaly = steady && index % ANOMALY_EVERY === 17 ? (ANOMALY_KINDS[kind] ?? null) : null;
  const phoneDigits = personPhoneDigits(index, rng.chance(0.6));
  // Namesakes keep both contact details in the CRM: that is what makes them a trap for name matching. A row
  // never lacks both (it would share nothing with the person's other records), and a prospect's row keeps
  // the email, the one thing a prospect's other records (list mail, sign-in sessions) can carry.
  const crmHasEmail = !rng.chance(0.04) || inPair || !buyer;
  const crmHasPhone = !rng.chance(0.08) || inPair || !crmHasEmail;
  return {
    index,
    personId: `P${pad7(n)}`,
    archetype,
    first: nc.first,
    last: nc.last,
    city: city.name,
    postcode,
    email,
    phoneDigits,
    inCrm,
    crmRef: `C${pad7(idNumber(index, 3_000_017, 4_321))}`,
    crmHasEmail,
    crmHasPhone,
    hasShopAccount: rng.chance(buyer ? 0.9 : 0.3),
    shopId: `S${pad7(idNumber(index, 7_000_003, 98_765))}`,
    emailOptOut,
    consent,
    profilingOptOut: rng.chance(0.02),
    onEmailList,
    visitors,
    anomaly,
    twinOf: isTwin ? index - 1 : -1,
  };
}

/** Advances a fresh person stream past the archetype draw, to where the name is drawn. */
function skipToName(rng: Rng): Rng {
  rng.next();
  return rng;
}

/** Cookie id: 'v' + 8 hex digits of an odd-multiplier bijection on 32 bits (unique for 2^31 persons). */
function visitorId(index: number, k: number): string {
  const x = (Math.imul(index * 2 + k, 0x2c1b3c6d) + 0x1234567) >>> 0;
  return `v${x.toString(16).padStart(8, '0')}`;
}
