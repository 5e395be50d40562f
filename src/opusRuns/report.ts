// A run's report from its steps' results, and its one-line summary (the memo the UI and `moflow opus status`
// show). Pure and free of Node modules: the import workflow builds the report itself.
import type { Outcome } from '../sync/apply.js';
import type { FetchedDumps, ImportRunReport, OutcomeCounts, StepResult, ValidationResult } from './types.js';

const LISTED = 50;
const ORDER: Outcome[] = ['created', 'updated', 'terminated', 'deleted', 'unchanged', 'skipped', 'failed'];

export interface RunFacts {
  dump: string;
  timestamp: string;
  previous: string | null;
  fetched: FetchedDumps | null;
  validation: ValidationResult | null;
  steps: StepResult[];
  approvedBy: string | null;
  durationMs: number;
  reportFile: string | null;
}

export function runReport(facts: RunFacts): ImportRunReport {
  const counts: OutcomeCounts = {};
  const add = (kind: string, outcome: Outcome, n: number) => {
    const row = (counts[kind] ??= {});
    row[outcome] = (row[outcome] ?? 0) + n;
  };
  for (const step of facts.steps) {
    for (const [kind, row] of Object.entries(step.counts)) for (const [outcome, n] of Object.entries(row)) add(kind, outcome as Outcome, n ?? 0);
  }
  // Unchanged as the first step saw them: the later step's plan counts what the first one just wrote.
  for (const [kind, n] of Object.entries(facts.steps[0]?.unchanged ?? {})) add(kind, 'unchanged', n);
  const totals: Partial<Record<Outcome, number>> = {};
  for (const row of Object.values(counts)) for (const [outcome, n] of Object.entries(row)) totals[outcome as Outcome] = (totals[outcome as Outcome] ?? 0) + (n ?? 0);
  const attempts = [facts.fetched?.attempt ?? 1, facts.validation?.attempt ?? 1, ...facts.steps.map((s) => s.attempt)];
  return {
    dump: facts.dump,
    timestamp: facts.timestamp,
    previous: facts.previous,
    status: 'imported',
    sha256: facts.fetched?.dump.sha256 ?? null,
    validation: facts.validation,
    counts,
    totals,
    failures: facts.steps.flatMap((s) => s.failures).slice(0, LISTED),
    failureCount: facts.steps.reduce((n, s) => n + s.failureCount, 0),
    issues: facts.steps.flatMap((s) => s.issues).slice(0, LISTED),
    issueCount: facts.steps.reduce((n, s) => n + s.issueCount, 0),
    approvedBy: facts.approvedBy,
    steps: facts.steps.map((s) => ({ step: s.step, durationMs: s.durationMs, ...(s.writeMs !== undefined ? { writeMs: s.writeMs } : {}), resumedAfter: s.resumedAfter, ...(s.planReused ? { planReused: true } : {}), ...(s.people !== undefined ? { people: s.people } : {}) })),
    resumes: facts.steps.filter((s) => s.resumedAfter !== null).length,
    retries: attempts.reduce((n, a) => n + a - 1, 0),
    durationMs: facts.durationMs,
    reportFile: facts.reportFile,
  };
}

export function skippedReport(dump: string, timestamp: string, reason: string, by: string): ImportRunReport {
  return {
    dump,
    timestamp,
    previous: null,
    status: 'skipped',
    skipped: { reason, by },
    sha256: null,
    validation: null,
    counts: {},
    totals: {},
    failures: [],
    failureCount: 0,
    issues: [],
    issueCount: 0,
    approvedBy: null,
    steps: [],
    resumes: 0,
    retries: 0,
    durationMs: 0,
    reportFile: null,
  };
}

/** `created 12, updated 340, terminated 3, unchanged 8000, failed 0` — DIPEX's db_overview had only the status. */
export function countsLine(totals: Partial<Record<Outcome, number>>): string {
  return ORDER.filter((o) => o === 'failed' || (totals[o] ?? 0) > 0)
    .map((o) => `${o} ${totals[o] ?? 0}`)
    .join(', ');
}

export function summaryLine(report: ImportRunReport): string {
  if (report.status === 'skipped') return `skipped by ${report.skipped?.by ?? 'an operator'}: ${report.skipped?.reason ?? ''}`;
  const extra = [
    report.issueCount > 0 ? `${report.issueCount} issue(s) in the dump (listed in <data folder>/opus/reports/${report.dump}.json)` : null,
    report.approvedBy ? `mass change approved by ${report.approvedBy}` : null,
    report.resumes > 0 ? `resumed ${report.resumes}×` : null,
  ].filter(Boolean);
  return `${countsLine(report.totals)}${extra.length ? `; ${extra.join('; ')}` : ''} in ${(report.durationMs / 1000).toFixed(1)} s`;
}
