// What operators ask of the Plan2Learn export workflow: find the run the export guard holds and approve it
// (signal `approveExport`). Manual runs have the id `plan2learn-export`, scheduled ones that id plus the
// time, so the held run is found among the running plan2learnExport workflows; its memo says it is held.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { approveExport, PLAN2LEARN_EXPORT_ID } from '../../workflows/definitions.js';
import { OperatorError } from './opusOps.js';

/** What the export workflow keeps in its memo (workflows/plan2learnExport.ts). */
export interface ExportMemo {
  status?: string;
  stage?: string;
  reason?: string | null;
  summary?: string;
}

export interface HeldExport {
  workflowId: string;
  runId: string;
  /** The guard's reason: which files lose how many rows. */
  reason: string;
}

/** The running exports that wait for approval, oldest first (each checked with a consistent describe). */
export async function heldExports(client: Client): Promise<HeldExport[]> {
  const ids = new Set<string>([PLAN2LEARN_EXPORT_ID]);
  for await (const run of client.workflow.list({ query: `WorkflowType='plan2learnExport' AND ExecutionStatus='Running'` })) ids.add(run.workflowId);
  const held: (HeldExport & { started: number })[] = [];
  for (const workflowId of ids) {
    let info;
    try {
      info = await client.workflow.getHandle(workflowId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) continue;
      throw error;
    }
    const memo = (info.memo ?? {}) as ExportMemo;
    if (info.status.name === 'RUNNING' && memo.status === 'held') {
      held.push({ workflowId, runId: info.runId, reason: memo.reason ?? '', started: info.startTime.getTime() });
    }
  }
  return held.sort((a, b) => a.started - b.started).map(({ started: _, ...run }) => run);
}

/** Approves the held export (the one named, or the only one); returns it. */
export async function approveHeldExport(client: Client, by: string, workflowId?: string): Promise<HeldExport> {
  const held = await heldExports(client);
  const chosen = workflowId === undefined ? held : held.filter((run) => run.workflowId === workflowId);
  if (chosen.length === 0) {
    const which = workflowId === undefined ? 'No Plan2Learn export' : `The Plan2Learn export ${workflowId}`;
    throw new OperatorError(`${which} waits for approval; only a run the export guard holds (memo status "held") can be approved`);
  }
  if (chosen.length > 1) {
    throw new OperatorError(`${chosen.length} Plan2Learn exports wait for approval: ${chosen.map((r) => r.workflowId).join(', ')}; name one with --workflow-id`);
  }
  const run = chosen[0]!;
  await client.workflow.getHandle(run.workflowId, run.runId).signal(approveExport, { by });
  return run;
}
