// One `moflow start` per data folder. A second one would start a second Temporal server on the same
// temporal.db and a second worker on the same task queue (and share the embedded PostgreSQL): it is refused,
// naming the running one. The lock is a file holding the owner's PID and URLs, created exclusively; one left
// by a process that no longer runs (killed outright) is taken over.
import { openSync, readFileSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/output.js';

export const LOCK_NAME = 'moflow-start.json';

export interface InstanceInfo {
  pid: number;
  startedAt: string;
  temporalUi?: string | null;
  temporal?: string;
  mo?: string | null;
}

export class AlreadyRunningError extends UsageError {}

export interface InstanceLock {
  /** Adds the URLs once known, so a refused second start can name them. */
  update(info: Partial<InstanceInfo>): void;
  release(): void;
}

export function acquireInstanceLock(dataDir: string): InstanceLock {
  const path = join(dataDir, LOCK_NAME);
  let info: InstanceInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(info));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const other = readLock(path);
      if (other && other.pid !== process.pid && isMoflow(other.pid)) throw new AlreadyRunningError(refusal(other, dataDir));
      unlinkSync(path); // left by a moflow that was killed outright
    }
  }
  const release = () => {
    if (readLock(path)?.pid === process.pid) unlinkSync(path);
    process.off('exit', release);
  };
  process.on('exit', release);
  return {
    update(more) {
      info = { ...info, ...more };
      writeFileSync(path, JSON.stringify(info), { mode: 0o600 });
    },
    release,
  };
}

function refusal(other: InstanceInfo, dataDir: string): string {
  const urls = [
    other.temporalUi ? `Temporal UI ${other.temporalUi}` : null,
    other.temporal ? `frontend ${other.temporal}` : null,
    other.mo ? `local MO ${other.mo}` : null,
  ].filter(Boolean);
  return (
    `moflow start is already running on the data folder ${dataDir}: PID ${other.pid}, since ${other.startedAt}${urls.length ? `; ${urls.join(', ')}` : ''}. ` +
    'A second one would run a second Temporal server on the same history and a second worker on the same task queue. ' +
    `Use the running one, stop it first (kill ${other.pid}), or give this one another data folder (moflow.data_dir / MOFLOW_DATA_DIR).`
  );
}

function readLock(path: string): InstanceInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as InstanceInfo;
    return Number.isInteger(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Alive and a moflow (a PID reused by another program after a reboot does not count). */
function isMoflow(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('moflow');
  } catch {
    return true; // no /proc (not Linux): alive is the best we know
  }
}
