// The OPUS run history, read from Temporal (it replaces DIPEX's run_db): the state of one dump's import
// workflow, why a run failed, and which sync runs now. A dump's import always has the same workflow id, so
// its latest run is one strongly consistent describe away.
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { importDumpWorkflowId, OPUS_SYNC_ID, rebuildWorkflowId } from '../../workflows/definitions.js';

export type DumpRunState =
  | { state: 'none' }
  | { state: 'running'; workflowId: string; runId: string; since: Date; memo: RunMemo }
  | { state: 'imported' | 'skipped'; closed: Date; memo: RunMemo }
  | { state: 'failed'; workflowId: string; runId: string; status: string; closed: Date; reason: string };

/** What an import workflow keeps in its memo (see workflows/opusImportDump.ts). */
export interface RunMemo {
  dump?: string;
  status?: string;
  summary?: string;
  stage?: string;
  reason?: string;
  /** The rebuild generation the run belongs to (absent: the original chain). */
  rebuild?: number;
}

export async function dumpRunState(client: Client, timestamp: string, generation = 0): Promise<DumpRunState> {
  const workflowId = importDumpWorkflowId(timestamp, generation);
  let info;
  try {
    info = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { state: 'none' };
    throw error;
  }
  const memo = (info.memo ?? {}) as RunMemo;
  switch (info.status.name) {
    case 'RUNNING':
      return { state: 'running', workflowId, runId: info.runId, since: info.startTime, memo };
    case 'COMPLETED':
      return { state: memo.status === 'skipped' ? 'skipped' : 'imported', closed: info.closeTime ?? info.startTime, memo };
    default:
      return {
        state: 'failed',
        workflowId,
        runId: info.runId,
        status: info.status.name,
        closed: info.closeTime ?? info.startTime,
        reason: await closeReason(client, workflowId, info.runId),
      };
  }
}

/** Why a closed run did not complete: its failure's message (with causes), or the termination reason. */
export async function closeReason(client: Client, workflowId: string, runId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const last = history.events?.at(-1);
  const failure = last?.workflowExecutionFailedEventAttributes?.failure;
  if (failure) {
    const messages: string[] = [];
    for (let f: typeof failure | null | undefined = failure; f; f = f.cause) if (f.message && !messages.some((m) => m.includes(f!.message!))) messages.push(f.message);
    return messages.join(': ');
  }
  if (last?.workflowExecutionTerminatedEventAttributes) return `terminated: ${last.workflowExecutionTerminatedEventAttributes.reason || 'no reason given'}`;
  if (last?.workflowExecutionTimedOutEventAttributes) return 'timed out';
  if (last?.workflowExecutionCanceledEventAttributes) return 'cancelled';
  return 'closed without completing';
}

/** The chain of imports syncs continue: the newest rebuild started (0: none), and the dump it started from. */
export interface Generation {
  generation: number;
  /** `moflow opus rebuild --from`: dumps before it are not part of the chain; null: every dump. */
  from: string | null;
}

/** The newest rebuild, by describing opus-rebuild-1, -2, … (strongly consistent; rebuilds are rare). */
export async function currentGeneration(client: Client): Promise<Generation> {
  let found: Generation = { generation: 0, from: null };
  for (let n = 1; ; n++) {
    try {
      const info = await client.workflow.getHandle(rebuildWorkflowId(n)).describe();
      const from = (info.memo as { from?: unknown } | undefined)?.from;
      found = { generation: n, from: typeof from === 'string' ? from : null };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return found;
      throw error;
    }
  }
}

/**
 * The OPUS sync runs now running, oldest first. Manual runs have the fixed id; scheduled ones have it plus a
 * timestamp, so a describe of the fixed id (strongly consistent) is joined with a visibility query.
 */
export async function runningSyncs(client: Client): Promise<{ workflowId: string; runId: string; startTime: Date }[]> {
  const found = new Map<string, { workflowId: string; runId: string; startTime: Date }>();
  for await (const run of client.workflow.list({ query: `WorkflowType='opusSync' AND ExecutionStatus='Running'` })) {
    found.set(run.runId, { workflowId: run.workflowId, runId: run.runId, startTime: run.startTime });
  }
  try {
    const fixed = await client.workflow.getHandle(OPUS_SYNC_ID).describe();
    if (fixed.status.name === 'RUNNING') found.set(fixed.runId, { workflowId: OPUS_SYNC_ID, runId: fixed.runId, startTime: fixed.startTime });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return [...found.values()].sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || (a.workflowId < b.workflowId ? -1 : 1));
}

/** Every run of every dump's import, from Temporal's visibility store. */
export async function importRuns(client: Client): Promise<WorkflowExecutionInfo[]> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowType='opusImportDump'` })) runs.push(run);
  return runs;
}
