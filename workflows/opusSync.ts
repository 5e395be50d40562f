// The OPUS sync: imports the dumps newer than the last one imported, strictly oldest first, each as a child
// `opusImportDump` whose id comes from the dump's timestamp. One sync at a time: manual starts share a fixed
// id, scheduled runs skip overlaps, a sync that finds an older one running gives way, and a dump's child id
// can only run once. A failed dump stops the sync; later dumps wait until it is resumed or skipped.
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  continueAsNew,
  executeChild,
  proxyActivities,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { MoflowActivities } from '../activities/index.js';
import { importDumpWorkflowId, longActivityOptions, OpusDumpTimestamp, OpusMunicipality, type ActivityTuning } from './definitions.js';
import { opusImportDump } from './opusImportDump.js';
import { alert } from './alert.js';

export interface OpusSyncInput {
  /** Import a failed dump again (`moflow opus resume`) instead of stopping at it. */
  resume?: boolean;
  tuning?: ActivityTuning;
  /** Carried over continue-as-new. */
  carried?: { imported: number; last: string | null };
}

export interface OpusSyncResult {
  outcome: 'up to date' | 'gave way';
  /** Why it stopped early: another sync runs. */
  note: string | null;
  imported: number;
  /** The newest dump imported. */
  last: string | null;
}

/** Dumps per run before continuing as new: keeps the history short when years of dumps wait. */
const DUMPS_PER_RUN = 100;

export async function opusSync(input: OpusSyncInput = {}): Promise<OpusSyncResult> {
  const { opusSyncState } = proxyActivities<MoflowActivities>({ ...longActivityOptions(input.tuning), startToCloseTimeout: '30 minutes' });
  const tally = { imported: 0, last: null as string | null, ...input.carried };
  let resume = input.resume ?? false;
  let thisRun = 0;
  for (;;) {
    // A run takes its whole share of the backlog from one listing (each listing asks Temporal about every
    // waiting dump); it lists again only when a dump was taken meanwhile, or after the batch for newer dumps.
    const state = await opusSyncState({ self: workflowInfo().workflowId, resume, limit: DUMPS_PER_RUN });
    if (state.otherSync !== null) {
      return { outcome: 'gave way', note: `another sync is running: ${state.otherSync}`, ...tally };
    }
    if (state.blocked) {
      const { dump, workflowId, reason } = state.blocked;
      setCurrentDetails(`blocked at ${dump}`);
      // Once per blocking run, not every night: the key names the import that blocks, not this sync.
      await alert({ kind: 'sync-blocked', stream: 'opus', dump, reason, key: `sync-blocked/${workflowId}/${reason}` }, input.tuning);
      throw ApplicationFailure.create({
        type: 'SyncBlocked',
        nonRetryable: true,
        message:
          `${dump} was not imported (${workflowId}: ${reason}); ${state.waiting - 1} later dump(s) wait. ` +
          `Fix the cause, then \`moflow opus resume\`, or skip it on purpose with \`moflow opus skip ${dump} --reason "…"\``,
      });
    }
    if (state.next.length === 0) return { outcome: 'up to date', note: null, ...tally };

    let previous = state.previous;
    // After `moflow opus rebuild`, the rebuild's chain: its own workflow ids, its runs marked in the memo.
    const generation = state.generation ?? 0;
    const rebuild = generation > 0 ? ` (rebuild ${generation})` : '';
    for (const next of state.next) {
      setCurrentDetails(`importing ${next.name}${rebuild} (${state.waiting} waiting)`);
      try {
        await executeChild(opusImportDump, {
          workflowId: importDumpWorkflowId(next.timestamp, generation),
          args: [{ dump: next.name, timestamp: next.timestamp, previous, tuning: input.tuning }],
          // A completed dump is never imported again by a sync; a failed one may be (resume).
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          typedSearchAttributes: [
            { key: OpusDumpTimestamp, value: new Date(next.instant) },
            { key: OpusMunicipality, value: state.municipality },
          ],
          memo: { dump: next.name, status: 'running', stage: 'starting', ...(generation > 0 ? { rebuild: generation } : {}) },
          staticSummary: `OPUS dump ${next.name}${rebuild}${previous ? ` (compared with ${previous})` : ' (first import: every record compared with MO)'}`,
        });
      } catch (error) {
        // Someone else has this dump (a skip, or a sync that did not see us): look again.
        if (error instanceof WorkflowExecutionAlreadyStartedError) break;
        if (error instanceof ChildWorkflowFailure) {
          throw ApplicationFailure.create({
            type: 'DumpFailed',
            nonRetryable: true,
            message: `${error.cause?.message ?? `${next.name} failed`}; the later dumps wait. Fix the cause, then \`moflow opus resume\` (or skip it with \`moflow opus skip ${next.name} --reason "…"\`)`,
            cause: error,
          });
        }
        throw error;
      }
      resume = false;
      thisRun++;
      tally.imported++;
      tally.last = next.name;
      previous = next.name;
      if (workflowInfo().continueAsNewSuggested || thisRun >= DUMPS_PER_RUN) {
        await continueAsNew<typeof opusSync>({ ...input, resume: false, carried: tally });
      }
    }
  }
}
