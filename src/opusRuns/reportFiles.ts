// The full report of a run, as a JSON file under the data folder: every failure and issue, which the
// workflow's result and memo only list the first of (payloads must stay small). Each write step leaves its
// part; recording the run joins them into `<dump>.json`.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportReport } from '../sync/apply.js';
import type { ImportRunReport, ImportStep } from './types.js';

const STEPS: ImportStep[] = ['units', 'employees'];

const stepFile = (dir: string, dump: string, step: ImportStep) => join(dir, `${dump}.${step}.json`);

export function writeStepReport(dir: string, dump: string, step: ImportStep, report: ImportReport): void {
  mkdirSync(dir, { recursive: true });
  writeAtomically(stepFile(dir, dump, step), { failures: report.failures, issues: step === 'units' ? report.issues : [] });
}

/** Writes `<dump>.json` (the run's report with every failure and issue) and returns its path. */
export function writeRunReport(dir: string, run: ImportRunReport): string {
  mkdirSync(dir, { recursive: true });
  const parts = STEPS.map((step) => stepFile(dir, run.dump, step))
    .filter((path) => existsSync(path))
    .map((path) => JSON.parse(readFileSync(path, 'utf8')) as Pick<ImportReport, 'failures' | 'issues'>);
  const path = join(dir, `${run.dump}.json`);
  writeAtomically(path, { ...run, failures: parts.flatMap((p) => p.failures), issues: parts.flatMap((p) => p.issues) });
  for (const step of STEPS) rmSync(stepFile(dir, run.dump, step), { force: true });
  return path;
}

function writeAtomically(path: string, value: unknown): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(partial, path);
}
