/**
 * Turns an order's target value into order lines. The planted rule items are added first by their own
 * probabilities (so the rules' lift does not depend on anyone's spend), then ordinary products are drawn by
 * popularity and their quantities set so the basket lands near the target value, which keeps each
 * person's spend Gamma-distributed around their own mean as the Gamma-Gamma model assumes.
 */
import type { Rng } from '../analytics/random.js';
import type { Catalogue, RuleRates } from './catalogue.js';
import { pickCumulative } from './names.js';

export interface OrderLine {
  product: number;
  qty: number;
  pricePence: number;
  discountPence: number;
}

export interface BasketStyle {
  /** Mean number of ordinary lines. */
  lines: number;
  /** Draw from the cheap products only. */
  cheap: boolean;
  /** Bargain hunters take 20–40 % off every line; others get an occasional 10 %. */
  heavyDiscount: boolean;
}

function addLine(lines: OrderLine[], product: number, qty: number, pricePence: number, rng: Rng, style: BasketStyle): void {
  const gross = qty * pricePence;
  let discountPence = 0;
  if (style.heavyDiscount) discountPence = Math.round(gross * (0.2 + 0.2 * rng.next()));
  else if (rng.chance(0.08)) discountPence = Math.round(gross * 0.1);
  lines.push({ product, qty, pricePence, discountPence });
}

function addPlanted(lines: OrderLine[], cat: Catalogue, product: number, rng: Rng, style: BasketStyle): number {
  const price = cat.products[product]?.pricePence ?? 100;
  addLine(lines, product, 1, price, rng, style);
  return price;
}

/**
 * @param valuePence target gross value of the order
 * @param plant whether the association-rule planting applies (not for deliberately odd anomaly orders)
 */
export function buildBasket(
  rng: Rng,
  cat: Catalogue,
  rates: RuleRates,
  valuePence: number,
  style: BasketStyle,
  plant: boolean,
): OrderLine[] {
  const lines: OrderLine[] = [];
  let planted = 0;
  if (plant) {
    for (const rule of cat.rules) {
      let hasA = false;
      let hasB = false;
      if (rng.chance(rates.pair)) hasA = hasB = true;
      else {
        hasA = rng.chance(rates.single);
        hasB = rng.chance(rates.single);
      }
      const hasC = hasA && hasB ? rng.chance(rates.consequent) || rng.chance(rates.base) : rng.chance(rates.base);
      if (hasA) planted += addPlanted(lines, cat, rule.a, rng, style);
      if (hasB) planted += addPlanted(lines, cat, rule.b, rng, style);
      if (hasC) planted += addPlanted(lines, cat, rule.c, rng, style);
    }
  }
  const remaining = valuePence - planted;
  if (remaining <= 0 && lines.length > 0) return lines;
  // Planted items take the place of ordinary lines, so the rules do not make baskets bigger.
  const n = Math.max(lines.length > 0 ? 0 : 1, 1 + rng.poisson(style.lines - 1) - lines.length);
  if (n === 0) return lines;
  const perLine = Math.max(remaining, 1) / n;
  const cum = style.cheap ? cat.cheapCum : cat.cum;
  const pool = style.cheap ? cat.cheapPool : cat.pool;
  for (let k = 0; k < n; k++) {
    const product = pool[pickCumulative(cum, rng.next())] ?? 0;
    const price = cat.products[product]?.pricePence ?? 100;
    const qty = Math.max(1, Math.round(perLine / price));
    addLine(lines, product, qty, price, rng, style);
  }
  return lines;
}

/** Net value of lines as the pipeline computes revenue: quantity × unit price − discount. */
export function linesValue(lines: readonly OrderLine[]): number {
  let v = 0;
  for (const l of lines) v += l.qty * l.pricePence - l.discountPence;
  return v;
}
