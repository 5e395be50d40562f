// A plan and an import report as text for operators: counts first, then issues and the writes.
import type { ImportReport } from './apply.js';
import { massChangeRefusal, type GuardOptions } from './plan/guard.js';
import type { Plan } from './plan/types.js';

const ACTIONS = ['create', 'update', 'terminate', 'delete'] as const;

export function planSummary(plan: Plan, guard: GuardOptions, previous: string | null): string {
  const lines: string[] = [];
  lines.push(`plan for ${plan.dump} (changes take effect ${plan.effective})${previous ? `, compared with ${previous}` : ', every record compared with MO'}`);
  const counts = new Map<string, Record<string, number>>();
  for (const { op } of plan.ops) {
    const row = counts.get(op.kind) ?? {};
    row[op.action] = (row[op.action] ?? 0) + 1;
    counts.set(op.kind, row);
  }
  const kinds = [...new Set([...counts.keys(), ...Object.keys(plan.unchanged)])].sort();
  lines.push(`${'kind'.padEnd(12)}${ACTIONS.map((a) => a.padStart(10)).join('')}${'unchanged'.padStart(11)}`);
  for (const kind of kinds) {
    const row = counts.get(kind) ?? {};
    lines.push(`${kind.padEnd(12)}${ACTIONS.map((a) => String(row[a] ?? 0).padStart(10)).join('')}${String(plan.unchanged[kind] ?? 0).padStart(11)}`);
  }
  lines.push(`${plan.ops.length} writes in all`);
  const m = plan.massChange;
  const refusal = massChangeRefusal(m, guard);
  lines.push(
    `mass-change guard: ends ${m.endingEngagements} of ${m.activeEngagements} engagements and ${m.endingUnits} of ${m.activeUnits} units, renames ${m.renamedPeople ?? 0} of ${m.people ?? 0} people, creates ${m.newClasses ?? 0} classes — ${refusal ? 'NEEDS APPROVAL' : 'within limits'}`,
  );
  return lines.join('\n');
}

export function planDetails(plan: Plan, limit: number): string {
  const lines: string[] = [];
  if (plan.issues.length > 0) {
    lines.push(`issues (${plan.issues.length}):`);
    for (const issue of plan.issues.slice(0, limit)) lines.push(`  ${issue.message}`);
    if (plan.issues.length > limit) lines.push(`  … and ${plan.issues.length - limit} more`);
  }
  lines.push(`writes (${plan.ops.length}):`);
  for (const { op, subject, reason } of plan.ops.slice(0, limit)) {
    lines.push(`  ${`${op.kind} ${op.action}`.padEnd(22)} ${subject.label}: ${reason}`);
  }
  if (plan.ops.length > limit) lines.push(`  … and ${plan.ops.length - limit} more (--limit to see more, --json for all)`);
  return lines.join('\n');
}

/** `fullList`: where every failure is (the summary lists the first `limit`). */
export function reportSummary(report: ImportReport, { limit = 50, fullList }: { limit?: number; fullList?: string } = {}): string {
  const lines = [`imported ${report.dump} (effective ${report.effective}) in ${(report.durationMs / 1000).toFixed(1)} s`];
  for (const [kind, counts] of Object.entries(report.counts).sort()) {
    lines.push(`  ${kind.padEnd(12)} ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  if (report.failures.length > 0) {
    lines.push(`failures (${report.failures.length}):`);
    for (const f of report.failures.slice(0, limit)) lines.push(`  ${f.write} ${f.subject}: ${f.reason}`);
    if (report.failures.length > limit) lines.push(`  … and ${report.failures.length - limit} more${fullList ? ` (all in ${fullList})` : ''}`);
    lines.push(`imported with ${report.failures.length} refused write(s)${fullList ? `; the full list is in ${fullList}` : ''}`);
  }
  if (report.issues.length > 0) lines.push(`${report.issues.length} issues in the dump (moflow opus plan lists them)`);
  return lines.join('\n');
}
