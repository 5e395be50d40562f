// What operators ask of the OPUS workflows, as client calls: start or join the sync, resume it, skip a dump,
// approve a mass change, queue a re-import. The CLI, `moflow start` and the tests use these.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { parseDumpName } from '../opus/dumpName.js';
import type { ReimportRequest } from '../opusRuns/reimportEmployee.js';
import {
  approveMassChange,
  importDumpWorkflowId,
  OPUS_CONTROL_ID,
  OPUS_SYNC_ID,
  reimportEmployee,
  type ActivityTuning,
} from '../../workflows/definitions.js';
import type { opusImportDump, opusReimportEmployee, opusSync } from '../../workflows/index.js';
import { currentGeneration, dumpRunState, runningSyncs } from './opusHistory.js';

export class OperatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorError';
  }
}

export interface SyncStart {
  handle: WorkflowHandle<typeof opusSync>;
  /** false: a sync was already running and this call joined it. */
  started: boolean;
}

/** Starts the sync, or joins the one that runs (manual or scheduled): never two at once. */
export async function startOrJoinSync(client: Client, taskQueue: string, options: { resume?: boolean; tuning?: ActivityTuning } = {}): Promise<SyncStart> {
  const running = await runningSyncs(client);
  if (running.length > 0) {
    if (options.resume) throw new OperatorError(`a sync is running (${running[0]!.workflowId}); resume when it has stopped (moflow opus status)`);
    return { handle: client.workflow.getHandle<typeof opusSync>(running[0]!.workflowId, running[0]!.runId), started: false };
  }
  try {
    const handle = await client.workflow.start<typeof opusSync>('opusSync', {
      taskQueue,
      workflowId: OPUS_SYNC_ID,
      args: [{ ...(options.resume ? { resume: true } : {}), ...(options.tuning ? { tuning: options.tuning } : {}) }],
      // Two operators at once: the second start is refused, and joins the first one's run below.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      staticSummary: options.resume ? 'OPUS sync (resume: the failed dump is imported again)' : 'OPUS sync',
    });
    return { handle, started: true };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    if (options.resume) throw new OperatorError(`a sync is running (${OPUS_SYNC_ID}); resume when it has stopped (moflow opus status)`);
    return { handle: client.workflow.getHandle<typeof opusSync>(OPUS_SYNC_ID), started: false };
  }
}

/** Records that a dump is skipped on purpose, with why and by whom, as a run of that dump's workflow. */
export async function skipDump(client: Client, taskQueue: string, dump: string, reason: string, by: string): Promise<WorkflowHandle<typeof opusImportDump>> {
  const name = parseDumpName(dump);
  if (!name.ok) throw new OperatorError(`${dump} is not a dump name (${name.reason}); \`moflow opus status\` shows the dumps`);
  if (reason.trim() === '') throw new OperatorError('say why the dump is skipped: --reason "…"');
  // In the chain syncs continue: a rebuild's, once there is one.
  const { generation } = await currentGeneration(client);
  const state = await dumpRunState(client, name.dump.timestamp, generation);
  if (state.state === 'imported' || state.state === 'skipped') throw new OperatorError(`${dump} was already ${state.state}; nothing to skip`);
  if (state.state === 'running') throw new OperatorError(`${dump} is being imported right now (${state.workflowId}); wait for it or terminate it first`);
  try {
    return await client.workflow.start<typeof opusImportDump>('opusImportDump', {
      taskQueue,
      workflowId: importDumpWorkflowId(name.dump.timestamp, generation),
      args: [{ dump, timestamp: name.dump.timestamp, previous: null, skip: { reason, by } }],
      memo: { dump, status: 'skipped', reason, ...(generation > 0 ? { rebuild: generation } : {}) },
      staticSummary: `OPUS dump ${dump}: skipped by ${by}`,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new OperatorError(`${dump} is being imported right now; wait for it or terminate it first`);
    throw error;
  }
}

/** Lifts the mass-change guard's hold on one dump's import. */
export async function approveDump(client: Client, dump: string, by: string): Promise<void> {
  const name = parseDumpName(dump);
  if (!name.ok) throw new OperatorError(`${dump} is not a dump name (${name.reason})`);
  const { generation } = await currentGeneration(client);
  const state = await dumpRunState(client, name.dump.timestamp, generation);
  if (state.state !== 'running') throw new OperatorError(`${dump} is not being imported (${state.state}); only a running import can be approved`);
  if (state.memo.status !== 'awaiting approval') {
    throw new OperatorError(`${dump} does not wait for approval (it is ${state.memo.stage ?? state.memo.status ?? 'running'})`);
  }
  await client.workflow.getHandle(importDumpWorkflowId(name.dump.timestamp, generation)).signal(approveMassChange, { by });
}

/** Queues a one-employment re-import on opus-control, starting that workflow when it does not run. */
export async function requestReimport(client: Client, taskQueue: string, request: ReimportRequest, tuning?: ActivityTuning): Promise<void> {
  await client.workflow.signalWithStart<typeof opusReimportEmployee, [ReimportRequest]>('opusReimportEmployee', {
    taskQueue,
    workflowId: OPUS_CONTROL_ID,
    args: [{ pending: [], done: [], ...(tuning ? { tuning } : {}) }],
    signal: reimportEmployee,
    signalArgs: [request],
    staticSummary: 'OPUS control: one-employment re-imports (signal reimportEmployee)',
  });
}

/** Makes sure opus-control runs, so a plain `temporal workflow signal` reaches it. */
export async function ensureControl(client: Client, taskQueue: string, tuning?: ActivityTuning): Promise<boolean> {
  try {
    const { status } = await client.workflow.getHandle(OPUS_CONTROL_ID).describe();
    if (status.name === 'RUNNING') return false;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  await client.workflow.start<typeof opusReimportEmployee>('opusReimportEmployee', {
    taskQueue,
    workflowId: OPUS_CONTROL_ID,
    args: [{ pending: [], done: [], ...(tuning ? { tuning } : {}) }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary: 'OPUS control: one-employment re-imports (signal reimportEmployee)',
  });
  return true;
}
