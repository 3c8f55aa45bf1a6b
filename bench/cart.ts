/**
 * Benchmark: cra's histogram CART vs scikit-learn's DecisionTreeClassifier on the same data, measured in
 * one run (ratios hold on a noisy shared machine, absolute times drift). 1,000,000 training rows × 20
 * numeric features (uniform, normal, log-normal, Poisson counts) and a 200,000-row test set; the binary
 * target comes from a planted nonlinear rule through a logistic link (so it is noisy), all seeded.
 * max_depth 8, min_leaf 50 for both. Our fit time includes the JS quantile binning (255 bins), reported
 * separately from tree growth. Train/test CSVs are written once to os.tmpdir() for the Python peer,
 * which reads them with pandas and times only the fit. Medians of 3 repeats, interleaved with the peer.
 *
 *   npx tsx bench/cart.ts [--rows N] [--test-rows N] [--repeats N]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binWithEdges, fitCart, predictProba, quantileBins, type NumericFeature } from '../src/analytics/cart/index.js';
import { auc } from '../src/analytics/classification-metrics.js';
import { createRng, deriveSeed } from '../src/analytics/random.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TRAIN_ROWS = arg('rows', 1_000_000);
const TEST_ROWS = arg('test-rows', 200_000);
const REPEATS = arg('repeats', 3);
const FEATURES = 20;
const SEED = 20_251_123;
const MAX_DEPTH = 8;
const MIN_LEAF = 50;
const PEER = fileURLToPath(new URL('../../shared/peers/cart.py', import.meta.url));

interface Dataset {
  columns: Float64Array[];
  y: Uint8Array;
}

/** Values are rounded to 4 decimals so the CSV text and the in-memory doubles are the same numbers. */
function generate(rows: number, stream: number): Dataset {
  const rng = createRng(deriveSeed(SEED, stream));
  const columns = Array.from({ length: FEATURES }, () => new Float64Array(rows));
  const y = new Uint8Array(rows);
  const x = new Float64Array(FEATURES);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < FEATURES; j++) {
      const kind = j % 4;
      const v = kind === 0 ? rng.next() : kind === 1 ? rng.normal() : kind === 2 ? Math.exp(rng.normal()) : rng.poisson(3);
      x[j] = Math.round(v * 1e4) / 1e4;
      columns[j]![r] = x[j]!;
    }
    const logit =
      -1.2 +
      1.8 * (x[0]! > 0.6 && x[1]! < 0.3 ? 1 : 0) +
      1.2 * Math.sin(3 * Math.PI * x[4]!) +
      0.9 * (x[2]! > 2 || x[3]! >= 6 ? 1 : 0) +
      0.8 * x[5]! * (x[8]! - 0.5) +
      0.6 * (x[9]! > 1 ? 1 : 0) -
      0.4 * Math.log1p(x[6]!);
    y[r] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { columns, y };
}

function writeCsvOnce(file: string, data: Dataset): void {
  if (existsSync(file)) return;
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, `${Array.from({ length: FEATURES }, (_, j) => `x${j}`).join(',')},target\n`);
  const chunk: string[] = [];
  for (let r = 0; r < data.y.length; r++) {
    let line = '';
    for (let j = 0; j < FEATURES; j++) line += `${data.columns[j]![r]!},`;
    chunk.push(`${line}${data.y[r]!}`);
    if (chunk.length === 20_000 || r === data.y.length - 1) {
      writeSync(fd, `${chunk.join('\n')}\n`);
      chunk.length = 0;
    }
  }
  closeSync(fd);
  renameSync(tmp, file);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function runOurs(train: Dataset, test: Dataset) {
  const t0 = performance.now();
  const features: NumericFeature[] = train.columns.map((values, j) => {
    const { upperEdges, codes } = quantileBins(values, 255);
    return { name: `x${j}`, kind: 'numeric', codes, upperEdges };
  });
  const t1 = performance.now();
  const tree = fitCart(features, train.y, { criterion: 'gini', maxDepth: MAX_DEPTH, minLeaf: MIN_LEAF });
  const t2 = performance.now();
  const testFeatures = features.map((f, j) => ({ ...f, codes: binWithEdges(test.columns[j]!, f.upperEdges) }));
  const score = auc(predictProba(tree, testFeatures), test.y);
  return { binning: (t1 - t0) / 1000, growth: (t2 - t1) / 1000, auc: score, leaves: tree.nodes.filter((n) => n.left < 0).length };
}

function runPeer(trainCsv: string, testCsv: string): { fit_seconds: number; auc: number; leaves: number } | null {
  const r = spawnSync('/usr/bin/python3', [PEER, trainCsv, testCsv, 'target', '--max-depth', String(MAX_DEPTH), '--min-leaf', String(MIN_LEAF)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) {
    console.error(`peer failed: ${r.stderr || r.error}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { fit_seconds: number; auc: number; leaves: number };
}

const tg = performance.now();
const train = generate(TRAIN_ROWS, 1);
const test = generate(TEST_ROWS, 2);
const base = path.join(os.tmpdir(), `cra-bench-cart-s${SEED}-f${FEATURES}`);
const trainCsv = `${base}-train-${TRAIN_ROWS}.csv`;
const testCsv = `${base}-test-${TEST_ROWS}.csv`;
writeCsvOnce(trainCsv, train);
writeCsvOnce(testCsv, test);
console.log(`data: ${TRAIN_ROWS} train / ${TEST_ROWS} test rows × ${FEATURES} features, positive rate ${(train.y.reduce((s, v) => s + v, 0) / TRAIN_ROWS).toFixed(3)} (${((performance.now() - tg) / 1000).toFixed(1)} s to generate/write)`);

const ours: ReturnType<typeof runOurs>[] = [];
const peer: NonNullable<ReturnType<typeof runPeer>>[] = [];
for (let rep = 0; rep < REPEATS; rep++) {
  const o = runOurs(train, test);
  ours.push(o);
  const p = runPeer(trainCsv, testCsv);
  if (p) peer.push(p);
  console.log(`repeat ${rep + 1}: ours ${(o.binning + o.growth).toFixed(3)} s (binning ${o.binning.toFixed(3)} + growth ${o.growth.toFixed(3)}), sklearn ${p ? `${p.fit_seconds.toFixed(3)} s` : 'n/a'}`);
}

const ourFit = median(ours.map((o) => o.binning + o.growth));
const rows: [string, string, string][] = [
  ['binning (s)', median(ours.map((o) => o.binning)).toFixed(3), '-'],
  ['tree growth (s)', median(ours.map((o) => o.growth)).toFixed(3), '-'],
  ['fit total (s)', ourFit.toFixed(3), peer.length ? median(peer.map((p) => p.fit_seconds)).toFixed(3) : 'n/a'],
  ['holdout AUC', ours[0]!.auc.toFixed(6), peer.length ? peer[0]!.auc.toFixed(6) : 'n/a'],
  ['leaves', String(ours[0]!.leaves), peer.length ? String(peer[0]!.leaves) : 'n/a'],
];
console.log(`\n${'metric'.padEnd(18)}${'cra'.padStart(12)}${'sklearn'.padStart(12)}`);
for (const [name, a, b] of rows) console.log(`${name.padEnd(18)}${a.padStart(12)}${b.padStart(12)}`);
if (peer.length) {
  const ratio = ourFit / median(peer.map((p) => p.fit_seconds));
  const aucGap = ours[0]!.auc - peer[0]!.auc;
  console.log(`\nfit time ratio cra/sklearn = ${ratio.toFixed(3)} (target ≤ 0.25: ${ratio <= 0.25 ? 'met' : 'NOT met'})`);
  console.log(`AUC difference cra - sklearn = ${aucGap.toFixed(4)} (target |Δ| ≤ 0.005: ${Math.abs(aucGap) <= 0.005 ? 'met' : 'NOT met'})`);
}
