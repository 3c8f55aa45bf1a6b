/**
 * A progress line for long stages, only on a terminal (contract §1: never in logs or pipes). It wraps the human
 * logger: when a stage starts, a line `⠋ identity 12 s` is redrawn in place every 250 ms; any log line or the end
 * of the stage clears it first, so it never mixes with real output. Stages under a second never show it.
 */
import type { Logger } from './logger.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function withProgress(inner: Logger, stream: NodeJS.WriteStream = process.stderr): Logger & { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let shown = false;
  const clear = (): void => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    clear();
  };
  const start = (stage: string): void => {
    stop();
    const started = Date.now();
    let frame = 0;
    timer = setInterval(() => {
      const seconds = (Date.now() - started) / 1000;
      if (seconds < 1) return;
      stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${stage} ${seconds.toFixed(0)} s`);
      shown = true;
    }, 250);
    timer.unref();
  };
  const wrap = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>): void => {
    clear();
    inner[level](message, fields);
    if (fields?.event === 'stage_start') start(String(fields.stage));
    else if (fields?.event === 'stage_end' || fields?.event === 'stage_skipped') stop();
  };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error'), stop };
}
