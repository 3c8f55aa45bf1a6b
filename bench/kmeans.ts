/**
 * k-means benchmark against scikit-learn: a seeded 1,000,000 × 8 matrix (6 overlapping gaussian blobs of
 * unequal spread plus 2% uniform noise, columns standardised as cra scales features) is written once as CSV
 * for the peer; then for 5 seeds, back to back, our kmeans(k=6, nInit=1) in-process and
 * `python3 ../shared/peers/kmeans.py MATRIX.csv 6 --seed S --n-init 1` (which times only its fit).
 * Prints median fit seconds, median inertia and iterations of each, and the ratios ours/sklearn.
 *
 * Run: npx tsx bench/kmeans.ts [--rows N] [--seeds S]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans } from '../src/analytics/kmeans.js';
import { createRng } from '../src/analytics/random.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('rows', 1_000_000);
const SEEDS = arg('seeds', 5);
const D = 8;
const K = 6;
const PEER = fileURLToPath(new URL('../../shared/peers/kmeans.py', import.meta.url));

function makeMatrix(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal()));
  const spread = Array.from({ length: K }, () => 0.8 + 0.8 * rng.next());
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const noise = rng.chance(0.02);
    const b = rng.int(K);
    for (let t = 0; t < d; t++) {
      x[i * d + t] = noise ? 16 * (rng.next() - 0.5) : centres[b]![t]! + spread[b]! * rng.normal();
    }
  }
  for (let t = 0; t < d; t++) {
    let s = 0, ss = 0;
    for (let i = 0; i < n; i++) s += x[i * d + t]!;
    const mean = s / n;
    for (let i = 0; i < n; i++) ss += (x[i * d + t]! - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    // Rounded to what the CSV holds, so both sides cluster the very same numbers.
    for (let i = 0; i < n; i++) x[i * d + t] = Number(((x[i * d + t]! - mean) / sd).toFixed(6));
  }
  return x;
}

async function writeCsv(path: string, x: Float64Array, n: number, d: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => new Promise<void>((ok) => (out.write(s) ? ok() : out.once('drain', ok)));
  await write(Array.from({ length: d }, (_, t) => `x${t}`).join(',') + '\n');
  for (let lo = 0; lo < n; lo += 10_000) {
    const lines: string[] = [];
    for (let i = lo; i < Math.min(n, lo + 10_000); i++) {
      lines.push(Array.from(x.subarray(i * d, i * d + d), (v) => v.toFixed(6)).join(','));
    }
    await write(lines.join('\n') + '\n');
  }
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'cra-bench-kmeans-'));
try {
  const x = makeMatrix(N, D, 20240601);
  const csv = join(dir, 'matrix.csv');
  await writeCsv(csv, x, N, D);
  const ours = { s: [] as number[], inertia: [] as number[], iter: [] as number[] };
  const peer = { s: [] as number[], inertia: [] as number[], iter: [] as number[] };
  console.log('seed  ours_s  sklearn_s  ours_inertia     sklearn_inertia  ours_iter sklearn_iter');
  const runOurs = (seed: number) => {
    const t0 = performance.now();
    const r = kmeans(x, N, D, { k: K, nInit: 1, seed });
    return { seconds: (performance.now() - t0) / 1000, inertia: r.inertia, nIter: r.nIter };
  };
  const runPeer = (seed: number) => {
    const p = spawnSync('/usr/bin/python3', [PEER, csv, String(K), '--seed', String(seed), '--n-init', '1'], {
      encoding: 'utf8',
    });
    if (p.status !== 0) throw new Error(`peer failed: ${p.stderr}`);
    const j = JSON.parse(p.stdout.trim().split('\n').pop()!) as { seconds: number; inertia: number; n_iter: number };
    return { seconds: j.seconds, inertia: j.inertia, nIter: j.n_iter };
  };
  for (let seed = 1; seed <= SEEDS; seed++) {
    // Alternate who goes first, so a drift in machine load does not favour one side.
    const o = seed % 2 ? runOurs(seed) : null;
    const p = runPeer(seed);
    const r = o ?? runOurs(seed);
    ours.s.push(r.seconds);
    ours.inertia.push(r.inertia);
    ours.iter.push(r.nIter);
    peer.s.push(p.seconds);
    peer.inertia.push(p.inertia);
    peer.iter.push(p.nIter);
    console.log(
      `${String(seed).padEnd(5)} ${r.seconds.toFixed(3).padStart(6)}  ${p.seconds.toFixed(3).padStart(9)}  ` +
        `${r.inertia.toFixed(2).padStart(15)}  ${p.inertia.toFixed(2).padStart(15)}  ${String(r.nIter).padStart(9)} ${String(p.nIter).padStart(12)}`,
    );
  }
  const [os, ps, oi, pi] = [median(ours.s), median(peer.s), median(ours.inertia), median(peer.inertia)];
  console.log(`\nrows ${N} × ${D}, k=${K}, nInit=1, ${SEEDS} seeds (medians)`);
  console.log(`fit seconds   ours ${os.toFixed(3)}  sklearn ${ps.toFixed(3)}  ratio ${(os / ps).toFixed(3)}  (target ≤ 1.0)`);
  console.log(`inertia       ours ${oi.toFixed(2)}  sklearn ${pi.toFixed(2)}  ratio ${(oi / pi).toFixed(6)}  (target ≤ 1.01)`);
  console.log(`iterations    ours ${median(ours.iter)}  sklearn ${median(peer.iter)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
