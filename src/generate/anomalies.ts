/**
 * Edits of a person's order history that are not part of the purchase process: cancelled attempts, ordinary
 * returns, and the four planted anomalies (all within the last 90 days of the span, so a detector comparing
 * the recent window with the person's own history can find them). Anomaly persons never drop out, so an
 * anomaly is never confused with churn.
 */
import type { BasketStyle, OrderLine } from './basket.js';
import type { Order, OrderMaker } from './behaviour.js';
import { DAY } from './calendar.js';
import type { AnomalyKind } from './profile.js';

export const CANCEL_SHARE = 0.03;
export const RETURN_SHARE = 0.04;
const TINY: BasketStyle = { lines: 1, cheap: true, heavyDiscount: false };

export function plantAnomaly(mk: OrderMaker, kind: AnomalyKind): void {
  const { rng, b, nDays } = mk;
  const w0 = nDays - 90;
  const inWindow = (o: Order): boolean => o.kind === 'sale' && o.ts >= w0 * DAY;
  const ensure = (k: number, lastDay: number): void => {
    for (let have = b.orders.filter(inWindow).length; have < k; have++) mk.sale(w0 + rng.next() * (lastDay - w0));
  };
  // "Usual" needs a history: at least three identified orders in the half year before the window.
  const ensureHistory = (): void => {
    const before = (o: Order): boolean => o.kind === 'sale' && !o.guest && o.ts < w0 * DAY;
    for (let have = b.orders.filter(before).length; have < 3; have++) mk.sale(w0 - 180 + rng.next() * 180).guest = false;
  };
  switch (kind) {
    case 'spend_collapse':
      // Keeps ordering, but only single cheap items: spend falls to a few percent of the usual.
      ensureHistory();
      ensure(3, nDays - 1);
      for (const o of b.orders) if (inWindow(o)) o.lines = mk.basket(1, TINY, false);
      break;
    case 'return_spike':
      ensure(3, nDays - 1);
      break;
    case 'order_value_outlier': {
      ensureHistory();
      ensure(1, nDays - 1);
      const o = b.orders.find(inWindow);
      if (o) o.lines = mk.basket(20 * b.meanSpendPence, { ...mk.style, heavyDiscount: false }, false);
      break;
    }
    case 'service_escalation': {
      const k = 5 + rng.int(4);
      // An escalating caller rings from their own phone every time, so the calls can be tied to them.
      for (let i = 0; i < k; i++) b.complaints.push([Math.floor((nDays - 60 + rng.next() * 60) * DAY), rng.chance(0.4), true]);
      break;
    }
  }
  // The anomalous orders are placed logged in, so the anomaly is visible on the person.
  for (const o of b.orders) if (inWindow(o)) o.guest = false;
}

function refundLine(l: OrderLine, qty: number): OrderLine {
  // A refund gives back what was paid: the discounted unit price, no separate discount.
  const paidUnit = Math.round((l.qty * l.pricePence - l.discountPence) / l.qty);
  return { product: l.product, qty: -qty, pricePence: paidUnit, discountPence: 0 };
}

/**
 * Adds a cancelled attempt before some sales and a later return after others. From `spikeFrom` (day) on,
 * every sale is returned in full (the return_spike anomaly).
 */
export function addCancelsAndReturns(mk: OrderMaker, spikeFrom: number): void {
  const { rng, b, nDays } = mk;
  const end = nDays * DAY;
  const sales = b.orders.filter((o) => o.kind === 'sale');
  for (const o of sales) {
    if (rng.chance(CANCEL_SHARE)) {
      const lines = mk.basket(o.lines.reduce((v, l) => v + l.qty * l.pricePence, 0), mk.style, false);
      b.orders.push({ ts: Math.max(0, o.ts - 300 - rng.int(7200)), kind: 'cancel', lines, guest: o.guest });
    }
    if (o.ts >= spikeFrom * DAY) {
      // Returned within two weeks, or before the export ends for the latest orders.
      const ts = Math.min(o.ts + (2 + rng.int(13)) * DAY, o.ts + Math.floor((end - 1 - o.ts) * rng.next()));
      b.orders.push({ ts, kind: 'return', lines: o.lines.map((l) => refundLine(l, l.qty)), guest: o.guest });
    } else if (rng.chance(RETURN_SHARE)) {
      const ts = o.ts + (3 + rng.int(28)) * DAY;
      const l = o.lines[rng.int(o.lines.length)];
      if (l && ts < end) b.orders.push({ ts, kind: 'return', lines: [refundLine(l, 1 + rng.int(l.qty))], guest: o.guest });
    }
  }
}
