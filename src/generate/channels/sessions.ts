/**
 * Web sessions, one NDJSON file per month: a session before every order, one after every email click, and
 * background browsing while the person is a customer (before a "new" buyer's first order, a burst of
 * browsing — the signal a lead score should find). Logged-in sessions carry the shop account; the rest only
 * a cookie id, and each person keeps one or two cookies (one per device), so anonymous browsing can be tied
 * to a person through a cookie that was once logged in. Every cookie is identified at least once: its first
 * session that may be (not the anonymous pre-purchase burst) signs in, or — for someone without a shop
 * account — carries the email the visitor gave (`"email"`, as sessions started from a campaign click always
 * do); a cookie never identified gets one extra identified visit. Persons with neither a shop account nor
 * an email any other record holds leave no sessions: nothing could ever tie their browsing to them.
 */
import type { Rng } from '../../analytics/random.js';
import type { Behaviour } from '../behaviour.js';
import { DAY, fmtIsoZ } from '../calendar.js';
import { ID, type GenContext, type IdentityCollector } from '../context.js';
import type { BlockSink } from '../files.js';
import type { Archetype, Profile } from '../profile.js';
import { timeOfDay } from '../behaviour.js';

/** Background sessions per year while a customer. */
export const BROWSE_RATE: Record<Archetype, number> = {
  champion: 1, loyal: 0.8, bargain: 1, one_time: 0.3, new: 0.3, prospect: 1,
};
const DEVICES = ['mobile', 'desktop', 'tablet'] as const;
const LOGGED_IN = 0.65;

function source(rng: Rng): string {
  const u = rng.next();
  return u < 0.45 ? 'search' : u < 0.8 ? 'direct' : u < 0.93 ? 'social' : 'email';
}

export function writeSessions(ctx: GenContext, sink: BlockSink, ids: IdentityCollector, rng: Rng, p: Profile, b: Behaviour, clicks: number[], signupDay: number): number {
  const { cal, files } = ctx;
  const end = cal.nDays * DAY;
  const canLogIn = p.hasShopAccount;
  const knownEmail = p.onEmailList || (p.inCrm && p.crmHasEmail) || b.orders.some((o) => !o.guest);
  if (!canLogIn && !knownEmail) return 0;
  const firstDevice = rng.int(3);
  const devices = [DEVICES[firstDevice]!, DEVICES[(firstDevice + 1 + rng.int(2)) % 3]!];
  const sidBase = `"sid":"s${(p.index + 1).toString(36)}-`;
  // Per cookie: 0 unused, 1 seen only anonymously, 2 identified.
  const seen = [0, 0];
  let k = 0;
  const emit = (ts: number, pages: number, loggedIn: boolean, utm: string, mayIdentify = true, cookie = -1): void => {
    if (ts < 0 || ts >= end) return;
    const v = cookie >= 0 ? cookie : p.visitors.length > 1 && rng.chance(0.3) ? 1 : 0;
    const identify = mayIdentify && seen[v] !== 2;
    const signedIn = loggedIn || (identify && canLogIn);
    const email = identify || (utm === 'email' && !signedIn) ? p.email : '';
    const account = signedIn ? `"${p.shopId}"` : 'null';
    if (signedIn) ids.add(ID.webCustomer, p.shopId);
    else if (email) ids.add(ID.webEmail, email);
    else ids.add(ID.webVisitor, p.visitors[v]!);
    seen[v] = signedIn || email ? 2 : Math.max(seen[v]!, 1);
    const secs = pages * (15 + rng.int(60));
    const file = files.sessions + (cal.month[Math.floor(ts / DAY)] ?? 0);
    const emailField = email ? `,"email":"${email}"` : '';
    sink.add(
      file,
      `{${sidBase}${(k++).toString(36)}","ts":"${fmtIsoZ(cal, ts)}","account":${account},"visitor":"${p.visitors[v]}"${emailField},"pages":${pages},"secs":${secs},"utm_source":"${utm}","device":"${devices[v]}"}\n`,
    );
  };
  for (const o of b.orders) {
    // Orders placed in the app leave no web session.
    if (o.kind === 'return' || rng.chance(0.6)) continue;
    // The session that led to the order; many shoppers browse anonymously and log in only at checkout.
    emit(o.ts - 60 - rng.int(1800), 4 + rng.int(12), canLogIn && !o.guest && rng.chance(0.8), source(rng));
  }
  for (const ts of clicks) emit(ts + 2 + rng.int(20), 1 + rng.int(6), canLogIn && rng.chance(LOGGED_IN), 'email');
  // Background browsing while a customer (prospects: from sign-up).
  const from = p.archetype === 'prospect' ? Math.max(0, signupDay) : Math.max(0, b.firstDay - 120);
  const to = Math.min(cal.nDays, p.archetype === 'one_time' ? b.firstDay + 60 : b.dropDay + 30);
  if (to > from) {
    const n = rng.poisson((BROWSE_RATE[p.archetype] * (to - from)) / 365);
    for (let i = 0; i < n; i++) {
      const day = from + Math.floor(rng.next() * (to - from));
      emit(day * DAY + timeOfDay(rng), 1 + rng.int(8), canLogIn && rng.chance(LOGGED_IN), source(rng));
    }
  }
  if (p.archetype === 'new') {
    const n = 3 + rng.poisson(3);
    for (let i = 0; i < n; i++) {
      const day = b.firstDay - 1 - rng.int(60);
      emit(day * DAY + timeOfDay(rng), 3 + rng.int(12), false, source(rng), false);
    }
  }
  const last = Math.max(0, Math.min(cal.nDays - 1, Math.floor(b.orders[0] ? b.orders[0].ts / DAY : Math.max(0, signupDay))));
  for (let v = 0; v < 2; v++) {
    if (seen[v] === 1) emit((last + rng.int(Math.max(1, cal.nDays - last))) * DAY + timeOfDay(rng), 1 + rng.int(8), canLogIn, 'direct', true, v);
  }
  return k;
}
