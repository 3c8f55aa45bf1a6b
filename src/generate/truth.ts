/**
 * Builds truth.json from the merged block totals: what was planted (archetypes, churn mechanism, rules,
 * anomalies, identity traps) and what it measured on the written rows, so the pipeline's tests can compare
 * their results with a known answer rather than with themselves.
 */
import {
  DROPOUT_WINDOW, GUEST_SHARE, MIN_PURCHASES_BEFORE_DROPOUT, PARAMS, RATE_SPREAD, SPEND_SHAPE_ORDER, SPEND_SHAPE_PERSON,
} from './behaviour.js';
import { CANCEL_SHARE, RETURN_SHARE } from './anomalies.js';
import type { Calendar } from './calendar.js';
import { CLICK_GIVEN_OPEN, DISENGAGED_FACTOR, OPEN_RATE } from './channels/email.js';
import { JUNK_EMAIL_SHARE, REJECT_SHARE } from './channels/orders.js';
import type { GenContext } from './context.js';
import { COMPLETED_SPELLINGS, CANCELLED_SPELLINGS, EVENT_SPELLINGS, JUNK_EMAIL, RETURNED_SPELLING, CALL_REASONS } from './messy.js';
import { SHOP_NUMBER } from './phones.js';
import { ARCHETYPE_SHARES, PROSPECT_SHARE } from './profile.js';
import type { BlockAgg, ChurnWindowAgg } from './truth-agg.js';

export const GENERATOR_VERSION = '1.0.0';

const DESCRIPTIONS: Record<string, string> = {
  champion: 'frequent, high spend, recent: buys every ~6 weeks since the start, large (wholesale-sized) orders',
  loyal: 'regular, mid spend: buys every ~6 weeks, a customer for the last 6–8 months (so fewer orders so far)',
  bargain: 'frequent small baskets of cheap items with 20–40 % discounts, since the start',
  one_time: 'a single order at least 300 days before the end',
  new: 'first order in the last 60 days (a quarter order twice), after a burst of anonymous browsing',
};

export interface FileCount {
  path: string;
  rows: number;
  duplicate_rows: number;
  reject_rows: number;
}

const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;
const rate = (n: number, k: number): number | null => (n > 0 ? round(k / n) : null);

function churnWindow(cal: Calendar, w: ChurnWindowAgg): object {
  const pair = ([n, k]: [number, number]) => ({ active: n, churned: k, rate: rate(n, k) });
  return {
    cutoff: cal.iso[w.cutoffDay],
    label_window: `(${cal.iso[w.cutoffDay]}, ${cal.iso[w.cutoffDay + 90]}]`,
    active_buyers: w.active,
    churned: w.churned,
    rate: rate(w.active, w.churned),
    repeat_buyers: pair(w.repeat),
    with_complaint_call_last_90d: pair(w.complained),
    with_falling_engagement: pair(w.disengaged),
    with_neither: pair(w.quiet),
  };
}

export function buildTruth(ctx: GenContext, agg: BlockAgg, files: FileCount[]): object {
  const { cal, cat } = ctx;
  const nDays = cal.nDays;
  const archetypes = ARCHETYPE_SHARES.map(([name, share]) => {
    const a = agg.archetypes[name]!;
    const par = PARAMS[name as keyof typeof PARAMS];
    return {
      name,
      share: round(share * (1 - PROSPECT_SHARE)),
      share_of_buyers: share,
      persons: a.persons,
      buyers: a.buyers,
      description: DESCRIPTIONS[name],
      expected: {
        frequency: rate(a.buyers, a.frequency),
        monetary: a.buyers ? round(a.monetaryPence / a.buyers / 100, 2) : null,
        recency_days: rate(a.buyers, a.recencyDays),
      },
      process: { purchases_per_day: round(par.rate, 6), dropout_per_purchase: par.dropout, mean_order_value: par.spendPence / 100, mean_lines: par.style.lines },
    };
  });
  const affinities = cat.rules.map((r, i) => {
    const [ab, c, abc] = agg.rules[i]!;
    const n = agg.saleOrders;
    const confidence = ab ? abc / ab : 0;
    const sku = (k: number): string => cat.products[k]?.sku ?? '';
    return {
      antecedent: [sku(r.a), sku(r.b)],
      consequent: sku(r.c),
      names: [r.a, r.b, r.c].map((k) => cat.products[k]?.name),
      target_lift: 5,
      measured_on: 'completed sale orders as written (guests included, duplicates once, rejected lines left out)',
      planted_lift: c ? round(confidence / (c / n)) : null,
      confidence: round(confidence),
      support: round(abc / Math.max(1, n), 6),
      count: abc,
      antecedent_count: ab,
      consequent_count: c,
      transactions: n,
    };
  });
  const junk = [
    { source: 'shop', id_type: 'email', value: JUNK_EMAIL, identity_written: agg.junkEmailIdentity, rows: agg.junkEmailRows, persons: agg.junkEmailPersons },
    { source: 'calls', id_type: 'phone', value: SHOP_NUMBER, identity_written: agg.shopNumberIdentity, rows: agg.shopNumberRows, persons: agg.shopNumberPersons },
  ];
  return {
    generator_version: GENERATOR_VERSION,
    seed: ctx.seed,
    customers: ctx.customers,
    days: nDays - 1,
    start_date: cal.startDate,
    end_date: cal.endDate,
    as_of: cal.endDate,
    files,
    persons: agg.persons,
    archetypes,
    prospects: { share: PROSPECT_SHARE, persons: agg.archetypes.prospect?.persons ?? 0, description: 'no order; CRM sign-ups, email list members and anonymous browsers' },
    features_note: 'expected.* are measured on the written orders as the pipeline sees them at as_of: completed sale orders of identified (non-guest, non-junk) rows, net revenue = quantity × unit price − discount over completed and returned lines, rejected lines excluded; recency = as_of − last completed order date.',
    churn: {
      description:
        'Purchasing stops when a repeat buyer drops out: after each purchase in the last ' + DROPOUT_WINDOW +
        ' days, once they have ' + MIN_PURCHASES_BEFORE_DROPOUT + '+ purchases, a coin with the archetype dropout probability. ' +
        'Each dropout gets a driver: complaints (1+Poisson(1) complaint calls in the 90 days before the stop), disengagement ' +
        '(email open rate × ' + DISENGAGED_FACTOR + ' from 90 days before the stop; list members only), both, or none. ' +
        'Non-churners complain rarely (background calls, 6 % of them complaints). churned_at = the stop day (within the span); ' +
        'windows[] give the observed label rates at the two cutoffs the retention stage uses.',
      horizon_days: 90,
      active_days: 365,
      drivers: agg.drivers,
      windows: agg.churn.map((w) => churnWindow(cal, w)),
      base_rate: rate(agg.churn[agg.churn.length - 1]?.active ?? 0, agg.churn[agg.churn.length - 1]?.churned ?? 0),
    },
    affinities,
    anomalies: agg.anomalies,
    identity: {
      persons: agg.persons,
      source_identities: agg.identities + junk.filter((j) => j.identity_written).length,
      lookalike_pairs: agg.lookalikes,
      lookalike_note: 'planted pairs share first name, last name and city but have different emails and phones; common names also coincide by chance',
      junk_identifiers: junk,
    },
    clv: {
      note: 'BG/NBD-like: while alive a person buys as a Poisson process (rate = archetype rate × lognormal(0, ' + RATE_SPREAD + ')); after each purchase they drop out with the archetype probability. Spend is Gamma-Gamma: person mean ~ Gamma(shape ' + SPEND_SHAPE_PERSON + ', mean = archetype mean order value), each order value ~ Gamma(shape ' + SPEND_SHAPE_ORDER + ', mean = person mean).',
      spend_shape_person: SPEND_SHAPE_PERSON,
      spend_shape_order: SPEND_SHAPE_ORDER,
    },
    leads: { description: '"new" buyers browse 3+Poisson(3) anonymous sessions in the 60 days before their first order; prospects browse ~1.5 sessions a year.' },
    email: { campaign: 'CMP-YYYY-MM-A on the 5th of each month to the list', open_rate_by_archetype: OPEN_RATE, click_given_open: CLICK_GIVEN_OPEN },
    orders: {
      total: agg.orders,
      sale_orders: agg.saleOrders,
      guest_orders: agg.guestOrders,
      shares: { guest: GUEST_SHARE, cancelled: CANCEL_SHARE, returned: RETURN_SHARE, junk_email: JUNK_EMAIL_SHARE, reject_line: REJECT_SHARE },
      overlap: 'each monthly orders file repeats the previous month’s last two days (duplicate_rows)',
    },
    spellings: {
      status: { completed: COMPLETED_SPELLINGS, cancelled: CANCELLED_SPELLINGS, returned: [RETURNED_SPELLING] },
      email_event: EVENT_SPELLINGS,
      call_reason: CALL_REASONS,
    },
    span_days: nDays,
  };
}
