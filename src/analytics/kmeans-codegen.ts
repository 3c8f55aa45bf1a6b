/**
 * Source-text snippets for the generated k-means kernels (see kmeans-kernels.ts).
 *
 * With the dimension d (and, for the all-centre scan, k) known when the kernel is generated, the loops over
 * coordinates and centres become straight-line code: the row sits in locals x0..x{d-1}, centre offsets are
 * literals, and the k distance computations are independent, so the CPU overlaps them. In V8 that measured
 * ~2× faster than loops over a variable d, and unrolling the centres gained another ~30% (1M rows, d = 8,
 * k = 6). Past the size limits below the same snippets fall back to plain loops.
 */

const UNROLL_D = 32;
const UNROLL_KD = 320;

export interface Snippets {
  /** Declares x0..x{d-1} from data[p ..] (empty when not unrolled). */
  load: string;
  /** `v = squared distance from the row to arr[q .. q+d)`; q is a literal offset or an expression. */
  dist(arr: string, q: number | string, v: string): string;
  /** `arr[q .. q+d) op= row` */
  add(arr: string, q: string, op: '+' | '-'): string;
  /**
   * Declares best, second (squared distances) and bj (index of the best) over all k rows of `centres`;
   * ties keep the lower index.
   */
  scan: string;
}

export function snippets(d: number, k: number): Snippets {
  const ts = Array.from({ length: d }, (_, t) => t);
  const unrollD = d <= UNROLL_D;
  const at = (arr: string, q: number | string, t: number): string =>
    typeof q === 'number' ? `${arr}[${q + t}]` : `${arr}[${q} + ${t}]`;
  const dist = (arr: string, q: number | string, v: string): string =>
    unrollD
      ? ts.map((t) => `z = x${t} - ${at(arr, q, t)}; ${v} ${t === 0 ? '=' : '+='} z * z;`).join('\n')
      : `${v} = 0; for (let t = 0; t < ${d}; t++) { z = data[p + t] - ${arr}[${q} + t]; ${v} += z * z; }`;
  let scan: string;
  if (unrollD && k * d <= UNROLL_KD) {
    const lines = [`let e0 = 0; ${dist('centres', 0, 'e0')}`, 'let best = e0, second = Infinity, bj = 0;'];
    for (let j = 1; j < k; j++) {
      lines.push(`let e${j} = 0; ${dist('centres', j * d, `e${j}`)}`);
      lines.push(`if (e${j} < best) { second = best; best = e${j}; bj = ${j}; } else if (e${j} < second) second = e${j};`);
    }
    scan = lines.join('\n');
  } else {
    scan = `let best = Infinity, second = Infinity, bj = 0;
      for (let j = 0, q = 0; j < ${k}; j++, q += ${d}) {
        let e = 0; ${dist('centres', 'q', 'e')}
        if (e < best) { second = best; best = e; bj = j; } else if (e < second) second = e;
      }`;
  }
  return {
    load: unrollD ? `const ${ts.map((t) => `x${t} = data[p + ${t}]`).join(', ')};` : '',
    dist,
    add: (arr, q, op) =>
      unrollD
        ? ts.map((t) => `${arr}[${q} + ${t}] ${op}= x${t};`).join('\n')
        : `for (let t = 0; t < ${d}; t++) ${arr}[${q} + t] ${op}= data[p + t];`,
    scan,
  };
}
