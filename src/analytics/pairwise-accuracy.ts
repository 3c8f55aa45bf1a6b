/**
 * Pairwise precision and recall of an entity resolution against planted truth, the measure record-linkage tools
 * report: a pair of source identities is predicted when both got the same customer_key, true when both belong to
 * the same person. Counted with per-cluster sums (k·(k−1)/2), never by enumerating pairs, so it runs on millions.
 * Input: one entry per identity — predicted cluster and true person ('' for junk identities, left out).
 */

export interface PairwiseAccuracy {
  precision: number;
  recall: number;
  predictedPairs: number;
  truePairs: number;
  correctPairs: number;
}

const pairs = (k: number): number => (k * (k - 1)) / 2;

export function pairwiseAccuracy(predicted: readonly string[], truth: readonly string[]): PairwiseAccuracy {
  const byCluster = new Map<string, number>();
  const byPerson = new Map<string, number>();
  const byBoth = new Map<string, number>();
  for (let i = 0; i < predicted.length; i++) {
    const person = truth[i]!;
    if (!person) continue;
    const cluster = predicted[i]!;
    byCluster.set(cluster, (byCluster.get(cluster) ?? 0) + 1);
    byPerson.set(person, (byPerson.get(person) ?? 0) + 1);
    const both = `${cluster}\u0000${person}`;
    byBoth.set(both, (byBoth.get(both) ?? 0) + 1);
  }
  let predictedPairs = 0;
  let truePairs = 0;
  let correctPairs = 0;
  for (const k of byCluster.values()) predictedPairs += pairs(k);
  for (const k of byPerson.values()) truePairs += pairs(k);
  for (const k of byBoth.values()) correctPairs += pairs(k);
  return {
    precision: predictedPairs === 0 ? 1 : correctPairs / predictedPairs,
    recall: truePairs === 0 ? 1 : correctPairs / truePairs,
    predictedPairs, truePairs, correctPairs,
  };
}
