/**
 * Per-node class histograms, the hot loop of the fit. A node's histogram is one Int32Array holding, per
 * feature, [count of class 0, count of class 1] for codes 0..nbins, back to back. Nodes own contiguous
 * ranges of one row-index Int32Array, kept in ascending row order by a stable partition.
 *
 * The column-major input codes are packed once per fit into a ROW-major array whose entries are already
 * histogram slots (offset + code·2 + y): a node's rows are scattered over the table, and fetching one row
 * touches one cache line for all features instead of one line per feature. On 1M × 20 at depth 8 that
 * made growth 1.7× faster than gathering from per-feature columns (interleaved A/B run); it also removes
 * the y lookup and the offset add from the inner loop. Partitioning, which reads one feature per row,
 * keeps using the dense column-major codes. The growth loop builds the smaller child's histogram and
 * derives the larger one by subtraction from the parent when that is cheaper; buffers are recycled.
 */

export interface HistLayout {
  readonly offsets: Int32Array;
  /** Number of non-missing bins per feature (codes run 0..nbins). */
  readonly nbins: Int32Array;
  readonly size: number;
}

export function histLayout(nbins: Int32Array): HistLayout {
  const offsets = new Int32Array(nbins.length);
  let size = 0;
  for (let f = 0; f < nbins.length; f++) {
    offsets[f] = size;
    size += (nbins[f]! + 1) * 2;
  }
  return { offsets, nbins, size };
}

/**
 * Row-major packed codes: packed[r·F + f] = offsets[f] + ((code << 1) | y), i.e. the histogram slot itself.
 * Uint16 while the histogram has at most 65536 slots, Uint32 beyond.
 */
export type Packed = Uint16Array | Uint32Array;

export function packRows(columns: readonly (Uint8Array | Uint16Array)[], y: Uint8Array, layout: HistLayout): Packed {
  const F = columns.length;
  const n = y.length;
  const packed = layout.size <= 65536 ? new Uint16Array(n * F) : new Uint32Array(n * F);
  // Transpose in blocks of rows so the block being written stays in cache across the features.
  const BLOCK = 2048;
  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    for (let f = 0; f < F; f++) {
      const codes = columns[f]!;
      const o = layout.offsets[f]!;
      const nb = layout.nbins[f]!;
      for (let r = from, k = from * F + f; r < to; r++, k += F) {
        const c = codes[r]!;
        if (c > nb) throw new RangeError(`feature ${f}: code ${c} above its ${nb} bins`);
        packed[k] = o + ((c << 1) | y[r]!);
      }
    }
  }
  return packed;
}

/** Adds rows idx[start..end) to `hist` (which must be zeroed or hold rows to add to). */
export function addRows(hist: Int32Array, packed: Packed, F: number, idx: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const base = idx[i]! * F;
    for (let f = 0; f < F; f++) hist[packed[base + f]!]!++;
  }
}

/** Adds rows 0..n) (the root when no row subset is given): a sequential scan, no index gather. */
export function addAllRows(hist: Int32Array, packed: Packed): void {
  for (let k = 0; k < packed.length; k++) hist[packed[k]!]!++;
}

/** parent -= child, turning the parent's histogram into the sibling's. */
export function subtractInto(parent: Int32Array, child: Int32Array): void {
  for (let i = 0; i < parent.length; i++) parent[i]! -= child[i]!;
}

/** Recycles histogram buffers: a depth-first fit needs only about two per level alive at once. */
export class HistPool {
  private readonly free: Int32Array[] = [];
  constructor(private readonly size: number) {}

  acquire(): Int32Array {
    const h = this.free.pop();
    if (!h) return new Int32Array(this.size);
    h.fill(0);
    return h;
  }

  release(h: Int32Array): void {
    this.free.push(h);
  }
}

/**
 * Stable partition of idx[start..end) by route[code] (1 = left), using `scratch` for the right side. It
 * reads the feature's own column-major codes: one feature per row is needed here, and a 1-2 byte column
 * is far denser in cache than the row-major packed table.
 */
export function partitionRows(
  idx: Int32Array,
  scratch: Int32Array,
  start: number,
  end: number,
  codes: Uint8Array | Uint16Array,
  route: Uint8Array,
): number {
  let left = start;
  let right = 0;
  for (let i = start; i < end; i++) {
    const r = idx[i]!;
    if (route[codes[r]!] === 1) idx[left++] = r;
    else scratch[right++] = r;
  }
  idx.set(scratch.subarray(0, right), left);
  return left;
}
