// Rule text on a hand-built tree: merged per-feature conditions, NULL routing spelled out, categorical IN /
// NOT IN, quoted odd names, and support / rate / lift computed by hand.
import { describe, expect, it } from 'vitest';
import { treeToRules, treeToSql, type CartNode, type CartSplit, type CartTree } from '../../../src/analytics/cart/index.js';

function node(id: number, depth: number, rows: number, positives: number, split: CartSplit | null = null, left = -1, right = -1): CartNode {
  return { id, depth, rows, positives, weight: rows, impurity: 0, proba: positives / rows, split, left, right, gain: 0 };
}

const num = (feature: string, threshold: number, missingLeft: boolean): CartSplit => ({
  kind: 'numeric', feature, featureIndex: 0, bin: 1, threshold, missingLeft, missingRows: 5,
});

const tree: CartTree = {
  format: 'cra-cart/1',
  criterion: 'gini',
  classWeights: [1, 1],
  maxDepth: 3,
  minLeaf: 1,
  features: [
    { name: 'complaints_90d', kind: 'numeric' },
    { name: 'channel', kind: 'categorical' },
    { name: 'email open rate', kind: 'numeric' },
  ],
  nodes: [
    node(0, 0, 1000, 100, num('complaints_90d', 2, true), 1, 6),
    node(1, 1, 800, 40, { kind: 'categorical', feature: 'channel', featureIndex: 1, leftCategories: ['phone', 'web'], missingLeft: false, missingRows: 0 }, 2, 3),
    node(2, 2, 500, 10),
    node(3, 2, 300, 30, num('complaints_90d', 0, false), 4, 5),
    node(4, 3, 100, 5),
    node(5, 3, 200, 25),
    node(6, 1, 200, 60, num('email open rate', 0.1, true), 7, 8),
    node(7, 2, 50, 30),
    node(8, 2, 150, 30),
  ],
};

describe('treeToRules', () => {
  it('writes one merged, NULL-aware rule per leaf with support, rate and lift', () => {
    const rules = treeToRules(tree);
    expect(rules.map((r) => r.text)).toEqual([
      "(complaints_90d IS NULL OR complaints_90d <= 2) AND channel IN ('phone', 'web')",
      "complaints_90d <= 0 AND (channel IS NULL OR channel NOT IN ('phone', 'web'))",
      "(complaints_90d IS NULL OR (complaints_90d > 0 AND complaints_90d <= 2)) AND (channel IS NULL OR channel NOT IN ('phone', 'web'))",
      'complaints_90d > 2 AND ("email open rate" IS NULL OR "email open rate" <= 0.1)',
      'complaints_90d > 2 AND "email open rate" > 0.1',
    ]);
    expect(rules.map((r) => r.leaf)).toEqual([2, 4, 5, 7, 8]);
    const rl = rules[3]!;
    expect(rl.rows).toBe(50);
    expect(rl.share).toBe(0.05);
    expect(rl.rate).toBe(0.6);
    expect(rl.lift).toBeCloseTo(6, 12);
    expect(rules.reduce((s, r) => s + r.rows, 0)).toBe(1000);
  });

  it('gives TRUE for a single leaf and the SQL spells the same routing', () => {
    const leaf: CartTree = { ...tree, nodes: [node(0, 0, 10, 3)] };
    expect(treeToRules(leaf)[0]!.text).toBe('TRUE');
    const sql = treeToSql(tree, { table: 'f', keyColumn: 'id', scoreColumn: 'p' });
    expect(sql).toContain(`WHEN "complaints_90d" IS NULL OR "complaints_90d" <= 2e0 THEN CASE`);
    expect(sql).toContain(`WHEN "channel" IS NOT NULL AND "channel" IN ('phone', 'web') THEN 0.02e0`);
    expect(sql).toContain(`WHEN "email open rate" IS NULL OR "email open rate" <= 0.1e0 THEN 0.6e0`);
    // One WHEN per split: the query grows linearly with the tree.
    expect(sql.match(/WHEN/g)).toHaveLength(4);
  });

  it('rounds thresholds for display only when asked', () => {
    const t: CartTree = { ...tree, nodes: tree.nodes.map((n) => (n.id === 6 ? { ...n, split: num('email open rate', 0.10000123456789, true) } : n)) };
    expect(treeToRules(t)[3]!.text).toContain('<= 0.10000123456789)');
    expect(treeToRules(t, { digits: 3 })[3]!.text).toContain('<= 0.1)');
  });
});
