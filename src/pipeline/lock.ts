/**
 * One run per pipeline at a time. The lock is a file in state_dir created with O_EXCL, holding pid, host and
 * start time; a second run exits 3 naming the holder. A lock whose pid is dead on this host is stale and is taken
 * over with a warning (a run killed with SIGKILL leaves one behind).
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { CraError, ExitCode } from '../errors.js';
import type { Logger } from './logger.js';

interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(stateDir: string, log: Logger, now: Date): () => void {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, 'run.lock');
  const info: LockInfo = { pid: process.pid, host: hostname(), started_at: now.toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        holder = undefined;
      }
      if (holder && holder.host === info.host && !alive(holder.pid)) {
        log.warn(`taking over a stale lock left by pid ${holder.pid} (started ${holder.started_at}), which is no longer running`);
        rmSync(file, { force: true });
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.started_at}` : 'an unreadable lock file';
      throw new CraError(`another run of this pipeline holds the lock (${who}); wait for it, or remove ${file} if that run is gone`, ExitCode.locked, 'locked');
    }
  }
  throw new CraError(`could not take the lock ${file}`, ExitCode.locked, 'locked');
}
