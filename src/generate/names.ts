/**
 * Name, place and mail-domain pools for synthetic persons. Common names come first and are drawn more often
 * (a Zipf-like weight), so "John Smith in London" happens by chance as it does in real CRMs; a few accented
 * names and an O’Brien with a typographic apostrophe make the windows-1252 call log exercise bytes 0x80–0xFF.
 * Every character here is encodable in windows-1252.
 */

export const FIRST_NAMES: readonly string[] = [
  'John', 'Sarah', 'David', 'Emma', 'James', 'Olivia', 'Michael', 'Sophie', 'Daniel', 'Emily', 'Thomas', 'Jessica',
  'Paul', 'Lucy', 'Mark', 'Hannah', 'Andrew', 'Charlotte', 'Peter', 'Laura', 'Richard', 'Rachel', 'Chris', 'Amy',
  'Matthew', 'Katie', 'Robert', 'Rebecca', 'Steven', 'Jane', 'Adam', 'Claire', 'Simon', 'Helen', 'Ben', 'Grace',
  'Oliver', 'Amelia', 'Harry', 'Isla', 'Jack', 'Ava', 'George', 'Mia', 'Noah', 'Ella', 'Leo', 'Freya', 'Oscar',
  'Ruby', 'Arthur', 'Poppy', 'Henry', 'Evie', 'Alfie', 'Lily', 'Theo', 'Rosie', 'Samuel', 'Alice', 'Joseph',
  'Florence', 'Aaron', 'Imogen', 'Mohammed', 'Aisha', 'Priya', 'Ravi', 'Fatima', 'Omar', 'Mei', 'Wei',
  'José', 'Zoë', 'Siân', 'Renée', 'Chloé', 'Anaïs', 'Noël', 'Björn', 'Inés', 'Dónal', 'Áine', 'François',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson',
  'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Lewis',
  'James', 'Phillips', 'Mason', 'Mitchell', 'Rose', 'Davis', 'Rodriguez', 'Cox', 'Alexander', 'Garden', 'Campbell',
  'Johnston', 'Moore', 'Smyth', 'Doe', 'Hughes', 'Edwards', 'Hill', 'Moran', 'Turner', 'Parker', 'Collins',
  'Harris', 'Martin', 'Cooper', 'King', 'Lee', 'Baker', 'Harrison', 'Morgan', 'Allen', 'Young', 'Scott', 'Bell',
  'Watson', 'Murray', 'Kelly', 'Price', 'Bennett', 'Gray', 'Ward', 'Shaw', 'Fletcher', 'Chapman', 'Reid', 'Ali',
  'Ahmed', 'Singh', 'Chen', 'Nguyen', 'Kowalski', 'Novak', 'Fraser', 'Stewart', 'Hussain', 'Begum', 'Sharma',
  'O’Brien', 'O’Neill', 'D’Arcy', 'Müller', 'Núñez', 'García', 'Brontë', 'Gonçalves', 'Ní Bhriain', 'Ødegaard',
];

export interface City {
  name: string;
  /** Outward codes a postcode in the city may start with. */
  outward: readonly string[];
  weight: number;
}

export const CITIES: readonly City[] = [
  { name: 'London', outward: ['E1', 'N1', 'SE1', 'SW1A', 'SW11', 'NW3', 'W2', 'EC1V', 'E14', 'N16'], weight: 30 },
  { name: 'Manchester', outward: ['M1', 'M4', 'M14', 'M20'], weight: 9 },
  { name: 'Birmingham', outward: ['B1', 'B5', 'B15', 'B29'], weight: 9 },
  { name: 'Leeds', outward: ['LS1', 'LS6', 'LS11'], weight: 6 },
  { name: 'Glasgow', outward: ['G1', 'G3', 'G12'], weight: 6 },
  { name: 'Bristol', outward: ['BS1', 'BS6', 'BS8'], weight: 5 },
  { name: 'Liverpool', outward: ['L1', 'L8', 'L17'], weight: 5 },
  { name: 'Edinburgh', outward: ['EH1', 'EH3', 'EH9'], weight: 5 },
  { name: 'Cardiff', outward: ['CF10', 'CF11', 'CF24'], weight: 4 },
  { name: 'Sheffield', outward: ['S1', 'S10', 'S11'], weight: 4 },
  { name: 'Newcastle upon Tyne', outward: ['NE1', 'NE2', 'NE6'], weight: 4 },
  { name: 'Nottingham', outward: ['NG1', 'NG7'], weight: 4 },
  { name: 'Leicester', outward: ['LE1', 'LE2'], weight: 3 },
  { name: 'Brighton', outward: ['BN1', 'BN2'], weight: 3 },
  { name: 'Belfast', outward: ['BT1', 'BT7', 'BT9'], weight: 3 },
];

/** Mail domains, most common first. */
export const DOMAINS: readonly string[] = [
  'example.com', 'example.org', 'mail.example', 'example.net', 'post.example', 'inbox.example', 'shop.example',
];
/** Providers whose mailbox servers send delivery receipts (the platform logs 'Delivered' only for them). */
export const DELIVERY_RECEIPT_DOMAINS: readonly string[] = ['inbox.example'];

const ASCII_FOLD: Record<string, string> = { ø: 'o', Ø: 'o', ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe' };

const SLUGS = new Map<string, string>();

/** Lower-case ASCII letters only, as a mail provider would accept in a local part (names repeat: cached). */
export function asciiSlug(s: string): string {
  let slug = SLUGS.get(s);
  if (slug === undefined) {
    slug = slugOf(s);
    SLUGS.set(s, slug);
  }
  return slug;
}

function slugOf(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øØßæÆœŒ]/g, (c) => ASCII_FOLD[c] ?? '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Cumulative Zipf-like weights (1/(rank+3)) so common names dominate but every name occurs. */
export function zipfCumulative(n: number): Float64Array {
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 3);
    cum[i] = total;
  }
  return cum;
}

/** Index drawn from a cumulative weight table with one uniform number. */
export function pickCumulative(cum: Float64Array, u: number): number {
  const target = u * (cum[cum.length - 1] ?? 0);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
