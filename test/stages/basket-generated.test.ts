/**
 * The basket stage on generated data (2000 customers, seed 42): the three rules {A, B} → C planted by the
 * generator (truth.json `affinities`, measured on the written orders) are found, with lift within 2 % of the
 * planted lift and confidence within 0.02, and their consequents are recommended to some customer. The run is
 * restricted to the basket stage (and its prerequisites) to keep the file fast.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '../../src/generate/index.js';
import { readParquet, runFile, tempDir } from '../helpers.js';

interface Affinity {
  antecedent: string[];
  consequent: string;
  planted_lift: number;
  confidence: number;
}
type Rule = { antecedent: string[]; consequent: string; lift: number; confidence: number; rule_id: string };

let affinities: Affinity[];
let rules: Rule[];
let recommended: { product_id: string; rule_id: string }[];
let models: Record<string, unknown>;

beforeAll(async () => {
  const outDir = tempDir('cra-basket-gen-');
  await generate({ outDir, customers: 2000, seed: 42, days: 730 });
  affinities = (JSON.parse(readFileSync(path.join(outDir, 'truth.json'), 'utf8')) as { affinities: Affinity[] }).affinities;
  const { runDir, manifest } = await runFile(path.join(outDir, 'pipeline.yaml'), {
    overrides: ['output.pii=keep', 'stages=[basket]', 'basket.min_confidence=0.3'],
  });
  models = manifest.models;
  rules = await readParquet<Rule>(path.join(runDir, 'association_rules.parquet'));
  recommended = await readParquet(path.join(runDir, 'recommendations.parquet'), 'SELECT DISTINCT product_id, rule_id FROM t');
});

describe('basket stage on generated data', () => {
  it('finds every planted rule with its planted lift and confidence', () => {
    expect(affinities.length).toBeGreaterThan(0);
    for (const a of affinities) {
      const lhs = [...a.antecedent].sort().join();
      const rule = rules.find((r) => r.consequent === a.consequent && [...r.antecedent].sort().join() === lhs);
      expect(rule, `${lhs} → ${a.consequent}`).toBeDefined();
      expect(Math.abs(rule!.lift - a.planted_lift) / a.planted_lift, `${lhs} → ${a.consequent}`).toBeLessThanOrEqual(0.02);
      expect(Math.abs(rule!.confidence - a.confidence)).toBeLessThanOrEqual(0.02);
      expect(recommended.some((r) => r.product_id === a.consequent)).toBe(true);
    }
    expect(models.basket).toMatchObject({ transaction: 'order', item: 'product_id' });
  });
});
