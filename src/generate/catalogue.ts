/**
 * The product catalogue and the planted association rules. Products get a Zipf-like popularity so baskets
 * look like a real shop's (a few best sellers, a long tail). Three rules {A, B} → C are planted: the items
 * of a rule never come from the ordinary popularity draw, only from the basket planting in orders.ts, so the
 * rule's support, confidence and lift are controlled by four probabilities alone (see `ruleRates`).
 */
import { createRng, deriveSeed, type Rng } from '../analytics/random.js';

export interface Product {
  sku: string;
  name: string;
  category: string;
  costPence: number;
  pricePence: number;
}

export interface AffinityRule {
  a: number;
  b: number;
  c: number;
}

export interface Catalogue {
  products: Product[];
  rules: AffinityRule[];
  /** Cumulative popularity over `pool` (all non-rule products) and over `cheapPool` (the bargain hunters'). */
  cum: Float64Array;
  pool: Int32Array;
  cheapCum: Float64Array;
  cheapPool: Int32Array;
}

const CATEGORIES: readonly [string, number, readonly string[]][] = [
  ['Kitchen', 9, ['Mug', 'Teapot', 'Tea Towel', 'Chopping Board', 'Jug', 'Cake Tin', 'Apron', 'Egg Cups']],
  ['Home Decor', 16, ['Cushion', 'Vase', 'Mirror', 'Photo Frame', 'Candle Holder', 'Wall Clock', 'Throw']],
  ['Garden', 12, ['Planter', 'Watering Can', 'Bird Feeder', 'Trowel', 'Seed Tin', 'Gloves', 'Wind Chime']],
  ['Stationery', 3, ['Notebook', 'Pencil Set', 'Greeting Card', 'Wrapping Paper', 'Stickers', 'Journal']],
  ['Toys', 11, ['Jigsaw', 'Wooden Train', 'Skipping Rope', 'Spinning Top', 'Rag Doll', 'Kite']],
  ['Bath & Body', 6, ['Soap Bar', 'Bath Salts', 'Hand Cream', 'Sponge', 'Lip Balm', 'Wash Bag']],
  ['Lighting', 24, ['Table Lamp', 'Fairy Lights', 'Lantern', 'Night Light', 'Lampshade']],
  ['Textiles', 18, ['Blanket', 'Scarf', 'Tote Bag', 'Tablecloth', 'Napkins', 'Cushion Cover']],
  ['Gifts', 8, ['Gift Box', 'Keyring', 'Bookmark', 'Trinket Dish', 'Mini Hamper']],
  ['Party', 4, ['Bunting', 'Paper Cups', 'Balloons', 'Party Bags', 'Cake Candles', 'Napkin Pack']],
  ['Pets', 7, ['Dog Bowl', 'Cat Toy', 'Pet Bed', 'Lead', 'Treat Jar']],
  ['Outdoor', 28, ['Picnic Rug', 'Flask', 'Cool Bag', 'Deckchair', 'Hammock']],
];
const ADJECTIVES = ['Ceramic', 'Enamel', 'Vintage', 'Striped', 'Retro', 'Floral', 'Oak', 'Glass', 'Linen', 'Spotty',
  'Heart', 'Rustic', 'Nordic', 'Botanical', 'Gingham', 'Copper'];
const VARIANTS = ['Blue', 'Red', 'Set of 4', 'Large', 'Small', 'Pink', 'Green', 'Pack of 6'];

/** Number of products for a run: 169 for the default sample, growing mildly with the customer count. */
export function productCount(customers: number): number {
  return Math.max(169, Math.min(2000, Math.floor(customers / 500)));
}

function price(rng: Rng, base: number): number {
  const pounds = Math.max(0.5, base * Math.exp(0.5 * rng.normal()));
  const whole = Math.floor(pounds);
  return whole * 100 + (whole < 2 ? 49 : rng.chance(0.7) ? 99 : 49);
}

export function buildCatalogue(seed: number, customers: number): Catalogue {
  const rng = createRng(deriveSeed(seed, 0x0ca7a106, 1));
  const n = productCount(customers);
  const products: Product[] = [];
  for (let i = 0; i < n; i++) {
    const [category, base, nouns] = CATEGORIES[i % CATEGORIES.length] ?? CATEGORIES[0]!;
    let name = `${rng.pick(ADJECTIVES)} ${rng.pick(nouns)}`;
    if (rng.chance(0.3)) name += `, ${rng.pick(VARIANTS)}`;
    const pricePence = price(rng, base);
    const costPence = Math.round(pricePence * (0.35 + 0.3 * rng.next()));
    const sku = String(10000 + i * 7) + (i % 5 === 0 ? 'A' : i % 11 === 0 ? 'B' : '');
    products.push({ sku, name, category, costPence, pricePence });
  }
  // Rule items: nine cheap products, so a planted item costs about what a bargain hunter's basket does and
  // the rules do not shift anyone's spend.
  const picks = products.flatMap((p, i) => (p.pricePence <= 600 ? [i] : [])).slice(0, 9);
  if (picks.length < 9) throw new Error('catalogue has too few cheap products for the planted rules');
  const rules: AffinityRule[] = [0, 1, 2].map((k) => ({ a: picks[3 * k]!, b: picks[3 * k + 1]!, c: picks[3 * k + 2]! }));
  const inRule = new Set(rules.flatMap((r) => [r.a, r.b, r.c]));
  // Popularity rank is a seeded shuffle of the catalogue, weight 1/(rank + 5)^0.9.
  const rank = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rank[i], rank[j]] = [rank[j]!, rank[i]!];
  }
  const weight = (i: number): number => 1 / Math.pow((rank[i] ?? 0) + 5, 0.9);
  const pool = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => !inRule.has(i)));
  const cheapPool = pool.filter((i) => (products[i]?.pricePence ?? 0) <= 600);
  const cumOf = (ids: Int32Array): Float64Array => {
    const cum = new Float64Array(ids.length);
    let total = 0;
    ids.forEach((id, k) => {
      total += weight(id);
      cum[k] = total;
    });
    return cum;
  };
  return { products, rules, cum: cumOf(pool), pool, cheapCum: cumOf(cheapPool), cheapPool };
}

/** Planting probabilities per sale order, solved so that the rule's lift is `lift` in expectation. */
export interface RuleRates {
  pair: number;
  single: number;
  consequent: number;
  base: number;
}

export function ruleRates(lift = 5): RuleRates {
  const pair = 0.012;
  const single = 0.01;
  const consequent = 0.6;
  // P(A∧B) = x; conf = c + (1−c)·base; P(C) = base + x·c·(1−base); lift = conf / P(C), solved for base.
  const x = pair + (1 - pair) * single * single;
  const base = (consequent * (1 - lift * x)) / (lift * (1 - x * consequent) - 1 + consequent);
  return { pair, single, consequent, base };
}

export function productsCsv(cat: Catalogue): string {
  let out = 'sku,product_name,category,unit_cost,list_price\n';
  for (const p of cat.products) {
    out += `${p.sku},${csvField(p.name)},${csvField(p.category)},${money(p.costPence)},${money(p.pricePence)}\n`;
  }
  return out;
}

function money(p: number): string {
  return `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
}

/** RFC 4180 quoting, only when needed. */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
