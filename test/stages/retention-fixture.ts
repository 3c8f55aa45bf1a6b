/**
 * Small hand-shaped export sets for the retention tests: people with orders, email events, calls and web sessions
 * on chosen days, everything keyed by email so identity links it trivially, and a CRM file carrying the profiling
 * opt-out. `openRun` runs ingest → identity → features in-process and keeps the warehouse open, so a test can call
 * the stage's building blocks (buildFeatures, buildWindows) and inspect temp tables the runner would drop.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../../src/analytics/random.js';
import { loadPipeline } from '../../src/config/load.js';
import { Database } from '../../src/db/database.js';
import type { RunContext } from '../../src/pipeline/context.js';
import { memoryLogger } from '../../src/pipeline/logger.js';
import { featuresStage } from '../../src/stages/features/index.js';
import { identityStage } from '../../src/stages/identity/index.js';
import { ingestStage } from '../../src/stages/ingest/index.js';
import { FIXED_NOW, tempDir } from '../helpers.js';

export interface Person {
  id: string;
  /** Completed orders, 'YYYY-MM-DD'. */
  orders?: string[];
  /** Email events as [day, type]. */
  emails?: [string, string][];
  /** Calls as [day, reason]. */
  calls?: [string, string][];
  sessions?: string[];
  profilingOptOut?: boolean;
}

export const AS_OF = '2024-06-30';

const email = (p: Person): string => `${p.id.toLowerCase()}@example.com`;

/** Writes the exports and a pipeline file into a fresh temp folder; returns the pipeline file's path. */
export function writeFixture(people: readonly Person[], retention = '{ min_leaf: 5, max_depth: 4 }'): string {
  const dir = tempDir('cra-retention-');
  mkdirSync(path.join(dir, 'exports'));
  const file = (name: string, header: string, rows: string[]): void =>
    writeFileSync(path.join(dir, 'exports', name), `${[header, ...rows].join('\n')}\n`);
  let n = 0;
  file('customers.csv', 'id,email,no_profiling', people.map((p) => `${p.id},${email(p)},${p.profilingOptOut ? 'true' : 'false'}`));
  file('orders.csv', 'order,line,at,email,sku,qty,price,status',
    people.flatMap((p) => (p.orders ?? []).map((d) => `O${++n},1,${d} 10:00:00,${email(p)},P1,1,10,completed`)));
  file('email.csv', 'id,at,email,type', people.flatMap((p) => (p.emails ?? []).map(([d, t]) => `E${++n},${d} 08:00:00,${email(p)},${t}`)));
  file('calls.csv', 'id,at,email,seconds,reason', people.flatMap((p) => (p.calls ?? []).map(([d, r]) => `K${++n},${d} 11:00:00,${email(p)},300,${r}`)));
  file('sessions.csv', 'id,at,email,pages', people.flatMap((p) => (p.sessions ?? []).map((d) => `S${++n},${d} 20:00:00,${email(p)},3`)));
  const yaml = `name: retention
as_of: ${AS_OF}
sources:
  - { channel: customers, name: crm, path: exports/customers.csv, columns: { customer_id: id, email: email, profiling_opt_out: no_profiling } }
  - { channel: web_orders, name: shop, path: exports/orders.csv, columns: { order_id: order, line_id: line, ordered_at: at, email: email, product_id: sku, quantity: qty, unit_price: price, status: status } }
  - { channel: email_events, name: email, path: exports/email.csv, columns: { event_id: id, event_at: at, email: email, event_type: type } }
  - { channel: phone_calls, name: calls, path: exports/calls.csv, columns: { call_id: id, started_at: at, email: email, duration_s: seconds, reason: reason } }
  - { channel: web_sessions, name: web, path: exports/sessions.csv, columns: { session_id: id, started_at: at, email: email, page_views: pages } }
retention: ${retention}
output: { dir: out, pii: keep }
state_dir: state
limits: { reject_rate: 0.5 }
`;
  const pipelineFile = path.join(dir, 'pipeline.yaml');
  writeFileSync(pipelineFile, yaml);
  return pipelineFile;
}

/** Day `offset` days after `start` as YYYY-MM-DD. */
export function day(start: string, offset: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Runs ingest, identity and features in-process on an open warehouse; the caller closes ctx.db. */
export async function openRun(pipelineFile: string): Promise<RunContext> {
  const pipeline = loadPipeline(pipelineFile);
  const dir = path.dirname(pipelineFile);
  const db = await Database.open(path.join(dir, 'warehouse.duckdb'), { threads: 2 });
  const ctx: RunContext = {
    pipeline, db, log: memoryLogger(), runId: 'test', runDir: dir,
    options: { fullRefresh: false, strict: false, now: FIXED_NOW },
    asOf: pipeline.config.as_of ?? AS_OF, inputs: [], models: {}, completed: new Map(), stages: [],
  };
  await db.run('CREATE OR REPLACE TEMP TABLE out_model_metrics (model VARCHAR, metric VARCHAR, dimension VARCHAR, dimension_value VARCHAR, value DOUBLE)');
  for (const stage of [ingestStage, identityStage, featuresStage]) await stage.run(ctx);
  return ctx;
}

/**
 * `n` people with seeded random histories from 2023-01-01 to a little past AS_OF (rows after as_of must be ignored):
 * buyers ordering every few weeks until some stop day, monthly campaign emails with opens and clicks, occasional
 * calls (some complaints) and web sessions; one in six never orders (prospects), one in twenty opts out of profiling.
 */
export function randomPeople(seed: number, n: number): Person[] {
  const rng = createRng(seed);
  const start = '2023-01-01';
  const span = 560;
  const people: Person[] = [];
  for (let i = 0; i < n; i++) {
    const p: Person = { id: `P${String(i).padStart(3, '0')}`, orders: [], emails: [], calls: [], sessions: [], profilingOptOut: rng.chance(0.05) };
    const buyer = !rng.chance(1 / 6);
    const first = rng.int(span - 60);
    const stop = rng.chance(0.4) ? first + rng.int(span - first) : span;
    if (buyer) for (let t = first; t < stop; t += 5 + rng.int(50)) p.orders!.push(day(start, t));
    for (let m = 0; m < 19; m++) {
      const sent = day(start, m * 30 + 4);
      p.emails!.push([sent, 'sent']);
      if (rng.chance(0.4)) p.emails!.push([day(start, m * 30 + 5), 'open']);
      if (rng.chance(0.1)) p.emails!.push([day(start, m * 30 + 6), 'click']);
    }
    for (let k = rng.int(4); k > 0; k--) p.calls!.push([day(start, rng.int(span)), rng.chance(0.4) ? 'complaint' : 'support']);
    for (let k = rng.int(6); k > 0; k--) p.sessions!.push(day(start, rng.int(span)));
    people.push(p);
  }
  return people;
}
