/**
 * customer_features' order counts against brute force on `cra generate` data (1500 persons, seed 7): frequency,
 * orders_90d and orders_prev_90d (distinct orders with a completed line, in the window), distinct_products, monetary
 * and the 90-day spends, recomputed in JavaScript from the published order lines up to as_of. The features model
 * counts orders through an order-level grouping rather than DISTINCT aggregates (int_customer_features.sql), so this
 * holds the two to the same definition. Tenure is held to customers.first_seen_at, which customers.sql computes from
 * every activity row where the features model reuses its channel groupings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { generate } from '../../src/generate/index.js';
import type { Manifest } from '../../src/pipeline/manifest.js';
import { readParquet, runFile, tempDir } from '../helpers.js';

type Line = { source: string; order_id: string; customer_key: string | null; ordered_at: string; product_id: string; revenue: number; status: string };
type Features = { customer_key: string; frequency: number; orders_90d: number; orders_trend: number; distinct_products: number; monetary: number; spend_90d: number; spend_trend: number };
let dir = '';
let manifest: Manifest;
const latest = (file: string): string => path.join(dir, 'reports', 'generated', 'latest', file);

beforeAll(async () => {
  dir = tempDir('cra-features-');
  await generate({ outDir: dir, customers: 1500, seed: 7, days: 365 });
  manifest = (await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['output.pii=keep', 'stages=[features]'] })).manifest;
}, 90_000);

describe('features: order counts and spends', () => {
  it('equal brute force over the published order lines', async () => {
    const asOf = Date.parse(`${manifest.as_of}T00:00:00Z`);
    const lines = await readParquet<Line>(latest('orders.parquet'),
      "SELECT source, order_id, customer_key, CAST(ordered_at AS VARCHAR) AS ordered_at, product_id, CAST(revenue AS DOUBLE) AS revenue, status FROM t WHERE customer_key IS NOT NULL");
    const features = await readParquet<Features>(latest('customer_features.parquet'),
      'SELECT customer_key, frequency, orders_90d, orders_trend, distinct_products, CAST(monetary AS DOUBLE) AS monetary, CAST(spend_90d AS DOUBLE) AS spend_90d, CAST(spend_trend AS DOUBLE) AS spend_trend FROM t');
    type Acc = { orders: Set<string>; o90: Set<string>; prev: Set<string>; products: Set<string>; monetary: number; s90: number; sPrev: number };
    const by = new Map<string, Acc>();
    for (const l of lines) {
      const a = by.get(l.customer_key!) ?? { orders: new Set(), o90: new Set(), prev: new Set(), products: new Set(), monetary: 0, s90: 0, sPrev: 0 };
      by.set(l.customer_key!, a);
      const daysAgo = Math.round((asOf - Date.parse(`${l.ordered_at.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
      const order = `${l.source}\u0000${l.order_id}`;
      a.monetary += l.revenue;
      if (daysAgo < 90) a.s90 += l.revenue;
      else if (daysAgo < 180) a.sPrev += l.revenue;
      if (l.status !== 'completed') continue;
      a.orders.add(order);
      a.products.add(l.product_id);
      if (daysAgo < 90) a.o90.add(order);
      else if (daysAgo < 180) a.prev.add(order);
    }
    const buyers = features.filter((f) => by.has(f.customer_key));
    expect(buyers.length).toBe(by.size);
    expect(buyers.filter((f) => f.orders_90d > 0).length).toBeGreaterThan(50);
    expect(buyers.filter((f) => f.orders_trend !== f.orders_90d).length).toBeGreaterThan(50);
    for (const f of buyers) {
      const a = by.get(f.customer_key)!;
      expect([f.frequency, f.orders_90d, f.orders_trend, f.distinct_products], f.customer_key)
        .toEqual([a.orders.size, a.o90.size, a.o90.size - a.prev.size, a.products.size]);
      expect(f.monetary).toBeCloseTo(a.monetary, 6);
      expect(f.spend_90d).toBeCloseTo(a.s90, 6);
      expect(f.spend_trend).toBeCloseTo(a.s90 - a.sPrev, 6);
    }
    for (const f of features.filter((x) => !by.has(x.customer_key))) expect([f.frequency, f.distinct_products]).toEqual([0, 0]);
  }, 60_000);

  it('tenure counts from the first row in any channel, as customers.first_seen_at does (CRM rows without a date: as_of)', async () => {
    const asOf = Date.parse(`${manifest.as_of}T00:00:00Z`);
    const tenure = new Map((await readParquet<{ customer_key: string; tenure_days: number }>(latest('customer_features.parquet'), 'SELECT customer_key, tenure_days FROM t'))
      .map((f) => [f.customer_key, f.tenure_days]));
    const customers = await readParquet<{ customer_key: string; first_seen: string | null }>(latest('customers.parquet'),
      'SELECT customer_key, CAST(CAST(first_seen_at AS DATE) AS VARCHAR) AS first_seen FROM t');
    const compared = customers.filter((c) => tenure.has(c.customer_key));
    expect(compared.length).toBe(tenure.size);
    // Everyone with a dated row up to as_of is described, whatever the channel.
    expect(customers.filter((c) => c.first_seen !== null && !tenure.has(c.customer_key)).map((c) => c.customer_key)).toEqual([]);
    expect(new Set(compared.map((c) => c.first_seen)).size).toBeGreaterThan(100);
    for (const c of compared) {
      const expected = c.first_seen === null ? 0 : Math.round((asOf - Date.parse(`${c.first_seen}T00:00:00Z`)) / 86_400_000);
      expect(tenure.get(c.customer_key), c.customer_key).toBe(expected);
    }
  });
});
