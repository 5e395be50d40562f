// How an OPUS sync ended, in words for an operator and an exit code for scripts. The sync's own result says
// "up to date" once every dump has run, also when MO refused some writes (the import records those and goes
// on); the runs of the dumps it imported say how many, so "imported with N refused writes" is not hidden.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { OpusSyncResult } from '../../workflows/opusSync.js';
import { importRuns, type RunMemo } from './opusHistory.js';

export interface RefusedInDump {
  dump: string;
  refused: number;
}

/** The dumps imported since `since` (this sync's start) whose runs recorded refused writes. */
export function refusedSince(runs: WorkflowExecutionInfo[], since: Date): RefusedInDump[] {
  return runs
    .filter((run) => run.status.name === 'COMPLETED' && run.startTime.getTime() >= since.getTime())
    .map((run) => {
      const memo = (run.memo ?? {}) as RunMemo & { failureCount?: number };
      const counted = typeof memo.failureCount === 'number' ? memo.failureCount : Number(/\bfailed (\d+)/.exec(memo.summary ?? '')?.[1] ?? 0);
      return { dump: memo.dump ?? run.workflowId, refused: counted };
    })
    .filter((d) => d.refused > 0)
    .sort((a, b) => (a.dump < b.dump ? -1 : 1));
}

/** The line for a person and the exit code: 1 when MO refused writes (scripts must not read it as clean). */
export function syncOutcomeText(result: OpusSyncResult, refused: RefusedInDump[]): { line: string; exitCode: number } {
  const base = `OPUS sync ${result.outcome}: ${result.imported} dump(s) imported${result.note ? ` (${result.note})` : ''}`;
  const total = refused.reduce((n, d) => n + d.refused, 0);
  if (total === 0) return { line: base, exitCode: 0 };
  const where = refused.map((d) => `${d.dump}: ${d.refused}`).join(', ');
  return {
    line:
      `${base}, imported with ${total} refused write(s) (${where}): MO refused them and the sync went on. ` +
      `The full list is in <data folder>/opus/reports/<dump>.json on the worker; after fixing the cause, \`moflow opus reimport <employment id>\` writes an employment again`,
    exitCode: 1,
  };
}

/** The text and exit code of a sync that has ended, reading its dumps' runs from Temporal. */
export async function describeSyncOutcome(client: Client, syncWorkflowId: string, result: OpusSyncResult): Promise<{ line: string; exitCode: number }> {
  const { startTime } = await client.workflow.getHandle(syncWorkflowId).describe();
  return syncOutcomeText(result, refusedSince(await importRuns(client), startTime));
}
