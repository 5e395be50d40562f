// The drift check: the newest imported dump planned against MO with every record compared, so the plan's writes
// are exactly where MO differs from what moflow last wrote — hand edits in MO, writes that failed. Every
// difference goes to a report file under the data folder; the run itself carries counts and a few lines. With
// fix, the differences are written through the import's own two steps (same guard, same journal), which plan
// again against MO as it is then, so a retried or repeated fix writes only what is still different.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { MoClient } from '../mo/index.js';
import type { DumpName } from '../opus/dumpName.js';
import type { DumpSource } from '../sources/types.js';
import { MassChangeRefused, planDump, type DumpRef, type ImportSettings } from '../sync/importDump.js';
import { currentGeneration, dumpRunState, runningSyncs } from '../temporal/opusHistory.js';
import { makePrivateDir } from '../util/privateDir.js';
import { runImportStep, type StepOptions } from './importSteps.js';
import { appendJournal } from './journal.js';
import { differenceLine, type DriftDifference, type DriftFix, type DriftResult } from './driftText.js';
import type { ImportStep } from './types.js';

export type { DriftResult } from './driftText.js';

const FIRST = 20;

export interface DriftOptions {
  fix: boolean;
  /** Where the report goes (`<data>/opus/drift`). */
  reportDir: string;
  /** Where the fix's writes are journaled (the import reports' folder, for `moflow opus history`). */
  journalDir: string | null;
  checkedAt: string;
  onStage?: (stage: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export async function checkDrift(client: MoClient, source: DumpSource, ref: DumpRef, settings: ImportSettings, options: DriftOptions): Promise<DriftResult> {
  const { plan } = await planDump(client, source, ref, { ...settings, full: true }, options.onStage);
  const differences: DriftDifference[] = plan.ops.map(({ op, subject, reason }) => ({ kind: op.kind, action: op.action, opusId: subject.opusId, subject: subject.label, reason }));
  const counts: Record<string, Record<string, number>> = {};
  for (const d of differences) (counts[d.kind] ??= {})[d.action] = (counts[d.kind]![d.action] ?? 0) + 1;
  const fix = options.fix && differences.length > 0 ? await applyFix(client, source, ref, settings, options) : null;
  const result: DriftResult = {
    dump: ref.name,
    previous: ref.previous,
    checkedAt: options.checkedAt,
    differences: differences.length,
    counts,
    issues: plan.issues.length,
    first: differences.slice(0, FIRST).map(differenceLine),
    reportFile: join(options.reportDir, `${options.checkedAt.replace(/:/g, '-')}.json`),
    fix,
    note: null,
  };
  makePrivateDir(options.reportDir);
  // Labels and OPUS ids only, but they name people: readable by moflow's user only.
  const report = { ...result, first: undefined, differences, issues: plan.issues.map((i) => i.message) };
  writeFileSync(result.reportFile!, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  return result;
}

async function applyFix(client: MoClient, source: DumpSource, ref: DumpRef, settings: ImportSettings, options: DriftOptions): Promise<DriftFix> {
  const fix: DriftFix = { written: 0, failed: 0, held: null, failures: [] };
  const steps: [ImportStep, boolean][] = [
    ['units', false],
    ['employees', true],
  ];
  for (const [step, approved] of steps) {
    options.onStage?.(`fixing: writing ${step}`);
    const stepOptions: StepOptions = { approved, full: true, attempt: 1, resumedAfter: null, onStage: options.onStage, onProgress: options.onProgress };
    try {
      const { result, report } = await runImportStep(client, source, ref, settings, step, stepOptions);
      if (options.journalDir) appendJournal(options.journalDir, ref.name, `drift-fix ${step}`, report.journal ?? []);
      for (const outcomes of Object.values(result.counts)) {
        fix.written += (outcomes.created ?? 0) + (outcomes.updated ?? 0) + (outcomes.terminated ?? 0) + (outcomes.deleted ?? 0);
      }
      fix.failed += result.failureCount;
      fix.failures.push(...result.failures.map((f) => `${f.write} ${f.subject}: ${f.reason}`).slice(0, FIRST - fix.failures.length));
    } catch (error) {
      if (!(error instanceof MassChangeRefused)) throw error;
      fix.held = error.message;
      return fix;
    }
  }
  return fix;
}

/**
 * Why MO cannot be checked now, or null: while a sync (or rebuild) writes, MO is between two dumps and a fix would
 * write the older one over the newer.
 */
export async function syncInTheWay(client: Client): Promise<string | null> {
  const [running] = await runningSyncs(client);
  return running ? `a sync is running (${running.workflowId}); check again when it has stopped (moflow opus status)` : null;
}

/**
 * The newest dump whose import completed in the chain syncs continue (a rebuild's, once there is one), and the
 * one imported before it (the import compared it with that one, and so does the check). Skipped dumps are not
 * imported: they are passed by.
 */
export async function newestImported(client: Client, dumps: readonly DumpName[]): Promise<DumpRef | null> {
  const { generation } = await currentGeneration(client);
  let found: string | null = null;
  for (let i = dumps.length - 1; i >= 0; i--) {
    if ((await dumpRunState(client, dumps[i]!.timestamp, generation)).state !== 'imported') continue;
    if (found !== null) return { name: found, previous: dumps[i]!.name };
    found = dumps[i]!.name;
  }
  return found === null ? null : { name: found, previous: null };
}
