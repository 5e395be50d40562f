// One dump's import as a durable sequence of activities, as the design card names them: fetchDump (into the
// local cache, pinned by hash), parseDump (read and validate once; the prepared input stays on the worker),
// diffUnits, diffEmployees, computePrimary (from MO, after the engagements are written), recordRun. Only names,
// hashes and counts pass through the history. A plan the mass-change guard holds back waits here for
// `approveMassChange`. The memo always says where the run stands (the UI and `moflow opus status` show it);
// the result is the run's report.
//
// Enrichments (DAR addresses, AD accounts, the CPR mapping) are part of each step's plan (src/sync), so they
// are written with the step they belong to, and re-planned after a crash like the rest.
import {
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  ActivityFailure,
} from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import { runReport, skippedReport, summaryLine } from '../src/opusRuns/report.js';
import type { FetchedDumps, ImportRunReport, StepResult, ValidationResult } from '../src/opusRuns/types.js';
import { alert } from './alert.js';
import { approveMassChange, importProgress, longActivityOptions, messageOf, type ActivityTuning } from './definitions.js';

export interface ImportDumpInput {
  dump: string;
  /** The dump's timestamp (YYYY-MM-DDTHH:MM:SS). */
  timestamp: string;
  /** The dump imported before it; null compares every record with MO. */
  previous: string | null;
  tuning?: ActivityTuning;
  /** Record the dump as skipped on purpose instead of importing it (`moflow opus skip`). */
  skip?: { reason: string; by: string };
}

export async function opusImportDump(input: ImportDumpInput): Promise<ImportRunReport> {
  const started = Date.now();
  let stage = 'starting';
  let awaitingApproval: string | null = null;
  let approvedBy: string | null = null;
  setHandler(approveMassChange, (approval) => {
    approvedBy = approval?.by ?? 'an operator';
  });
  setHandler(importProgress, () => ({ dump: input.dump, stage, awaitingApproval }));
  const show = (status: string, details: string, extra: Record<string, unknown> = {}) => {
    stage = details;
    setCurrentDetails(`${input.dump}: ${details}`);
    upsertMemo({ dump: input.dump, status, stage: details, ...extra });
  };

  if (input.skip) {
    const report = skippedReport(input.dump, input.timestamp, input.skip.reason, input.skip.by);
    show('skipped', 'skipped', { summary: summaryLine(report), reason: input.skip.reason });
    return report;
  }

  const acts = proxyActivities<MoflowActivities>(longActivityOptions(input.tuning));
  // Runs started before the card's steps replay under the old activity names (kept registered as aliases in
  // activities/opusImport.ts); drop this branch with them once no such run is open.
  const cardSteps = patched('card-steps');
  const step = {
    fetch: cardSteps ? acts.fetchDump : acts.fetchDumps,
    parse: cardSteps ? acts.parseDump : acts.validateDump,
    units: (fetched: FetchedDumps, approved: boolean) =>
      cardSteps ? acts.diffUnits({ fetched, approved }) : acts.applyImportStep({ fetched, step: 'units', approved }),
    employees: (fetched: FetchedDumps, compare: Compare, keptPlan: string | undefined) =>
      cardSteps
        ? acts.diffEmployees({ fetched, ...compare, ...(keptPlan ? { keptPlan } : {}) })
        : acts.applyImportStep({ fetched, step: 'employees', approved: true, ...compare }),
    record: cardSteps ? acts.recordRun : acts.recordImportRun,
  };
  try {
    show('running', 'fetching');
    const fetched: FetchedDumps = await step.fetch({ dump: input.dump, previous: input.previous });
    show('running', 'validating');
    const validation: ValidationResult = await step.parse({ fetched });

    const steps: StepResult[] = [];
    show('running', 'writing units');
    for (;;) {
      try {
        steps.push(await step.units(fetched, approvedBy !== null));
        break;
      } catch (error) {
        const refusal = massChangeRefusal(error);
        if (refusal === null || approvedBy !== null) throw error;
        awaitingApproval = refusal;
        show('awaiting approval', `waiting for approval: ${refusal}`, { reason: refusal });
        await alert({ kind: 'awaiting-approval', stream: 'opus', dump: input.dump, reason: refusal }, input.tuning);
        await condition(() => approvedBy !== null);
        awaitingApproval = null;
        show('running', `writing units (mass change approved by ${approvedBy})`);
      }
    }
    show('running', 'writing employees');
    // The units step's writes (a unit that enters MO's view, or widens) hide from the employees step's plan
    // that it must compare every employment, or those of the widened units, with MO; the units step's plan saw it.
    const compare = compareBeyondChanges(steps[0]);
    // The units step's plan, when its worker kept it: the employees step writes from it, without reading MO again.
    steps.push(await step.employees(fetched, compare, steps[0]?.keptPlan));
    if (cardSteps) {
      show('running', 'computing the primary engagement');
      // The people whose engagements the employees step wrote, when its worker kept them: only theirs are read.
      const keptPeople = steps[1]?.keptPeople;
      steps.push(await acts.computePrimary({ fetched, ...compare, ...(keptPeople ? { keptPeople } : {}) }));
    }

    show('running', 'recording');
    const facts = { dump: input.dump, timestamp: input.timestamp, previous: input.previous, fetched, validation, steps, approvedBy };
    const draft = runReport({ ...facts, durationMs: Date.now() - started, reportFile: null });
    const reportFile = await step.record(draft);
    const report = { ...draft, reportFile };
    show('imported', 'imported', { summary: summaryLine(report), totals: report.totals, failureCount: report.failureCount });
    await alert({ kind: 'ok', stream: 'opus', dump: input.dump, reason: '' }, input.tuning);
    return report;
  } catch (error) {
    const message = `${input.dump}: ${stage} failed: ${messageOf(error)}`;
    show('failed', `failed while ${stage}`, { reason: message });
    await alert({ kind: 'import-failed', stream: 'opus', dump: input.dump, reason: message }, input.tuning);
    throw ApplicationFailure.create({ type: 'ImportFailed', message, nonRetryable: true, cause: error as Error });
  }
}

type Compare = { full: boolean; alsoUnits?: string[] };

function compareBeyondChanges(units: StepResult | undefined): Compare {
  const full = units?.comparedAll === true;
  return !full && units?.comparedUnits?.length ? { full, alsoUnits: units.comparedUnits } : { full };
}

/** The guard's reason when an activity failed because the plan needs approval, else null. */
function massChangeRefusal(error: unknown): string | null {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'MassChangeRefused') return error.cause.message;
  return null;
}
