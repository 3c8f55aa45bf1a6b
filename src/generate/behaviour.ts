/**
 * A person's purchase history: a BG/NBD-like process (Poisson purchasing while alive, a geometric dropout
 * coin after each purchase) with Gamma spend (a person's mean spend is Gamma across persons, each order's
 * value Gamma around it). The coin is flipped only for established buyers late in the span: churned persons
 * then keep their archetype's frequency and spend (k-means still recovers the archetypes) while churn lands
 * in the windows the retention stage trains and validates on. A dropout gets a driver — complaints,
 * disengagement, both or none — whose signals are placed in the 90 days before the person stops buying.
 * Archetypes share one purchase rate, so recency (noisy for any Poisson buyer) does not separate them;
 * frequency comes from tenure (loyal buyers joined later) and spend from order size.
 */
import { createRng, deriveSeed, type Rng } from '../analytics/random.js';
import { buildBasket, type BasketStyle, type OrderLine } from './basket.js';
import { DAY } from './calendar.js';
import type { Catalogue, RuleRates } from './catalogue.js';
import { addCancelsAndReturns, plantAnomaly } from './anomalies.js';
import type { Archetype, Profile } from './profile.js';

export type ChurnDriver = 'complaints' | 'disengagement' | 'both' | 'none';

export interface Order {
  ts: number;
  kind: 'sale' | 'cancel' | 'return';
  lines: OrderLine[];
  guest: boolean;
}

export interface Behaviour {
  orders: Order[];
  /** Day (index) of the first sale, -1 for none. */
  firstDay: number;
  /** Day the person stops buying for good (fractional days), Infinity when they never do. */
  dropDay: number;
  driver: ChurnDriver;
  /** Complaint calls planted as churn signals or as a service escalation: [ts, long call, from the own phone]. */
  complaints: [number, boolean, boolean][];
  /** From this day on the person opens far fewer emails (Infinity: never). */
  disengageFrom: number;
  meanSpendPence: number;
}

export interface ArchetypeParams {
  /** Purchases per day while alive. */
  rate: number;
  /** Probability of dropping out after each purchase. */
  dropout: number;
  /** First purchase uniform in [from, to) days into the span; negative values count back from its end. */
  birth: [number, number];
  /** Mean order value (pence) across persons. */
  spendPence: number;
  style: BasketStyle;
}

export const PARAMS: Record<Exclude<Archetype, 'prospect'>, ArchetypeParams> = {
  champion: { rate: 1 / 42, dropout: 0.045, birth: [0, 36], spendPence: 80000, style: { lines: 1.5, cheap: false, heavyDiscount: false } },
  loyal: { rate: 1 / 42, dropout: 0.045, birth: [-230, -170], spendPence: 18000, style: { lines: 1.5, cheap: false, heavyDiscount: false } },
  bargain: { rate: 1 / 42, dropout: 0.045, birth: [0, 36], spendPence: 800, style: { lines: 1, cheap: true, heavyDiscount: true } },
  one_time: { rate: 0, dropout: 1, birth: [0, 0], spendPence: 4000, style: { lines: 1.5, cheap: false, heavyDiscount: false } },
  new: { rate: 1 / 20, dropout: 0.75, birth: [0, 0], spendPence: 5000, style: { lines: 1.5, cheap: false, heavyDiscount: false } },
};
/** The dropout coin is flipped only for purchases in the last DROPOUT_WINDOW days, where churn is observable. */
export const DROPOUT_WINDOW = 230;
/** Only established customers churn: a dropout needs this many purchases first. */
export const MIN_PURCHASES_BEFORE_DROPOUT = 3;
export const SPEND_SHAPE_PERSON = 25;
export const SPEND_SHAPE_ORDER = 6;
export const RATE_SPREAD = 0.1;
export const GUEST_SHARE = 0.05;
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.5, 3, 3.2, 3.4, 3.8, 3.6, 3.2, 3, 3, 3.2, 3.8, 4.5, 5, 4.6, 3.5, 2];
const HOUR_CUM = HOUR_WEIGHTS.reduce<number[]>((acc, w) => [...acc, (acc[acc.length - 1] ?? 0) + w], []);

/** Seconds into a day, busier in the evening. */
export function timeOfDay(rng: Rng): number {
  const u = rng.next() * (HOUR_CUM[23] ?? 1);
  let h = 0;
  while ((HOUR_CUM[h] ?? Infinity) <= u) h++;
  return h * 3600 + rng.int(3600);
}

/** What anomaly planting and returns need from the person's order factory. */
export interface OrderMaker {
  rng: Rng;
  b: Behaviour;
  nDays: number;
  /** A new sale on `day`, valued around the person's mean spend. */
  sale(day: number): Order;
  basket(valuePence: number, style: BasketStyle, plant: boolean): OrderLine[];
  style: BasketStyle;
}

export function simulateBehaviour(seed: number, p: Profile, nDays: number, cat: Catalogue, rates: RuleRates): Behaviour {
  const rng = createRng(deriveSeed(seed, p.index, 1));
  const b: Behaviour = { orders: [], firstDay: -1, dropDay: Infinity, driver: 'none', complaints: [], disengageFrom: Infinity, meanSpendPence: 0 };
  if (p.archetype === 'prospect') return b;
  const par = PARAMS[p.archetype];
  const m = rng.gamma(SPEND_SHAPE_PERSON, par.spendPence / SPEND_SHAPE_PERSON);
  b.meanSpendPence = m;
  const basket = (value: number, style: BasketStyle, plant: boolean): OrderLine[] => buildBasket(rng, cat, rates, value, style, plant);
  const sale = (day: number): Order => {
    const value = rng.gamma(SPEND_SHAPE_ORDER, m / SPEND_SHAPE_ORDER);
    const ts = Math.floor(day) * DAY + timeOfDay(rng);
    const o: Order = { ts, kind: 'sale', lines: basket(value, par.style, true), guest: rng.chance(GUEST_SHARE) };
    b.orders.push(o);
    return o;
  };
  const maker: OrderMaker = { rng, b, nDays, sale, basket, style: par.style };
  const forcedAlive = p.anomaly !== null;
  const days: number[] = [];
  if (p.archetype === 'one_time') days.push(rng.next() * (nDays - 300));
  else if (p.archetype === 'new') {
    const t = nDays - 60 + rng.next() * 60;
    days.push(t);
    const second = t + rng.exponential(par.rate);
    if (rng.chance(0.25) && second < nDays) days.push(second);
  } else {
    const rate = par.rate * Math.exp(RATE_SPREAD * rng.normal());
    const [b0, b1] = par.birth.map((d) => (d < 0 ? nDays + d : d)) as [number, number];
    let t = b0 + (b1 - b0) * rng.next();
    while (t < nDays) {
      days.push(t);
      if (!forcedAlive && days.length >= MIN_PURCHASES_BEFORE_DROPOUT && t >= nDays - DROPOUT_WINDOW && rng.chance(par.dropout)) {
        b.dropDay = t + Math.max(1, rng.exponential(rate));
        break;
      }
      t += rng.exponential(rate);
    }
  }
  for (const d of days) sale(d);
  b.firstDay = Math.floor(days[0] ?? -1);
  if (b.dropDay < Infinity) plantChurnSignals(rng, p, b);
  if (p.anomaly) {
    plantAnomaly(maker, p.anomaly);
    // Planting may add history before the first purchase.
    for (const o of b.orders) b.firstDay = Math.min(b.firstDay, Math.floor(o.ts / DAY));
  }
  addCancelsAndReturns(maker, p.anomaly === 'return_spike' ? nDays - 90 : Infinity);
  return b;
}

function plantChurnSignals(rng: Rng, p: Profile, b: Behaviour): void {
  const u = rng.next();
  // Disengagement needs an inbox to disengage from: only list members get it.
  b.driver = p.onEmailList
    ? u < 0.15 ? 'complaints' : u < 0.6 ? 'disengagement' : u < 0.85 ? 'both' : 'none'
    : u < 0.6 ? 'complaints' : 'none';
  const from = Math.max(b.firstDay, b.dropDay - 90);
  if (b.driver === 'complaints' || b.driver === 'both') {
    const k = 1 + rng.poisson(1);
    for (let i = 0; i < k; i++) b.complaints.push([Math.floor((from + rng.next() * (b.dropDay - from)) * DAY), rng.chance(0.2), false]);
  }
  if (b.driver === 'disengagement' || b.driver === 'both') b.disengageFrom = b.dropDay - 90;
}
