// The full report of a run, as a JSON file under the data folder: every failure and issue, which the
// workflow's result and memo only list the first of (payloads must stay small). Each write step leaves its
// part; recording the run joins them into `<dump>.json`. Every write with its outcome goes to the journal
// (journal.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportReport } from '../sync/apply.js';
import { appendJournal } from './journal.js';
import type { ImportRunReport, RunStep } from './types.js';

const STEPS: RunStep[] = ['units', 'employees', 'primary'];

const stepFile = (dir: string, dump: string, step: RunStep) => join(dir, `${dump}.${step}.json`);

export function writeStepReport(dir: string, dump: string, step: RunStep, report: ImportReport): void {
  mkdirSync(dir, { recursive: true });
  appendJournal(dir, dump, step, report.journal ?? []);
  writeAtomically(stepFile(dir, dump, step), { failures: report.failures, issues: step === 'units' ? report.issues : [] });
}

/** Writes `<dump>.json` (the run's report with every failure and issue) and returns its path. */
export function writeRunReport(dir: string, run: ImportRunReport): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${run.dump}.json`);
  const stepFiles = STEPS.map((step) => stepFile(dir, run.dump, step)).filter((file) => existsSync(file));
  // A retry after a crash between writing the report and removing the step files finds only the report.
  const parts = (stepFiles.length > 0 ? stepFiles : existsSync(path) ? [path] : []).map(
    (file) => JSON.parse(readFileSync(file, 'utf8')) as Pick<ImportReport, 'failures' | 'issues'>,
  );
  writeAtomically(path, { ...run, failures: parts.flatMap((p) => p.failures), issues: parts.flatMap((p) => p.issues) });
  for (const file of stepFiles) rmSync(file, { force: true });
  return path;
}

function writeAtomically(path: string, value: unknown): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(partial, path);
}
