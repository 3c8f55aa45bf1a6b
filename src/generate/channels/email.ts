/**
 * Email-platform events, one CSV per month. One campaign a month (CMP-YYYY-MM-A, sent on the 5th) goes to
 * everyone on the list; opens and clicks follow the person's own open rate, which falls to a tenth from 90
 * days before a disengagement-driven churn and halves after any churn. The recipient is written in the
 * messy forms platforms produce. Returns the days of opens and clicks (the churn truth needs them) and the
 * click times (each click starts a web session).
 */
import type { Rng } from '../../analytics/random.js';
import type { Behaviour } from '../behaviour.js';
import { DAY, fmtIsoSpace } from '../calendar.js';
import { ID, type GenContext, type IdentityCollector } from '../context.js';
import type { BlockSink } from '../files.js';
import { EVENT_SPELLINGS, type EmailEvent, type EmailForms } from '../messy.js';
import { DELIVERY_RECEIPT_DOMAINS } from '../names.js';
import type { Archetype, Profile } from '../profile.js';

export const OPEN_RATE: Record<Archetype, number> = {
  champion: 0.55, loyal: 0.5, bargain: 0.5, one_time: 0.12, new: 0.3, prospect: 0.18,
};
export const CLICK_GIVEN_OPEN = 0.28;
export const DISENGAGED_FACTOR = 0.05;
const RECEIPT_DOMAINS = DELIVERY_RECEIPT_DOMAINS.map((d) => `@${d}`);

export interface EmailFacts {
  engagedDays: number[];
  clicks: number[];
}

export function writeEmail(
  ctx: GenContext, sink: BlockSink, ids: IdentityCollector, rng: Rng, p: Profile, forms: EmailForms, b: Behaviour, listFrom: number,
): EmailFacts {
  const facts: EmailFacts = { engagedDays: [], clicks: [] };
  if (!p.onEmailList) return facts;
  const { cal, files } = ctx;
  const end = cal.nDays * DAY;
  const receipts = RECEIPT_DOMAINS.some((d) => p.email.endsWith(d));
  const baseOpen = Math.min(0.9, OPEN_RATE[p.archetype] * Math.exp(0.3 * rng.normal()));
  const idBase = `ev-${(p.index + 1).toString(36)}-`;
  let k = 0;
  const emit = (ts: number, campaign: string, event: EmailEvent): void => {
    if (ts >= end) return;
    const recipient = forms.pick(rng, 0.65);
    ids.add(ID.email, recipient.trim());
    const spelling = rng.pick(EVENT_SPELLINGS[event]);
    const file = files.email + (cal.month[Math.floor(ts / DAY)] ?? 0);
    sink.add(file, `${idBase}${(k++).toString(36)},${fmtIsoSpace(cal, ts)},${recipient},${campaign},${spelling}\n`);
  };
  for (let mi = 0; mi < cal.months.length; mi++) {
    const day = (cal.monthStart[mi] ?? 0) + 4;
    if (day < Math.max(0, listFrom) || day >= cal.nDays) continue;
    const campaign = `CMP-${cal.months[mi]}-A`;
    const sent = day * DAY + 9 * 3600 + rng.int(4 * 3600);
    emit(sent, campaign, 'sent');
    if (rng.chance(0.015)) {
      emit(sent + 5 + rng.int(300), campaign, 'bounce');
      continue;
    }
    if (receipts) emit(sent + 5 + rng.int(300), campaign, 'delivered');
    const cold = day >= b.disengageFrom;
    const factor = cold ? DISENGAGED_FACTOR : day >= b.dropDay ? 0.5 : 1;
    let last = sent;
    if (rng.chance(baseOpen * factor)) {
      last = sent + Math.floor(rng.exponential(1 / (6 * 3600)));
      emit(last, campaign, 'open');
      if (last < end) facts.engagedDays.push(Math.floor(last / DAY));
      if (rng.chance(CLICK_GIVEN_OPEN)) {
        last += 10 + rng.int(600);
        emit(last, campaign, 'click');
        if (last < end) {
          facts.engagedDays.push(Math.floor(last / DAY));
          facts.clicks.push(last);
        }
      }
    }
    if (rng.chance(0.0005)) {
      emit(last + 60 + rng.int(3600), campaign, 'complaint');
      break;
    }
    if (rng.chance(cold || day >= b.dropDay ? 0.03 : 0.003)) {
      emit(last + 60 + rng.int(DAY), campaign, 'unsubscribe');
      break;
    }
  }
  return facts;
}
