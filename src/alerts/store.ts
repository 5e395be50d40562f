// What the alert activity remembers under <data folder>/alerts: which alerts went out on which channel (a
// retried activity, or a run replayed after a crash, sends each event once per channel), and each stream's
// last problem (the next success sends 'recovered'). Small JSON files, written whole by rename.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StreamProblem } from './compose.js';
import type { AlertStream } from './events.js';

export type AlertChannel = 'smtp' | 'webhook';

/** Records of alerts sent are dropped after this long: retries of one event come within minutes. */
const KEEP_SENT_MS = 90 * 24 * 3600 * 1000;

export class AlertStore {
  private readonly sentDir: string;

  constructor(readonly dir: string) {
    this.sentDir = join(dir, 'sent');
  }

  wasSent(key: string, channel: AlertChannel): boolean {
    try {
      statSync(this.sentFile(key, channel));
      return true;
    } catch {
      return false;
    }
  }

  markSent(key: string, channel: AlertChannel): void {
    writeWhole(this.sentFile(key, channel), JSON.stringify({ key, channel, at: new Date().toISOString() }));
  }

  /** The stream's last problem not yet recovered from, or null. */
  problem(stream: AlertStream): StreamProblem | null {
    try {
      return JSON.parse(readFileSync(this.streamFile(stream), 'utf8')) as StreamProblem;
    } catch {
      return null;
    }
  }

  setProblem(stream: AlertStream, problem: StreamProblem | null): void {
    if (problem === null) rmSync(this.streamFile(stream), { force: true });
    else writeWhole(this.streamFile(stream), JSON.stringify(problem));
  }

  /** Forgets sent records older than KEEP_SENT_MS. */
  prune(now = Date.now()): void {
    let names: string[];
    try {
      names = readdirSync(this.sentDir);
    } catch {
      return; // nothing sent yet
    }
    for (const name of names) {
      const file = join(this.sentDir, name);
      try {
        if (now - statSync(file).mtimeMs > KEEP_SENT_MS) rmSync(file, { force: true });
      } catch {
        // gone meanwhile (another worker pruned it)
      }
    }
  }

  private sentFile(key: string, channel: AlertChannel): string {
    return join(this.sentDir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.${channel}.json`);
  }

  private streamFile(stream: AlertStream): string {
    return join(this.dir, `${stream}.problem.json`);
  }
}

/** Created when first written: a worker with alerts off leaves no folder behind. */
function writeWhole(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}
