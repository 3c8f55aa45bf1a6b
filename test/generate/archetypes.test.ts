import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmeans } from 'ml-kmeans';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWith } from '../../src/generate/index.js';
import { isoDay, personFeatures, readIdentityMap, readOrderLines, readTable } from './read-back.js';

/** Adjusted Rand index (Hubert & Arabie) from the contingency table of two labelings. */
function adjustedRand(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  const table = new Map<string, number>();
  const rowSum = new Map<string | number, number>();
  const colSum = new Map<string | number, number>();
  a.forEach((x, i) => {
    const y = b[i]!;
    table.set(`${x}\u0000${y}`, (table.get(`${x}\u0000${y}`) ?? 0) + 1);
    rowSum.set(x, (rowSum.get(x) ?? 0) + 1);
    colSum.set(y, (colSum.get(y) ?? 0) + 1);
  });
  let index = 0;
  for (const n of table.values()) index += pairs(n);
  let sa = 0;
  let sb = 0;
  for (const n of rowSum.values()) sa += pairs(n);
  for (const n of colSum.values()) sb += pairs(n);
  const expected = (sa * sb) / pairs(a.length);
  return (index - expected) / ((sa + sb) / 2 - expected);
}

describe('adjustedRand', () => {
  it('is 1 for identical partitions up to renaming and about 0 for unrelated ones', () => {
    expect(adjustedRand([0, 0, 1, 1, 2, 2], ['b', 'b', 'a', 'a', 'c', 'c'])).toBeCloseTo(1, 12);
    // Hand-computed: table [[1,1],[1,1]] → index 0, expected 2·2/6, max 2 → ARI = -0.5.
    expect(adjustedRand([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });
});

describe('planted archetypes', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cra-gen-arch-'));
    await generateWith({ outDir: dir, customers: 2000, seed: 42, days: 730 }, undefined, { workers: 0 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are recovered by k-means (k = 5) on log1p-standardised recency, frequency, monetary with ARI ≥ 0.9', () => {
    const ids = readIdentityMap(dir);
    const { lines } = readOrderLines(dir);
    const features = personFeatures(lines, ids);
    const persons = readTable(join(dir, 'truth_persons.csv'));
    const archetype = new Map(persons.rows.map((r) => [r[0]!, r[persons.col('archetype')]!]));
    const asOf = isoDay('2024-06-30');
    const labels: string[] = [];
    const raw: number[][] = [];
    for (const [person, f] of features) {
      if (f.frequency === 0) continue;
      labels.push(archetype.get(person)!);
      raw.push([Math.log1p(asOf - f.lastDay), Math.log1p(f.frequency), Math.log1p(Math.max(0, f.monetary))]);
    }
    expect(new Set(labels)).toEqual(new Set(['champion', 'loyal', 'bargain', 'one_time', 'new']));
    const mean = [0, 1, 2].map((j) => raw.reduce((s, r) => s + r[j]!, 0) / raw.length);
    const sd = [0, 1, 2].map((j) => Math.sqrt(raw.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / raw.length));
    const data = raw.map((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!));
    let best = { inertia: Infinity, clusters: [] as number[] };
    for (const seed of [1, 2, 3, 4, 5]) {
      const res = kmeans(data, 5, { seed, initialization: 'kmeans++', maxIterations: 300 });
      let inertia = 0;
      data.forEach((x, i) => {
        const c = res.centroids[res.clusters[i]!]!;
        inertia += x.reduce((s, v, j) => s + (v - c[j]!) ** 2, 0);
      });
      if (inertia < best.inertia) best = { inertia, clusters: res.clusters };
    }
    const ari = adjustedRand(best.clusters, labels);
    console.log(`archetype recovery: ${labels.length} buyers, ARI ${ari.toFixed(4)}`);
    expect(ari).toBeGreaterThanOrEqual(0.9);
  });
});
