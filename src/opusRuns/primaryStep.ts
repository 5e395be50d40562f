// The last write step of a dump's import: the primary engagement recomputed from MO after the employees step
// wrote the engagements (src/sync/primary/recompute.ts), for the people owning an engagement that step wrote
// (its plan's engagedPeople, kept on its worker). The plan already compared every person the dump touched with
// MO and wrote each class that differs, so a person without an engagement write was right when planned; those
// with one are checked: this normally writes nothing and corrects what differs from the rule (a write that
// failed, a class MO filled in otherwise than the plan expected). When the worker kept nothing (another worker,
// a restart) it reads everybody the dump touched, by CPR number and employment id. Planned when it runs: a
// retry writes only what is left.
import type { MoClient } from '../mo/index.js';
import type { ImportReport } from '../sync/apply.js';
import { prepareDump, type DumpRef, type ImportSettings } from '../sync/importDump.js';
import { recomputePrimary, type PrimaryScope } from '../sync/primary/recompute.js';
import type { DumpSource } from '../sources/types.js';
import { LISTED, stepSettings, type StepOptions } from './importSteps.js';
import type { StepResult } from './types.js';
import { employmentIdsOf } from '../sync/prepare.js';

/** What `moflow opus primary` (and the opusComputePrimary workflow) did: counts and the first failures. */
export interface PrimaryRunResult {
  people: number;
  planned: number;
  counts: StepResult['counts'];
  failures: StepResult['failures'];
  failureCount: number;
  issues: string[];
  durationMs: number;
}

/** The primary engagement of some people, or everybody, recomputed from MO alone (no dump). */
export async function runPrimaryRecompute(
  client: MoClient,
  input: { employmentIds: string[]; all: boolean },
  options: { municipalityName: string; primaryOrder?: readonly string[] | undefined; dryRun?: boolean; onStage?: (stage: string) => void; onProgress?: (done: number, total: number) => void },
): Promise<{ result: PrimaryRunResult; plan: Awaited<ReturnType<typeof recomputePrimary>>['plan'] }> {
  const started = Date.now();
  const { primaryOrder, ...rest } = options;
  const { plan, people, report } = await recomputePrimary(client, input.all ? { all: true } : { cprs: [], employmentIds: input.employmentIds }, {
    ...rest,
    ...(primaryOrder ? { primaryOrder } : {}),
  });
  const failures = report?.failures ?? [];
  return {
    plan,
    result: {
      people,
      planned: plan.ops.length,
      counts: report?.counts ?? {},
      failures: failures.slice(0, LISTED),
      failureCount: failures.length,
      issues: plan.issues.map((i) => i.message).slice(0, LISTED),
      durationMs: Date.now() - started,
    },
  };
}

export async function runPrimaryStep(
  client: MoClient,
  source: DumpSource,
  ref: DumpRef,
  settings: ImportSettings,
  options: Omit<StepOptions, 'approved'> & { people?: string[] | null },
): Promise<{ result: StepResult; report: ImportReport }> {
  const started = Date.now();
  const scope = options.people ? { personUuids: options.people } : await scopeOfDump(source, ref, settings, options);
  const { plan, people, report } = await recomputePrimary(client, scope, {
    municipalityName: settings.municipalityName,
    ...(settings.plan.primaryOrder ? { primaryOrder: settings.plan.primaryOrder } : {}),
    ...(options.onStage ? { onStage: options.onStage } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const written = report!;
  return {
    report: { ...written, dump: ref.name },
    result: {
      step: 'primary',
      planned: plan.ops.length,
      people,
      counts: written.counts,
      unchanged: {},
      failures: written.failures.slice(0, LISTED),
      failureCount: written.failures.length,
      // Its issues (two "explicitly primary" at once) are the units step's too: that step's plan reports them.
      issues: [],
      issueCount: 0,
      massChange: plan.massChange,
      durationMs: Date.now() - started,
      writeMs: written.durationMs,
      attempt: options.attempt,
      resumedAfter: options.resumedAfter,
    },
  };
}

/**
 * Everybody the dump touched, found in MO by CPR number and employment id: when the employees step's worker did
 * not keep the people whose engagements it wrote (another worker, a restart). The prepared input of the steps
 * before (same scope), so the worker that ran them reads nothing again.
 */
async function scopeOfDump(source: DumpSource, ref: DumpRef, settings: ImportSettings, options: Pick<StepOptions, 'full' | 'alsoUnits' | 'onStage'>): Promise<PrimaryScope> {
  const { input } = await prepareDump(source, ref, stepSettings(settings, options), options.onStage);
  return {
    cprs: input.persons.map((p) => p.cpr),
    employmentIds: employmentIdsOf(input),
  };
}
