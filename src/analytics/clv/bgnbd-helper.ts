/**
 * A second thread for the BG/NBD likelihood: a worker sums part 1 of the rows (bgnbd-parts.ts) while the calling
 * thread sums part 0. The worker is Gamma-Gamma's (fit-aside.ts): it serves here once its own fit is done, so the
 * two cores are never shared by three busy threads (a helper that must wait for a time slice would make each
 * evaluation as slow as one thread's, measured: the value stage took 31 s either way with a worker of its own).
 *
 * The fit is synchronous (Nelder–Mead calls the objective and waits for the number), so the two threads meet
 * through shared memory and Atomics, not messages: the caller writes the parameters and a request number, the
 * worker writes its part's sum and the number back. Until the worker is ready (it builds the same compressed rows
 * from copies of the inputs), or if it fails, the caller sums both parts itself: the same operations in the same
 * order, so the same bits either way, and the thread count never changes a fit.
 */
import { compressBgNbdRows, partSummer, type PartSummer } from './bgnbd-parts.js';

/** Slots of the shared Int32Array: the caller's request number, the worker's last done one, its state, stop. */
const REQUEST = 0;
const DONE = 1;
const STATE = 2;
const STOP = 3;
const READY = 1;
const FAILED = 2;
/** A worker that has not answered one request in this long is given up on (a part takes milliseconds). */
const GIVE_UP_MS = 30_000;

export interface BgNbdInputs {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weights?: Float64Array;
}

/** What the worker is given (in its workerData): copies of the inputs, and the shared memory. */
export interface HelperPort extends BgNbdInputs {
  ctrl: Int32Array;
  /** The four log-parameters, then the worker's part sum. */
  shared: Float64Array;
}

export interface LikelihoodHelper {
  /** The arrays it was opened on: a fit must pass these very arrays. */
  readonly inputs: BgNbdInputs;
  /** Part 0 + part 1 at `lp`, part 1 from the worker when it is ready. */
  sum(lp: ArrayLike<number>, summer: PartSummer): number;
  /** How many sums the worker took part in. */
  workerSums(): number;
  /** Whether the worker waits for requests. */
  ready(): boolean;
  /** Tells the worker to stop serving (idempotent); sums from then on are the caller's alone. */
  stop(): void;
}

/** The caller's side of a helper, and the port to hand to the worker that will serve it. */
export function openLikelihoodHelper(inputs: BgNbdInputs): { helper: LikelihoodHelper; port: HelperPort } {
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const shared = new Float64Array(new SharedArrayBuffer(5 * Float64Array.BYTES_PER_ELEMENT));
  let seq = 0;
  let sums = 0;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    Atomics.store(ctrl, STOP, 1);
    Atomics.add(ctrl, REQUEST, 1);
    Atomics.notify(ctrl, REQUEST);
  };
  const helper: LikelihoodHelper = {
    inputs,
    sum(lp, summer) {
      if (stopped || Atomics.load(ctrl, STATE) !== READY) return summer(lp, 0) + summer(lp, 1);
      for (let i = 0; i < 4; i++) shared[i] = lp[i] as number;
      seq++;
      Atomics.store(ctrl, REQUEST, seq);
      Atomics.notify(ctrl, REQUEST);
      const part0 = summer(lp, 0);
      const started = Date.now();
      while (Atomics.load(ctrl, DONE) !== seq) {
        if (Atomics.load(ctrl, STATE) === FAILED || Date.now() - started > GIVE_UP_MS) {
          stop();
          return part0 + summer(lp, 1);
        }
        Atomics.wait(ctrl, DONE, seq - 1, 100);
      }
      sums++;
      return part0 + (shared[4] as number);
    },
    workerSums: () => sums,
    ready: () => !stopped && Atomics.load(ctrl, STATE) === READY,
    stop,
  };
  return { helper, port: { ...inputs, ctrl, shared } };
}

/**
 * The worker's side: builds the compressed rows, then sums part 1 at each requested parameter vector until told to
 * stop. Blocks its thread meanwhile. A failure marks the port FAILED, and the caller then sums alone.
 */
export function serveLikelihoodParts(port: HelperPort): void {
  const { ctrl, shared } = port;
  try {
    // Stopped already (BG/NBD finished first): no rows to build.
    if (Atomics.load(ctrl, STOP) === 1) return;
    const summer = partSummer(compressBgNbdRows(port.x, port.tx, port.T, port.weights));
    const lp = new Float64Array(4);
    let seen = Atomics.load(ctrl, REQUEST);
    Atomics.store(ctrl, STATE, READY);
    for (;;) {
      // A stop raises REQUEST too: after `seen` was read it wakes the wait, before it this check sees it.
      if (Atomics.load(ctrl, STOP) === 1) return;
      Atomics.wait(ctrl, REQUEST, seen);
      if (Atomics.load(ctrl, STOP) === 1) return;
      const request = Atomics.load(ctrl, REQUEST);
      for (let i = 0; i < 4; i++) lp[i] = shared[i] as number;
      shared[4] = summer(lp, 1);
      seen = request;
      Atomics.store(ctrl, DONE, request);
      Atomics.notify(ctrl, DONE);
    }
  } catch {
    Atomics.store(ctrl, STATE, FAILED);
    Atomics.notify(ctrl, DONE);
  }
}
