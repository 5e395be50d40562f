// What a drift check finds, as data and as words: the result a run carries (counts and a few lines, never the
// whole list) and its text for the memo, the alert and the CLI. Pure: the workflow sandbox imports it.

export interface DriftDifference {
  kind: string;
  action: string;
  opusId: string | null;
  /** The plan's label: never a CPR number. */
  subject: string;
  reason: string;
}

export interface DriftFix {
  /** Writes MO took (created, updated, terminated, deleted). */
  written: number;
  /** Writes MO refused, or skipped because one they needed was refused. */
  failed: number;
  /** The mass-change guard's reason when it held the fix back (nothing written), else null. */
  held: string | null;
  /** The first refusals, for the run's memo and the CLI. */
  failures: string[];
}

export interface DriftResult {
  /** The dump MO was compared with; null when nothing was imported yet. */
  dump: string | null;
  previous: string | null;
  checkedAt: string;
  differences: number;
  /** Differences per MO object kind and action. */
  counts: Record<string, Record<string, number>>;
  /** The dump's data problems (the import reports them every time): not differences. */
  issues: number;
  /** The first differences as lines; the report file holds them all. */
  first: string[];
  reportFile: string | null;
  fix: DriftFix | null;
  note: string | null;
}

export function differenceLine(d: DriftDifference): string {
  return `${`${d.kind} ${d.action}`.padEnd(22)} ${d.subject}: ${d.reason}`;
}

/** One line: how many differences, by kind and action, and what happened to them. */
export function driftSummary(result: DriftResult): string {
  if (result.dump === null) return `nothing to compare: ${result.note ?? 'no dump has been imported yet'}`;
  const byKind = Object.entries(result.counts)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([kind, actions]) => Object.entries(actions).map(([action, n]) => `${kind} ${action} ${n}`));
  const found = result.differences === 0 ? 'no differences' : `${result.differences} difference(s) (${byKind.join(', ')})`;
  return `MO against ${result.dump}: ${found}${fixText(result.fix)}`;
}

function fixText(fix: DriftFix | null): string {
  if (fix === null) return '';
  if (fix.held) return `; the fix is held back by the mass-change guard: ${fix.held}`;
  return `; fixed: ${fix.written} write(s)${fix.failed > 0 ? `, ${fix.failed} refused` : ''}`;
}

/** The check as an operator reads it: the summary, the first differences, where the rest is, what to do. */
export function driftText(result: DriftResult): string {
  const lines = [`drift check: ${driftSummary(result)}`];
  if (result.dump === null) return lines.join('\n');
  lines.push(`  compared with ${result.previous ?? 'no earlier dump'}; every record compared with MO${result.issues > 0 ? `; ${result.issues} issue(s) in the dump, as at its import (not differences)` : ''}`);
  for (const line of result.first) lines.push(`  ${line}`);
  if (result.differences > result.first.length) lines.push(`  … and ${result.differences - result.first.length} more`);
  if (result.reportFile) lines.push(`  every difference is in ${result.reportFile}`);
  for (const failure of result.fix?.failures ?? []) lines.push(`  refused: ${failure}`);
  if (result.differences > 0 && result.fix === null) lines.push('  report only: `moflow opus drift --fix` writes MO back to the dump (or set moflow.drift.fix)');
  return lines.join('\n');
}

/** Differences remain: found and not fixed, held back, or refused. */
export function driftRemains(result: DriftResult): boolean {
  if (result.differences === 0) return false;
  return result.fix === null || result.fix.held !== null || result.fix.failed > 0;
}
