/**
 * Running totals behind truth.json, kept per block and merged in block order. Only counts and small lists
 * are held (never rows), so memory stays flat however many persons are generated; the lists (anomalies,
 * lookalike pairs) hold about 1 % of persons.
 */
import type { ChurnDriver } from './behaviour.js';

export interface ArchetypeAgg {
  persons: number;
  buyers: number;
  frequency: number;
  monetaryPence: number;
  recencyDays: number;
}

/** Active buyers at a cutoff day and who of them bought nothing in the next 90 days, split by signal. */
export interface ChurnWindowAgg {
  cutoffDay: number;
  active: number;
  churned: number;
  /** [active, churned] among repeat buyers (≥ 2 orders by the cutoff); the signal splits below are among them. */
  repeat: [number, number];
  /** [active, churned] with a complaint call in the 90 days before the cutoff. */
  complained: [number, number];
  /** [active, churned] with fewer opens + clicks in the last 90 days than in the 90 before. */
  disengaged: [number, number];
  /** [active, churned] with neither signal. */
  quiet: [number, number];
}

export interface AnomalyTruth {
  person_id: string;
  kind: string;
  description: string;
}

export interface BlockAgg {
  persons: number;
  archetypes: Record<string, ArchetypeAgg>;
  churn: ChurnWindowAgg[];
  drivers: Record<ChurnDriver, number>;
  orders: number;
  saleOrders: number;
  guestOrders: number;
  /** Per rule: sale orders (written, non-rejected lines) containing A∧B, C, and A∧B∧C. */
  rules: [number, number, number][];
  anomalies: AnomalyTruth[];
  lookalikes: [string, string][];
  identities: number;
  junkEmailRows: number;
  junkEmailPersons: number;
  junkEmailIdentity: boolean;
  shopNumberRows: number;
  shopNumberPersons: number;
  shopNumberIdentity: boolean;
}

export function emptyAgg(cutoffs: number[], rules: number): BlockAgg {
  const arch = (): ArchetypeAgg => ({ persons: 0, buyers: 0, frequency: 0, monetaryPence: 0, recencyDays: 0 });
  return {
    persons: 0,
    archetypes: { champion: arch(), loyal: arch(), bargain: arch(), one_time: arch(), new: arch(), prospect: arch() },
    churn: cutoffs.map((cutoffDay) => ({ cutoffDay, active: 0, churned: 0, repeat: [0, 0], complained: [0, 0], disengaged: [0, 0], quiet: [0, 0] })),
    drivers: { complaints: 0, disengagement: 0, both: 0, none: 0 },
    orders: 0,
    saleOrders: 0,
    guestOrders: 0,
    rules: Array.from({ length: rules }, () => [0, 0, 0] as [number, number, number]),
    anomalies: [],
    lookalikes: [],
    identities: 0,
    junkEmailRows: 0,
    junkEmailPersons: 0,
    junkEmailIdentity: false,
    shopNumberRows: 0,
    shopNumberPersons: 0,
    shopNumberIdentity: false,
  };
}

/** Adds `b` into `a` (in block order, so floating-point sums are reproducible). */
export function mergeAgg(a: BlockAgg, b: BlockAgg): void {
  a.persons += b.persons;
  for (const [k, v] of Object.entries(b.archetypes)) {
    const t = a.archetypes[k];
    if (!t) continue;
    t.persons += v.persons;
    t.buyers += v.buyers;
    t.frequency += v.frequency;
    t.monetaryPence += v.monetaryPence;
    t.recencyDays += v.recencyDays;
  }
  b.churn.forEach((w, i) => {
    const t = a.churn[i];
    if (!t) return;
    t.active += w.active;
    t.churned += w.churned;
    for (const key of ['repeat', 'complained', 'disengaged', 'quiet'] as const) {
      t[key][0] += w[key][0];
      t[key][1] += w[key][1];
    }
  });
  for (const k of Object.keys(a.drivers) as ChurnDriver[]) a.drivers[k] += b.drivers[k];
  a.orders += b.orders;
  a.saleOrders += b.saleOrders;
  a.guestOrders += b.guestOrders;
  b.rules.forEach((r, i) => {
    const t = a.rules[i];
    if (t) for (let j = 0; j < 3; j++) t[j]! += r[j]!;
  });
  a.anomalies.push(...b.anomalies);
  a.lookalikes.push(...b.lookalikes);
  a.identities += b.identities;
  a.junkEmailRows += b.junkEmailRows;
  a.junkEmailPersons += b.junkEmailPersons;
  a.junkEmailIdentity ||= b.junkEmailIdentity;
  a.shopNumberRows += b.shopNumberRows;
  a.shopNumberPersons += b.shopNumberPersons;
  a.shopNumberIdentity ||= b.shopNumberIdentity;
}
