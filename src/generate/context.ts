/**
 * What every channel writer shares: the run's fixed tables (calendar, catalogue, file ids, pre-quoted product
 * fields) and, per person, the identity collector that becomes truth_identities.csv. Identities are
 * de-duplicated per person only: the ids embed the person index, so two persons can never write the same
 * identity — except the deliberate junk identifiers, which are flagged and written once at the end.
 */
import type { Calendar } from './calendar.js';
import { buildCatalogue, csvField, ruleRates, type Catalogue, type RuleRates } from './catalogue.js';
import { buildFileSet, type BlockSink, type FileSet } from './files.js';

export interface GenContext {
  seed: number;
  customers: number;
  cal: Calendar;
  cat: Catalogue;
  rates: RuleRates;
  files: FileSet;
  sku: string[];
  description: string[];
  /** For each product: 0, or 1 + rule·3 + role (0 = A, 1 = B, 2 = C) when it is a planted rule item. */
  ruleRole: Int8Array;
}

export function buildContext(seed: number, customers: number, cal: Calendar): GenContext {
  const cat = buildCatalogue(seed, customers);
  const ruleRole = new Int8Array(cat.products.length);
  cat.rules.forEach((r, k) => {
    ruleRole[r.a] = 1 + 3 * k;
    ruleRole[r.b] = 2 + 3 * k;
    ruleRole[r.c] = 3 + 3 * k;
  });
  return {
    seed,
    customers,
    cal,
    cat,
    rates: ruleRates(5),
    files: buildFileSet(cal),
    sku: cat.products.map((p) => p.sku),
    description: cat.products.map((p) => csvField(p.name)),
    ruleRole,
  };
}

export type Source = 'crm' | 'shop' | 'web' | 'email' | 'calls';
export type IdType = 'customer_id' | 'email' | 'phone' | 'visitor_id';

/** Junk identifiers seen in this block: set by the channel that wrote them as an identity. */
export interface JunkSeen {
  shopEmail: boolean;
  callsPhone: boolean;
}

export class IdentityCollector {
  private readonly seen = new Set<string>();

  constructor(
    private readonly sink: BlockSink,
    private readonly file: number,
    private readonly personId: string,
  ) {}

  add(source: Source, idType: IdType, id: string): void {
    const key = `${source}\u0001${idType}\u0001${id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.sink.add(this.file, `${source},${idType},${id},${this.personId}\n`);
  }

  get count(): number {
    return this.seen.size;
  }
}
