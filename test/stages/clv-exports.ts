/**
 * Writes an order export in which the BG/NBD and Gamma-Gamma stories hold by construction, plus a pipeline.yaml
 * for it, so the value stage can be checked against planted parameters. Each customer draws a weekly purchase
 * rate λ ~ Gamma(r, 1/α), a dropout probability p ~ Beta(a, b) and a spend scale ν ~ Gamma(q, 1/v); makes a first
 * purchase on a day in the first year, then buys as a Poisson process and after every repeat purchase leaves with
 * probability p; each order is worth Gamma(p_gg, 1/ν). Days are whole (purchases on one day merge, as in the
 * contract's definition), so the planted values are recovered up to that rounding and sampling error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BgNbdParams, GammaGammaParams } from '../../src/analytics/clv/index.js';
import { createRng, deriveSeed } from '../../src/analytics/random.js';

export const SIM_START = '2022-07-01';
export const SIM_AS_OF = '2024-06-30';
export const SIM_CALIBRATION_END = '2023-12-31';

export interface ClvExportOptions {
  dir: string;
  customers: number;
  seed: number;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Every order at this price instead (the spend draws still happen, so purchase times do not change). */
  fixedPrice?: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (d: string): number => Date.parse(`${d}T00:00:00Z`) / DAY_MS;

export function writeClvExport(o: ClvExportOptions): string {
  const start = dayNumber(SIM_START);
  const end = dayNumber(SIM_AS_OF) + 1;
  const lines = ['order_id,ordered_at,customer_id,product_id,quantity,unit_price'];
  let orderId = 0;
  for (let c = 0; c < o.customers; c++) {
    const rng = createRng(deriveSeed(o.seed, c));
    const lambdaPerDay = rng.gamma(o.bgnbd.r, 1 / o.bgnbd.alpha) / 7;
    const pDrop = rng.beta(o.bgnbd.a, o.bgnbd.b);
    const nu = rng.gamma(o.gammaGamma.q, 1 / o.gammaGamma.v);
    const customer = `S${String(c + 1).padStart(5, '0')}`;
    let t = start + rng.int(365) + 0.5;
    const buy = (): void => {
      const drawn = Math.max(0.01, Math.round(rng.gamma(o.gammaGamma.p, 1 / nu) * 100) / 100);
      const value = o.fixedPrice ?? drawn;
      const when = new Date(Math.floor(t) * DAY_MS + 12 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      lines.push(`${++orderId},${when},${customer},P1,1,${value.toFixed(2)}`);
    };
    buy();
    for (;;) {
      t += rng.exponential(lambdaPerDay);
      if (!(t < end)) break;
      buy();
      if (rng.chance(pDrop)) break;
    }
  }
  mkdirSync(o.dir, { recursive: true });
  writeFileSync(path.join(o.dir, 'orders.csv'), `${lines.join('\n')}\n`);
  const file = path.join(o.dir, 'pipeline.yaml');
  writeFileSync(file, `name: sim
as_of: ${SIM_AS_OF}
stages: [value, report]
sources:
  - { channel: web_orders, name: shop, path: orders.csv }
value: { margin_rate: 0.3, clv: { calibration_end: ${SIM_CALIBRATION_END}, time_unit: week, horizon_days: 365, annual_discount_rate: 0.1 } }
output: { dir: out, pii: keep }
state_dir: state
`);
  return file;
}
