/**
 * What every channel writer shares: the run's fixed tables (calendar, catalogue, file ids, pre-quoted product
 * fields) and, per person, the identity collector that becomes truth_identities.csv. Identities are
 * de-duplicated per person only: the ids embed the person index, so two persons can never write the same
 * identity — except the deliberate junk identifiers, which are flagged and written once at the end.
 */
import { fmtMoney, type Calendar } from './calendar.js';
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
  /** List price per product, in pence and as written. */
  listPence: Int32Array;
  listPrice: string[];
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
    listPence: Int32Array.from(cat.products, (p) => p.pricePence),
    listPrice: cat.products.map((p) => fmtMoney(p.pricePence)),
    ruleRole,
  };
}

/** The (source, id_type) pairs a person's identities can have; `ID_PREFIX` is their CSV prefix. */
export const ID = { crmCustomer: 0, shopCustomer: 1, shopEmail: 2, webCustomer: 3, webVisitor: 4, email: 5, callsPhone: 6, webEmail: 7 } as const;
export type IdKind = (typeof ID)[keyof typeof ID];
const ID_PREFIX = [
  'crm,customer_id,', 'shop,customer_id,', 'shop,email,', 'web,customer_id,', 'web,visitor_id,', 'email,email,', 'calls,phone,', 'web,email,',
];

export class IdentityCollector {
  // A person has a handful of ids per kind, so a linear scan of a tiny list beats hashing composite keys.
  private readonly lists: string[][] = ID_PREFIX.map(() => []);
  private n = 0;

  constructor(
    private readonly sink: BlockSink,
    private readonly file: number,
    private readonly personId: string,
  ) {}

  add(kind: IdKind, id: string): void {
    const list = this.lists[kind]!;
    for (let i = 0; i < list.length; i++) if (list[i] === id) return;
    list.push(id);
    this.n++;
    this.sink.add(this.file, `${ID_PREFIX[kind]}${id},${this.personId}\n`);
  }

  get count(): number {
    return this.n;
  }
}
