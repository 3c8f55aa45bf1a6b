/**
 * Identity resolution against planted truth on generated data: pairwise precision and recall over every source
 * identity the generator wrote (issue targets: precision ≥ 0.99, recall ≥ 0.97), and no planted lookalike pair
 * merged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pairwiseAccuracy, type PairwiseAccuracy } from '../../src/analytics/pairwise-accuracy.js';
import { generate } from '../../src/generate/index.js';
import { readParquet, runFile, tempDir } from '../helpers.js';

type Row = { source: string; id_type: string; source_record_id: string; customer_key: string };
let accuracy: PairwiseAccuracy;
let keyOf: Map<string, string>;
let truth: { identity: { lookalike_pairs: [string, string][] } };
let crmOf: Map<string, string>;

beforeAll(async () => {
  const dir = tempDir();
  await generate({ outDir: dir, customers: 2000, seed: 42, days: 730 });
  await runFile(path.join(dir, 'pipeline.yaml'), { overrides: ['output.pii=keep', 'stages=[identity]'] });
  const rows = await readParquet<Row>(path.join(dir, 'reports', 'generated', 'latest', 'customer_crosswalk.parquet'));
  keyOf = new Map(rows.map((r) => [`${r.source}|${r.id_type}|${r.source_record_id}`, r.customer_key]));
  const lines = readFileSync(path.join(dir, 'truth_identities.csv'), 'utf8').trim().split('\n').slice(1);
  const predicted: string[] = [];
  const persons: string[] = [];
  for (const line of lines) {
    const [source, idType, ...rest] = line.split(',');
    const person = rest.pop()!;
    const id = `${source}|${idType}|${rest.join(',').replace(/^"|"$/g, '').replaceAll('""', '"')}`;
    // A junk identity (person '') is anonymous in cra, like a guest; everything else must be a customer.
    predicted.push(keyOf.get(id) ?? `missing:${id}`);
    persons.push(person);
  }
  accuracy = pairwiseAccuracy(predicted, persons);
  truth = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8'));
  crmOf = new Map(readFileSync(path.join(dir, 'truth_persons.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
    const [person, crm] = l.split(',');
    return [person!, crm!];
  }));
}, 300_000);

describe('identity accuracy on generated data (2,000 people, seed 42)', () => {
  it('pairwise precision ≥ 0.99 and recall ≥ 0.97', () => {
    console.log(`identity: precision ${accuracy.precision.toFixed(4)}, recall ${accuracy.recall.toFixed(4)} (${accuracy.correctPairs}/${accuracy.truePairs} true pairs)`);
    expect(accuracy.precision).toBeGreaterThanOrEqual(0.99);
    expect(accuracy.recall).toBeGreaterThanOrEqual(0.97);
  });

  it('keeps every planted lookalike pair apart', () => {
    const pairs = truth.identity.lookalike_pairs;
    expect(pairs.length).toBeGreaterThan(0);
    for (const [a, b] of pairs) {
      const ka = keyOf.get(`crm|customer_id|${crmOf.get(a)}`);
      const kb = keyOf.get(`crm|customer_id|${crmOf.get(b)}`);
      if (ka && kb) expect(ka, `${a} vs ${b}`).not.toBe(kb);
    }
  });
});
