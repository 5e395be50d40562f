// Every write a run planned, with its outcome, one JSON line each in `<dump>.writes.jsonl` next to the run's
// report: what `moflow opus history` reads to tell what happened to one employment or person. Each write step
// appends what its attempt wrote, so a step retried after a crash adds the rest and never rewrites the lines
// of the attempt before it. Ids and uuids only: no CPR number is ever written here.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry } from '../sync/apply.js';
import { makePrivateDir } from '../util/privateDir.js';

export interface JournalLine extends JournalEntry {
  dump: string;
  step: string;
  /** When the step recorded it (ISO 8601, UTC). */
  at: string;
}

export const JOURNAL_SUFFIX = '.writes.jsonl';

export const journalFile = (dir: string, dump: string) => join(dir, `${dump}${JOURNAL_SUFFIX}`);

export function appendJournal(dir: string, dump: string, step: string, entries: readonly JournalEntry[], now = new Date()): void {
  if (entries.length === 0) return;
  makePrivateDir(dir);
  const at = now.toISOString();
  const text = entries.map((e) => JSON.stringify({ dump, step, at, ...e } satisfies JournalLine)).join('\n');
  // One append per step: a reader sees a step's lines whole or not at all on any local file system.
  appendFileSync(journalFile(dir, dump), `${text}\n`, { mode: 0o600 });
}
