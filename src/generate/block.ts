/**
 * Generates one contiguous block of persons into a BlockSink plus the block's truth totals. A block depends
 * only on (options, first index, last index), so blocks can be produced by worker threads in any order and
 * appended in index order with byte-identical results. Per person: profile → purchase history → channel
 * rows → truth rows; nothing about a person outlives its block except counts.
 */
import { createRng, deriveSeed } from '../analytics/random.js';
import { simulateBehaviour, type Behaviour } from './behaviour.js';
import { writeCalls } from './channels/calls.js';
import { crmRow } from './channels/crm.js';
import { writeEmail } from './channels/email.js';
import { writeOrders, type OrderFacts } from './channels/orders.js';
import { writeSessions } from './channels/sessions.js';
import { ID, IdentityCollector, type GenContext } from './context.js';
import { BlockSink } from './files.js';
import { EmailForms } from './messy.js';
import { buildProfile, type AnomalyKind, type Profile } from './profile.js';
import { emptyAgg, type BlockAgg } from './truth-agg.js';

export const ANOMALY_DESCRIPTIONS: Record<AnomalyKind, string> = {
  spend_collapse: 'keeps ordering in the last 90 days, but only single cheap items: spend falls to a few percent of their usual',
  return_spike: 'returns, in full, every order placed in the last 90 days',
  service_escalation: '5–8 complaint calls in the last 60 days, some longer than 40 minutes',
  order_value_outlier: "one order in the last 90 days worth about 20× the person's usual order value",
};

/** Cutoff days for the churn truth: end−180 (training) and end−90 (validation). */
export function churnCutoffs(nDays: number): number[] {
  return [nDays - 1 - 180, nDays - 1 - 90];
}

function signupDayOf(rng: ReturnType<typeof createRng>, p: Profile, b: Behaviour, nDays: number): number {
  if (p.archetype === 'prospect') return -300 + rng.int(nDays + 270);
  return b.firstDay - rng.int(p.archetype === 'new' ? 150 : 400);
}

export interface BlockResult {
  sink: BlockSink;
  agg: BlockAgg;
}

export function generateBlock(ctx: GenContext, from: number, to: number): BlockResult {
  const { cal, files, seed } = ctx;
  const nDays = cal.nDays;
  const sink = new BlockSink(files.specs.map((s) => s.encoding));
  const agg = emptyAgg(churnCutoffs(nDays), ctx.cat.rules.length);
  for (let i = from; i < to; i++) {
    const p = buildProfile(seed, i);
    const b = simulateBehaviour(seed, p, nDays, ctx.cat, ctx.rates);
    const rng = createRng(deriveSeed(seed, i, 2));
    const ids = new IdentityCollector(sink, files.truthIdentities, p.personId);
    const signupDay = signupDayOf(rng, p, b, nDays);
    if (p.inCrm) ids.add(ID.crmCustomer, p.crmRef);
    const forms = new EmailForms(p.email);
    const orders = writeOrders(ctx, sink, ids, rng, p, forms, b, agg);
    const listFrom = p.inCrm || p.archetype === 'prospect' ? signupDay : b.firstDay;
    const email = writeEmail(ctx, sink, ids, rng, p, forms, b, listFrom);
    writeSessions(ctx, sink, ids, rng, p, b, email.clicks, signupDay);
    const calls = writeCalls(ctx, sink, ids, rng, p, b, agg);
    const complaintDays = calls.complaintDays;
    if (p.inCrm) sink.add(files.crm, crmRow(cal, rng, p, signupDay, calls.ownNumber));
    const churned = b.dropDay < nDays;
    sink.add(
      files.truthPersons,
      `${p.personId},${p.inCrm ? p.crmRef : ''},${p.hasShopAccount ? p.shopId : ''},${p.first},${p.last},${p.archetype},${
        b.firstDay >= 0 ? cal.iso[b.firstDay] : ''},${churned ? cal.iso[Math.floor(b.dropDay)] : ''},${churned ? b.driver : 'none'},${
        p.anomaly ?? ''},${p.profilingOptOut},${p.emailOptOut}\n`,
    );
    agg.persons++;
    agg.identities += ids.count;
    if (churned) agg.drivers[b.driver]++;
    if (p.anomaly) agg.anomalies.push({ person_id: p.personId, kind: p.anomaly, description: ANOMALY_DESCRIPTIONS[p.anomaly] });
    if (p.twinOf >= 0) agg.lookalikes.push([`P${String(p.twinOf + 1).padStart(7, '0')}`, p.personId]);
    addFeatures(agg, p, orders, nDays);
    addChurnWindows(agg, orders, complaintDays, email.engagedDays);
    sink.endPerson();
  }
  return { sink, agg };
}

function addFeatures(agg: BlockAgg, p: Profile, o: OrderFacts, nDays: number): void {
  const a = agg.archetypes[p.archetype];
  if (!a) return;
  a.persons++;
  if (o.frequency === 0) return;
  a.buyers++;
  a.frequency += o.frequency;
  a.monetaryPence += o.monetaryPence;
  a.recencyDays += nDays - 1 - o.lastSaleDay;
}

function countIn(days: number[], lo: number, hi: number): number {
  let n = 0;
  for (const d of days) if (d > lo && d <= hi) n++;
  return n;
}

function addChurnWindows(agg: BlockAgg, o: OrderFacts, complaintDays: number[], engagedDays: number[]): void {
  for (const w of agg.churn) {
    const c = w.cutoffDay;
    if (countIn(o.saleDays, c - 365, c) === 0) continue;
    const churned = countIn(o.saleDays, c, c + 90) === 0 ? 1 : 0;
    const complained = countIn(complaintDays, c - 90, c) > 0;
    const before = countIn(engagedDays, c - 180, c - 90);
    const disengaged = before >= 2 && countIn(engagedDays, c - 90, c) < before / 2;
    w.active++;
    w.churned += churned;
    if (countIn(o.saleDays, -Infinity, c) < 2) continue;
    // Signals are split among repeat buyers, where the planted churn happens; complained and disengaged may
    // overlap, quiet is neither.
    const buckets = [w.repeat, complained ? w.complained : null, disengaged ? w.disengaged : null, complained || disengaged ? null : w.quiet];
    for (const bucket of buckets) {
      if (!bucket) continue;
      bucket[0]++;
      bucket[1] += churned;
    }
  }
}
