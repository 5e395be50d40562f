// Starting a rebuild (`moflow opus rebuild`): the OPUS sync run under opus-rebuild-<n>, which makes n the
// generation every sync continues from then on (opusHistory.currentGeneration): every dump in the source (from
// `from` on) has no run in generation n yet, so the sync imports them all again, oldest first, the first one
// compared in full with MO. Each dump's run is opus-import-<timestamp>-rebuild-<n>, marked `rebuild: n` in its memo.
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import { rebuildWorkflowId, type ActivityTuning } from '../../workflows/definitions.js';
import type { opusSync } from '../../workflows/index.js';
import { currentGeneration, runningSyncs } from './opusHistory.js';
import { OperatorError } from './opusOps.js';

/** The generation the next rebuild gets, or why none can start now. */
export async function nextRebuild(client: Client): Promise<number> {
  const running = await runningSyncs(client);
  if (running.length > 0) throw new OperatorError(`a sync is running (${running[0]!.workflowId}); start the rebuild when it has stopped (moflow opus status)`);
  return (await currentGeneration(client)).generation + 1;
}

export async function startRebuild(
  client: Client,
  taskQueue: string,
  options: { generation: number; from: string | null; by: string; tuning?: ActivityTuning },
): Promise<WorkflowHandle<typeof opusSync>> {
  const { generation, from } = options;
  return client.workflow.start<typeof opusSync>('opusSync', {
    taskQueue,
    workflowId: rebuildWorkflowId(generation),
    args: [options.tuning ? { tuning: options.tuning } : {}],
    // A generation is started once: a second operator's start of the same one is refused.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    memo: { rebuild: generation, by: options.by, ...(from ? { from } : {}) },
    staticSummary: `OPUS rebuild ${generation}: every dump${from ? ` from ${from}` : ''} imported again, oldest first (started by ${options.by})`,
  });
}
