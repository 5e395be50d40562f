// One dump's writes in two durable steps: the catalog and the units, then people, engagements, manager roles,
// addresses and unit endings. Each step plans the whole dump against MO as it is now and applies only its own
// phases, so a step that is retried after a crash, or the next step, writes exactly what is still missing.
// The mass-change guard is checked before anything is written (the units step); the employees step trusts it.
// The employees step may instead take the units step's plan, when MO holds what it expected (keptOnWorker.ts).
import type { MoClient } from '../mo/index.js';
import { applyPlan, recordOutcome, type ImportFailure, type ImportReport } from '../sync/apply.js';
import { planDump, MassChangeRefused, type DumpRef, type ImportSettings } from '../sync/importDump.js';
import { massChangeRefusal } from '../sync/plan/guard.js';
import { PHASES, type Phase, type Plan, type PlanOp } from '../sync/plan/types.js';
import type { DumpSource } from '../sources/types.js';
import type { KeptPlan } from './keptOnWorker.js';
import type { ImportStep, StepProgress, StepResult } from './types.js';

const UNIT_PHASES: readonly Phase[] = ['catalog', 'units'];

export const STEP_PHASES: Record<ImportStep, readonly Phase[]> = {
  units: UNIT_PHASES,
  // Every other phase, so a phase the planner gains is never left unwritten.
  employees: PHASES.filter((p) => !UNIT_PHASES.includes(p)),
};

/** Failures and issues kept in a step's result; the full list goes to the run's report file. */
export const LISTED = 50;

export interface StepOptions {
  /** The guard's hold was lifted by an operator (or does not apply). */
  approved: boolean;
  /**
   * Compare every employment with MO: the units step did (see StepResult.comparedAll), and its writes have
   * since hidden from this step's plan why.
   */
  full?: boolean;
  /** Compare the employments of these OPUS units with MO too: the units step widened them (StepResult.comparedUnits). */
  alsoUnits?: string[];
  attempt: number;
  resumedAfter: StepProgress | null;
  onStage?: (stage: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** The units step's plan, to write from instead of planning (the employees step's first attempt). */
  kept?: KeptPlan | null;
}

export async function runImportStep(
  client: MoClient,
  source: DumpSource,
  ref: DumpRef,
  settings: ImportSettings,
  step: ImportStep,
  options: StepOptions,
): Promise<{ result: StepResult; report: ImportReport; planned: KeptPlan }> {
  const started = Date.now();
  if (options.kept) options.onStage?.('writing from the units step\'s plan (MO holds all it wrote)');
  const planned = options.kept ?? (await planDump(client, source, ref, stepSettings(settings, options), options.onStage));
  const { plan, comparedAll, comparedUnits } = planned;
  if (step === 'units' && !options.approved) {
    const refusal = massChangeRefusal(plan.massChange, settings.guard);
    if (refusal) throw new MassChangeRefused(refusal, plan);
  }
  // From a kept plan, the earlier phases' creates are in MO: the units step wrote all of its part.
  const { ops, skipped, missing } = restrictToPhases(plan, STEP_PHASES[step], options.kept ? 'written' : 'planned again');
  options.onStage?.(`applying ${ops.length} writes (${step})`);
  // The plan's unchanged objects are reported once, by the step itself, not counted into its writes.
  const report = await applyPlan(client, { ...plan, ops, unchanged: {} }, { onProgress: options.onProgress });
  for (const op of skipped) {
    const failure = skippedFailure(op, missing);
    recordOutcome(report, op, 'skipped', failure.reason);
    report.failures.push(failure);
  }
  const issues = step === 'units' ? plan.issues.map((i) => i.message) : [];
  return {
    report,
    planned: { plan, comparedAll, comparedUnits },
    result: {
      step,
      planned: ops.length + skipped.length,
      counts: report.counts,
      unchanged: plan.unchanged,
      failures: report.failures.slice(0, LISTED),
      failureCount: report.failures.length,
      issues: issues.slice(0, LISTED),
      issueCount: issues.length,
      massChange: plan.massChange,
      comparedAll,
      ...(comparedUnits.length > 0 ? { comparedUnits } : {}),
      ...(options.kept ? { planReused: true } : {}),
      durationMs: Date.now() - started,
      writeMs: report.durationMs,
      attempt: options.attempt,
      resumedAfter: options.resumedAfter,
    },
  };
}

/** The settings with what an earlier step found must be compared with MO beyond the changed records. */
export function stepSettings(settings: ImportSettings, options: Pick<StepOptions, 'full' | 'alsoUnits'>): ImportSettings {
  if (options.full) return { ...settings, full: true };
  return options.alsoUnits?.length ? { ...settings, alsoUnits: options.alsoUnits } : settings;
}

/**
 * The plan's writes in `phases`. In a plan made again after the earlier steps, a write that needs an object
 * an earlier phase still has to create is skipped: that create failed in an earlier step (its failure is in
 * that step's report), and MO would refuse. In a kept plan ('written') the earlier steps wrote all of theirs.
 */
export function restrictToPhases(plan: Plan, phases: readonly Phase[], earlier: 'planned again' | 'written' = 'planned again'): { ops: PlanOp[]; skipped: PlanOp[]; missing: Set<string> } {
  const first = Math.min(...phases.map((p) => PHASES.indexOf(p)));
  const missing = new Set<string>();
  for (const op of earlier === 'written' ? [] : plan.ops) {
    if (PHASES.indexOf(op.phase) < first && op.op.action === 'create' && 'uuid' in op.op.input && typeof op.op.input.uuid === 'string') {
      missing.add(op.op.input.uuid);
    }
  }
  const ops: PlanOp[] = [];
  const skipped: PlanOp[] = [];
  for (const op of plan.ops) {
    if (!phases.includes(op.phase)) continue;
    if (op.needs.some((uuid) => missing.has(uuid))) skipped.push(op);
    else ops.push(op);
  }
  return { ops, skipped, missing };
}

function skippedFailure(op: PlanOp, missing: Set<string>): ImportFailure {
  const need = op.needs.filter((uuid) => missing.has(uuid)).join(', ');
  return {
    opusId: op.subject.opusId,
    subject: op.subject.label,
    write: `${op.op.kind} ${op.op.action}`,
    reason: `skipped: needs ${need}, which an earlier step could not write`,
    errorKey: null,
  };
}
