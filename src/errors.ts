/**
 * The error types cra raises on purpose. Every failure a user can cause or fix is a CraError carrying the exit
 * code the contract assigns (§1); anything else is a bug and surfaces as exit 1 with the stack only under --debug.
 * cli/index.ts is the single place that turns these into messages and exit codes.
 */

export const ExitCode = {
  ok: 0,
  /** Data or runtime error, or a failed stage. */
  runtime: 1,
  /** Usage or pipeline-file error. */
  usage: 2,
  /** Another run of the same pipeline holds the lock. */
  locked: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CraError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** A stable machine-readable code for --json consumers (e.g. `config_invalid`). */
    readonly code: string,
  ) {
    super(message);
    this.name = 'CraError';
  }
}

/** The pipeline file or the command line is wrong: exit 2. */
export class UsageError extends CraError {
  constructor(message: string, code = 'usage') {
    super(message, ExitCode.usage, code);
  }
}

/** The data or the run failed: exit 1. */
export class DataError extends CraError {
  constructor(message: string, code = 'data') {
    super(message, ExitCode.runtime, code);
  }
}

/** A stage declined to run on this data (too little history, one class only); recorded, exit 0 unless --strict. */
export class StageSkip extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StageSkip';
  }
}
