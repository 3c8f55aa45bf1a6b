/**
 * Benchmark: predictive CLV on 100k simulated customers (daily resolution, weeks as the unit): fitBgNbd +
 * fitGammaGamma + discountedClv (12 months, 10 % a year).
 *
 * Peer: the lifetimes package cannot be installed here, so the peer is the same computation as lifetimes does it —
 * its BG/NBD and Gamma-Gamma negative log-likelihoods vectorised in numpy over all customers (no row compression),
 * minimised by scipy's Nelder–Mead from one start, and its conditional expectation with scipy's hyp2f1 for the
 * monthly CLV loop. It runs under Debian's /usr/bin/python3 (python3-scipy comes with python3-sklearn). The peer also
 * evaluates CLV with OUR fitted parameters, as a numerical cross-check of our hyp2f1/eq. 10 against scipy's.
 * Repeats alternate cra and the peer; medians per stage; the ratio is measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { discountedClv, fitBgNbd, fitGammaGamma, simulateCustomers } from '../src/analytics/clv/index.js';

const N = Number(process.env.CLV_N ?? 100_000);
const REPEATS = Number(process.env.CLV_REPEATS ?? 3);
const HORIZON_DAYS = 365;

const PEER = String.raw`
import json, sys, time
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1
d = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
x, tx, T, m = d[:, 0], d[:, 1], d[:, 2], d[:, 3]
ours = json.loads(sys.argv[2])
def bg_nll(lp):
    r, al, a, b = np.exp(lp)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(al)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(al + T)
    a4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(tx + al)
    mx = np.maximum(a3, a4)
    return -np.mean(a1 + a2 + mx + np.log(np.exp(a3 - mx) + (x > 0) * np.exp(a4 - mx)))
rx, rm = x[x > 0], m[x > 0]
def gg_nll(lp):
    p, q, v = np.exp(lp)
    px = p * rx
    return -np.mean(gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * np.log(rm)
                    + px * np.log(rx) - (px + q) * np.log(rx * rm + v))
def cond(t, r, al, a, b):
    A, B, C, z = r + x, b + x, a + b + x - 1, t / (al + T + t)
    num = C / (a - 1) * (1 - np.exp(np.log(hyp2f1(A, B, C, z)) + A * np.log((al + T) / (al + T + t))))
    return num / (1 + (x > 0) * (a / (b + np.maximum(x, 1) - 1)) * ((al + T) / (al + tx)) ** A)
def clv(bp, gp):
    r, al, a, b = bp; p, q, v = gp
    spend = np.where(x > 0, p * (v + x * m) / (p * x + q - 1), p * v / (q - 1))
    monthly = 1.1 ** (1 / 12) - 1; prev = 0.0; out = np.zeros_like(x)
    for k in range(1, 13):
        cur = cond(min(k * 30.4375, ${HORIZON_DAYS}) / 7, r, al, a, b)
        out += 0.3 * spend * (cur - prev) / (1 + monthly) ** k; prev = cur
    return out
rate = x.sum() / T.sum()
opts = {'xatol': 1e-6, 'fatol': 1e-11, 'maxiter': 3000}
t0 = time.perf_counter()
fb = minimize(bg_nll, np.log([0.5, 0.5 / rate, 1, 1]), method='Nelder-Mead', options=opts)
t1 = time.perf_counter()
fg = minimize(gg_nll, np.log([1, 2, rm.mean() / 1]), method='Nelder-Mead', options=opts)
t2 = time.perf_counter()
c = clv(np.exp(fb.x), np.exp(fg.x))
t3 = time.perf_counter()
ob, og = ours['bg'], ours['gg']
cross = clv([ob['r'], ob['alpha'], ob['a'], ob['b']], [og['p'], og['q'], og['v']])
print(json.dumps({'bg': t1 - t0, 'gg': t2 - t1, 'clv': t3 - t2, 'bgLogLik': -fb.fun * len(x), 'bgNfev': int(fb.nfev),
                  'ggNfev': int(fg.nfev), 'crossClv': cross.tolist()}))
`;

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const sim = simulateCustomers({
  n: N, seed: 7, bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 },
  minAge: 1, maxAge: 78, resolution: 1 / 7,
});

const dir = mkdtempSync(path.join(tmpdir(), 'cra-clv-bench-'));
const csv = path.join(dir, 'customers.csv');
const script = path.join(dir, 'peer.py');
writeFileSync(csv, ['x,tx,T,m', ...Array.from(sim.x, (xi, i) => `${xi},${sim.tx[i]},${sim.T[i]},${sim.m[i]}`)].join('\n'));
writeFileSync(script, PEER);

type Stages = { bg: number[]; gg: number[]; clv: number[] };
const times: Stages = { bg: [], gg: [], clv: [] };
const peerTimes: Stages = { bg: [], gg: [], clv: [] };
let peer: Record<string, unknown> | null = null;
let peerError = '';
let last: { bg: ReturnType<typeof fitBgNbd>; gg: ReturnType<typeof fitGammaGamma>; clv: Float64Array } | undefined;
// Repeats alternate cra and the peer, so both see the same machine load on average.
for (let rep = 0; rep < REPEATS; rep++) {
  const t0 = performance.now();
  const bg = fitBgNbd(sim.x, sim.tx, sim.T);
  const t1 = performance.now();
  const gg = fitGammaGamma(sim.x, sim.m);
  const t2 = performance.now();
  const clv = discountedClv({
    bgnbd: bg.params, gg: gg.params, x: sim.x, tx: sim.tx, T: sim.T, m: sim.m,
    horizonDays: HORIZON_DAYS, timeUnitDays: 7, annualDiscountRate: 0.1, marginRate: 0.3,
  });
  const t3 = performance.now();
  times.bg.push((t1 - t0) / 1000);
  times.gg.push((t2 - t1) / 1000);
  times.clv.push((t3 - t2) / 1000);
  last = { bg, gg, clv };
  if (peerError) continue;
  try {
    const arg = JSON.stringify({ bg: bg.params, gg: gg.params });
    const out = execFileSync('/usr/bin/python3', [script, csv, arg], { encoding: 'utf8', maxBuffer: 1 << 28 });
    peer = JSON.parse(out.trim().split('\n').pop() ?? 'null') as Record<string, unknown>;
    for (const k of ['bg', 'gg', 'clv'] as const) peerTimes[k].push(Number(peer[k]));
  } catch (err) {
    peerError = (err as Error).message.split('\n')[0] ?? 'failed';
  }
}
rmSync(dir, { recursive: true, force: true });
if (!last) throw new Error('no repeats');
const ours = { bg: median(times.bg), gg: median(times.gg), clv: median(times.clv) };
const theirs = peerError ? null : { bg: median(peerTimes.bg), gg: median(peerTimes.gg), clv: median(peerTimes.clv) };
console.log(`CLV benchmark: ${N} customers, ${last.bg.rows} distinct BG/NBD rows, ${last.gg.rows} Gamma-Gamma rows, median of ${REPEATS}`);
console.log(`cra  BG/NBD converged=${last.bg.converged} logLik=${last.bg.logLik.toFixed(3)} evals=${last.bg.evaluations}; GG converged=${last.gg.converged} evals=${last.gg.evaluations}`);
if (peerError) console.log(`peer (numpy/scipy) unavailable: ${peerError}`);

const fmt = (v: number): string => v.toFixed(3).padStart(9);
console.log('\nstage            cra (s)  scipy (s)  cra/scipy');
for (const k of ['bg', 'gg', 'clv'] as const) {
  const p = theirs ? theirs[k] : NaN;
  console.log(`${{ bg: 'fitBgNbd     ', gg: 'fitGammaGamma', clv: 'discountedClv' }[k]}  ${fmt(ours[k])}  ${fmt(p)}  ${fmt(ours[k] / p)}`);
}
const oursTotal = ours.bg + ours.gg + ours.clv;
const peerTotal = theirs ? theirs.bg + theirs.gg + theirs.clv : NaN;
console.log(`total          ${fmt(oursTotal)}  ${fmt(peerTotal)}  ${fmt(oursTotal / peerTotal)}`);
if (peer && theirs) {
  const cross = peer.crossClv as number[];
  let maxRel = 0;
  for (let i = 0; i < N; i++) {
    const a = last.clv[i] as number;
    maxRel = Math.max(maxRel, Math.abs(a - (cross[i] as number)) / Math.max(1e-9, Math.abs(a)));
  }
  console.log(`\npeer: 1 start, BG/NBD nfev=${peer.bgNfev}, GG nfev=${peer.ggNfev}, logLik=${Number(peer.bgLogLik).toFixed(3)} (cra ${last.bg.logLik.toFixed(3)})`);
  console.log(`cross-check: max relative CLV difference, cra vs scipy hyp2f1 on cra's parameters = ${maxRel.toExponential(2)}`);
}
