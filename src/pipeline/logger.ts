/**
 * Logs go to stderr (contract §1): human lines on a TTY, JSON lines with --json or when stderr is not a TTY, so
 * cron mail and log shippers get one parseable object per line. Tests pass a memory logger instead.
 */

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  json: boolean;
  quiet: boolean;
  debug: boolean;
  stream?: NodeJS.WritableStream;
  clock?: () => Date;
}

const rank: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const clock = options.clock ?? (() => new Date());
  const minimum: Level = options.debug ? 'debug' : options.quiet ? 'warn' : 'info';
  const write = (level: Level, message: string, fields: Record<string, unknown> = {}): void => {
    if (rank[level] < rank[minimum]) return;
    if (options.json) {
      stream.write(`${JSON.stringify({ time: clock().toISOString(), level, message, ...fields })}\n`);
    } else {
      const prefix = level === 'info' ? '' : `${level}: `;
      stream.write(`${prefix}${message}\n`);
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(): Logger & { lines: { level: Level; message: string }[] } {
  const lines: { level: Level; message: string }[] = [];
  const push = (level: Level) => (message: string) => void lines.push({ level, message });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
