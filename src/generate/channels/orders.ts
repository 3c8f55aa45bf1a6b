/**
 * Web-shop order lines, one CSV per calendar month. Writes the mess the ingest must survive — checkout
 * emails in odd case and spacing, three spellings of "completed", guest checkouts, the shared junk address,
 * a few unparsable quantities and prices, and each month's export repeating the previous month's last two
 * days, and a phone typed at checkout in any of the person's messy formats — and returns what the person's features look like to a pipeline that reads these files (guests and
 * rejected lines excluded), which is what truth.json and the tests compare against.
 */
import type { Rng } from '../../analytics/random.js';
import type { Behaviour } from '../behaviour.js';
import { DAY, P2, fmtMoney, fmtSlashMinute } from '../calendar.js';
import { ID, type GenContext, type IdentityCollector } from '../context.js';
import type { BlockSink } from '../files.js';
import { CANCELLED_SPELLINGS, JUNK_EMAIL, RETURNED_SPELLING, completedSpelling, type EmailForms } from '../messy.js';
import { PHONE_FORMATS, formatPhone } from '../phones.js';
import type { Profile } from '../profile.js';
import type { BlockAgg } from '../truth-agg.js';

export const REJECT_SHARE = 0.002;
export const JUNK_EMAIL_SHARE = 0.005;
/** Share of identified checkouts that carry the phone typed at checkout. */
export const CHECKOUT_PHONE_SHARE = 0.3;
const QTY_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** What the person's order history looks like to the pipeline (attributable, parsable rows only). */
export interface OrderFacts {
  /** Days of completed sale orders, in write order. */
  saleDays: number[];
  frequency: number;
  monetaryPence: number;
  lastSaleDay: number;
}

function brokenPrice(pence: number): string {
  // '12,50' → '12,5O': decimal comma and a letter O, unparsable in any locale.
  return `${Math.floor(pence / 100)},${P2[pence % 100]}`.slice(0, -1) + 'O';
}

export function writeOrders(
  ctx: GenContext, sink: BlockSink, ids: IdentityCollector, rng: Rng, p: Profile, forms: EmailForms, b: Behaviour, agg: BlockAgg,
): OrderFacts {
  const { cal, files } = ctx;
  const facts: OrderFacts = { saleDays: [], frequency: 0, monetaryPence: 0, lastSaleDay: -1 };
  const roles = new Uint8Array(ctx.cat.rules.length);
  let usedJunk = false;
  // Someone whose phone the CRM does not hold gives it at their first identified checkout, so their calls
  // (and a CRM row that has only the phone) share a number with a record that also carries their email.
  let needPhone = !p.inCrm || !p.crmHasEmail;
  let k = 0;
  for (const o of b.orders) {
    k++;
    const invoice = String((p.index + 1) * 1000 + k);
    const day = Math.floor(o.ts / DAY);
    const month = cal.month[day] ?? 0;
    const file = files.orders + month;
    const dupFile = cal.lastTwo[day] === 1 && month + 1 < cal.months.length ? file + 1 : -1;
    let customerId = '';
    let email = '';
    let phone = '';
    if (!o.guest) {
      if (p.hasShopAccount) customerId = p.shopId;
      email = rng.chance(JUNK_EMAIL_SHARE) ? JUNK_EMAIL : forms.pick(rng, 0.8);
      // Not beside the junk address of an account-less row: the number would tie the shared address to a person.
      if ((customerId || email !== JUNK_EMAIL) && (rng.chance(CHECKOUT_PHONE_SHARE) || needPhone)) {
        phone = formatPhone(p.phoneDigits, rng.int(PHONE_FORMATS));
        needPhone = false;
      }
    }
    const status =
      o.kind === 'sale' ? completedSpelling(rng)
      : o.kind === 'cancel' ? rng.pick(CANCELLED_SPELLINGS)
      : rng.chance(0.7) ? RETURNED_SPELLING : completedSpelling(rng);
    const head = `${invoice},`;
    const mid = `,${fmtSlashMinute(cal, o.ts)},${customerId},${email},${phone},`;
    const tail = `,${status},United Kingdom,GBP\n`;
    let value = 0;
    roles.fill(0);
    for (let j = 0; j < o.lines.length; j++) {
      const l = o.lines[j]!;
      let qty = String(l.qty);
      let price = l.pricePence === ctx.listPence[l.product] ? ctx.listPrice[l.product]! : fmtMoney(l.pricePence);
      const reject = o.kind !== 'return' && j > 0 && dupFile < 0 && rng.chance(REJECT_SHARE);
      if (reject) {
        if (rng.chance(0.5)) qty = QTY_WORDS[l.qty - 1] ?? 'lots';
        else price = brokenPrice(l.pricePence);
        sink.rejects[file]!++;
      } else {
        value += l.qty * l.pricePence - l.discountPence;
        const role = ctx.ruleRole[l.product] ?? 0;
        if (role > 0) roles[Math.floor((role - 1) / 3)]! |= 1 << ((role - 1) % 3);
      }
      const line = `${head}${j + 1}${mid}${ctx.sku[l.product]},${ctx.description[l.product]},${qty},${price},${fmtMoney(l.discountPence)}${tail}`;
      sink.add(file, line);
      if (dupFile >= 0) {
        sink.add(dupFile, line);
        sink.duplicates[dupFile]!++;
      }
    }
    agg.orders++;
    if (o.guest) agg.guestOrders++;
    if (email === JUNK_EMAIL) {
      agg.junkEmailRows += o.lines.length;
      usedJunk = true;
    }
    if (o.kind === 'sale') {
      agg.saleOrders++;
      for (let r = 0; r < roles.length; r++) {
        const mask = roles[r]!;
        const t = agg.rules[r]!;
        if ((mask & 3) === 3) t[0]++;
        if (mask & 4) t[1]++;
        if (mask === 7) t[2]++;
      }
    }
    if (o.guest) continue;
    if (customerId) ids.add(ID.shopCustomer, customerId);
    else if (email === JUNK_EMAIL) {
      agg.junkEmailIdentity = true;
      continue;
    } else ids.add(ID.shopEmail, email.trim());
    if (o.kind === 'cancel') continue;
    facts.monetaryPence += value;
    if (o.kind === 'sale') {
      facts.frequency++;
      facts.saleDays.push(day);
      if (day > facts.lastSaleDay) facts.lastSaleDay = day;
    }
  }
  if (usedJunk) agg.junkEmailPersons++;
  return facts;
}
