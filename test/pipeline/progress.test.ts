import { describe, expect, it, vi } from 'vitest';
import { memoryLogger } from '../../src/pipeline/logger.js';
import { withProgress } from '../../src/pipeline/progress.js';

describe('progress line', () => {
  it('draws after a second, clears before any log line and at the end of the stage', () => {
    vi.useFakeTimers();
    let out = '';
    const stream = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
    const inner = memoryLogger();
    const log = withProgress(inner, stream);
    log.info('stage ingest …', { stage: 'ingest', event: 'stage_start' });
    vi.advanceTimersByTime(500);
    expect(out).toBe('');
    vi.advanceTimersByTime(1000);
    expect(out).toContain("\r\x1b[2K⠙ ingest 1 s");
    expect(out).toMatch(/ingest 2 s$/);
    out = '';
    log.warn('a warning');
    expect(out).toBe('\r\x1b[2K');
    log.info('stage ingest done', { stage: 'ingest', event: 'stage_end' });
    out = '';
    vi.advanceTimersByTime(5000);
    expect(out).toBe('');
    expect(inner.lines.map((l) => l.message)).toEqual(['stage ingest …', 'a warning', 'stage ingest done']);
    vi.useRealTimers();
  });
});
