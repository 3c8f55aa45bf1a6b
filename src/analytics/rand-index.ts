/**
 * Adjusted Rand index between two labelings of the same rows: 1 for identical partitions (whatever the label
 * names), about 0 for independent ones. Used to test planted segment recovery and to report how much the
 * segmentation changed between runs.
 *
 * Computed from the contingency table's pair counts in scikit-learn's pair-confusion form, including its
 * convention that full agreement (no discordant pairs, e.g. both labelings a single cluster) scores 1.
 */

const pairs = (m: number): number => (m * (m - 1)) / 2;

/** Maps arbitrary integer labels to 0..c-1; returns the dense labels and c. */
function dense(labels: Int32Array): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = map.get(labels[i]!);
    if (id === undefined) {
      id = map.size;
      map.set(labels[i]!, id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}

export function adjustedRandIndex(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) throw new Error('adjustedRandIndex: labelings differ in length');
  const n = a.length;
  const A = dense(a), B = dense(b);
  const rowSums = new Float64Array(A.count);
  const colSums = new Float64Array(B.count);
  const cells = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = A.ids[i]!, y = B.ids[i]!;
    rowSums[x]! += 1;
    colSums[y]! += 1;
    const key = x * B.count + y;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  let together = 0; // pairs in the same cluster in both
  for (const m of cells.values()) together += pairs(m);
  let sameA = 0, sameB = 0;
  for (const m of rowSums) sameA += pairs(m);
  for (const m of colSums) sameB += pairs(m);
  const fn = sameA - together; // same in a, split in b
  const fp = sameB - together; // split in a, same in b
  const tn = pairs(n) - together - fn - fp;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (together * tn - fn * fp)) / ((together + fn) * (fn + tn) + (together + fp) * (fp + tn));
}
