/**
 * The call-centre log (one semicolon-separated file, windows-1252 encoded when written). Background calls
 * while a person is a customer, plus the planted complaint calls (churn signals, service escalations). The
 * caller number is printed in one of six formats of the person's number, is empty for withheld numbers, or
 * is the shop's own switchboard when staff put the call through — a number shared by many persons. Agents
 * save a caller's number to their CRM record (the CRM row is written after the calls for that reason), and
 * prospects the CRM does not know do not call: their number would be shared with no other record.
 */
import type { Rng } from '../../analytics/random.js';
import type { Behaviour } from '../behaviour.js';
import { timeOfDay } from '../behaviour.js';
import { DAY, fmtDot } from '../calendar.js';
import { ID, type GenContext, type IdentityCollector } from '../context.js';
import type { BlockSink } from '../files.js';
import { callerName } from '../messy.js';
import { PHONE_FORMATS, SHOP_NUMBER, formatPhone } from '../phones.js';
import type { Profile } from '../profile.js';
import type { BlockAgg } from '../truth-agg.js';

export const CALL_RATE_BUYER = 0.5;
export const CALL_RATE_PROSPECT = 0.15;
export const WITHHELD_SHARE = 0.1;
export const SWITCHBOARD_SHARE = 0.03;
const BACKGROUND_REASONS = ['Billing', 'Support', 'Tech support', 'Sales', 'Other', 'complaint'] as const;
const BACKGROUND_WEIGHTS = [0.22, 0.3, 0.15, 0.15, 0.12, 0.06];

export interface CallFacts {
  complaintDays: number[];
  /** Some call showed the person's own number. */
  ownNumber: boolean;
}

export function writeCalls(ctx: GenContext, sink: BlockSink, ids: IdentityCollector, rng: Rng, p: Profile, b: Behaviour, agg: BlockAgg): CallFacts {
  const { cal, files } = ctx;
  const complaintDays: number[] = [];
  let ownNumber = false;
  let k = 0;
  let usedSwitchboard = false;
  const emit = (ts: number, reason: string, complaint: boolean, long: boolean, ownPhone = false): void => {
    if (ts < 0 || ts >= cal.nDays * DAY || k >= 999) return;
    k++;
    const u = ownPhone ? 1 : rng.next();
    let number = '';
    if (u < WITHHELD_SHARE) number = '';
    else if (u < WITHHELD_SHARE + SWITCHBOARD_SHARE) {
      number = SHOP_NUMBER;
      agg.shopNumberRows++;
      agg.shopNumberIdentity = true;
      usedSwitchboard = true;
    } else {
      number = formatPhone(p.phoneDigits, rng.int(PHONE_FORMATS));
      ids.add(ID.callsPhone, number);
      ownNumber = true;
    }
    const duration = long ? 2400 + rng.int(3600) : complaint ? 180 + Math.floor(rng.exponential(1 / 500)) : 40 + Math.floor(rng.exponential(1 / 240));
    const outbound = !complaint && rng.chance(0.15);
    const resolved = rng.chance(complaint ? 0.35 : 0.8) ? 'Y' : 'N';
    const csat = rng.chance(0.4) ? '' : String(complaint ? 1 + (rng.chance(0.8) ? 0 : 1 + rng.int(2)) : 3 + rng.int(3));
    const name = callerName(rng, p.first, p.last);
    sink.add(
      files.calls,
      `CR${(p.index + 1) * 1000 + k};${fmtDot(cal, ts)};${number};${name};${duration};${outbound ? 'outbound' : 'inbound'};${reason};${resolved};${csat}\n`,
    );
    if (complaint) complaintDays.push(Math.floor(ts / DAY));
  };
  const complaintWord = (): string => (rng.chance(0.6) ? 'Complaint' : 'complaint');
  const buyer = p.archetype !== 'prospect';
  const from = buyer ? Math.max(0, b.firstDay - 30) : 0;
  const to = buyer ? Math.min(cal.nDays, b.dropDay + 60) : p.inCrm ? cal.nDays : 0;
  if (to > from) {
    const n = rng.poisson(((buyer ? CALL_RATE_BUYER : CALL_RATE_PROSPECT) * (to - from)) / 365);
    for (let i = 0; i < n; i++) {
      const ts = (from + Math.floor(rng.next() * (to - from))) * DAY + timeOfDay(rng);
      let u = rng.next();
      let r = 0;
      while (r < BACKGROUND_WEIGHTS.length - 1 && u >= BACKGROUND_WEIGHTS[r]!) u -= BACKGROUND_WEIGHTS[r++]!;
      const reason = BACKGROUND_REASONS[r]!;
      const complaint = reason === 'complaint';
      emit(ts, complaint ? complaintWord() : reason, complaint, false);
    }
  }
  for (const [ts, long, own] of b.complaints) emit(ts, complaintWord(), true, long, own);
  if (usedSwitchboard) agg.shopNumberPersons++;
  return { complaintDays, ownNumber };
}
