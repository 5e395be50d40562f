// `moflow opus status`: the import history from Temporal, one line per run of a dump in the spirit of DIPEX's
// db_overview (`id: 7, dump date: 2019-09-05 22:40:12, status: Import ended …`), then whether the next run
// can start and, if not, why. It reads Temporal only: the run history is there, not in a database.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { dumpTime, stamp } from '../util/shownTime.js';
import { parseImportWorkflowId } from '../../workflows/definitions.js';
import { closeReason, currentGeneration, importRuns, runningSyncs, type RunMemo } from './opusHistory.js';

export interface OpusStatus {
  lines: string[];
  canStart: boolean;
  verdict: string;
}

const timestampOf = (run: WorkflowExecutionInfo) => parseImportWorkflowId(run.workflowId).timestamp;
const generationOf = (run: WorkflowExecutionInfo) => parseImportWorkflowId(run.workflowId).generation;

export async function opusStatus(client: Client, options: { limit?: number } = {}): Promise<OpusStatus> {
  // A rebuild's runs follow the chain they rebuilt, each marked; only the current chain decides what is next.
  const runs = (await importRuns(client)).sort(
    (a, b) =>
      generationOf(a) - generationOf(b) ||
      (timestampOf(a) < timestampOf(b) ? -1 : timestampOf(a) > timestampOf(b) ? 1 : a.startTime.getTime() - b.startTime.getTime()),
  );
  const { generation } = await currentGeneration(client);
  const reasons = new Map<string, string>();
  const reasonOf = async (run: WorkflowExecutionInfo) => {
    const memo = (run.memo ?? {}) as RunMemo;
    if (!reasons.has(run.runId)) reasons.set(run.runId, memo.status === 'failed' && memo.reason ? memo.reason : await closeReason(client, run.workflowId, run.runId));
    return reasons.get(run.runId)!;
  };
  const lines: string[] = [];
  const shown = runs.slice(-(options.limit ?? runs.length));
  for (const [i, run] of shown.entries()) {
    const id = runs.length - shown.length + i + 1;
    const rebuild = generationOf(run) > 0 ? `, rebuild: ${generationOf(run)}` : '';
    lines.push(`id: ${id}, dump date: ${dumpTime(timestampOf(run))}${rebuild}, status: ${await statusText(run, reasonOf)}`);
  }
  const chain = runs.filter((run) => generationOf(run) === generation);
  return { lines, ...(await verdict(client, chain, reasonOf)) };
}

async function statusText(run: WorkflowExecutionInfo, reasonOf: (run: WorkflowExecutionInfo) => Promise<string>): Promise<string> {
  const memo = (run.memo ?? {}) as RunMemo;
  switch (run.status.name) {
    case 'RUNNING':
      if (memo.status === 'awaiting approval') return `Waiting for mass-change approval since ${stamp(run.startTime)}: ${memo.reason ?? ''}`;
      return `Running since ${stamp(run.startTime)} (${memo.stage ?? 'starting'})`;
    case 'COMPLETED':
      if (memo.status === 'skipped') return `Skipped ${stamp(run.closeTime)}, ${memo.summary ?? memo.reason ?? ''}`;
      return `Import ended ${stamp(run.closeTime)}, ${memo.summary ?? ''}`;
    default:
      return `Import failed ${stamp(run.closeTime)} (${run.status.name.toLowerCase()}): ${await reasonOf(run)}`;
  }
}

async function verdict(
  client: Client,
  runs: WorkflowExecutionInfo[],
  reasonOf: (run: WorkflowExecutionInfo) => Promise<string>,
): Promise<{ canStart: boolean; verdict: string }> {
  const waiting = runs.find((r) => r.status.name === 'RUNNING' && (r.memo as RunMemo | undefined)?.status === 'awaiting approval');
  if (waiting) {
    const dump = (waiting.memo as RunMemo).dump ?? timestampOf(waiting);
    return {
      canStart: false,
      verdict: `next run: cannot start: ${dump} waits for mass-change approval (${(waiting.memo as RunMemo).reason ?? ''}). Check it with \`moflow opus plan --dump ${dump}\`, then \`moflow opus approve ${dump}\``,
    };
  }
  const syncs = await runningSyncs(client);
  if (syncs.length > 0) {
    return { canStart: false, verdict: `next run: cannot start: a sync is running (${syncs[0]!.workflowId} since ${stamp(syncs[0]!.startTime)}); \`moflow opus import\` joins it` };
  }
  // The latest run of each dump; every dump newer than the newest done one must import before anything later.
  const latest = new Map<string, WorkflowExecutionInfo>();
  for (const run of runs) latest.set(timestampOf(run), run);
  const ordered = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const lastDone = ordered.map(([, r]) => r.status.name === 'COMPLETED').lastIndexOf(true);
  const blocking = ordered.slice(lastDone + 1).find(([, r]) => r.status.name !== 'COMPLETED' && r.status.name !== 'RUNNING');
  if (blocking) {
    const [, run] = blocking;
    const dump = (run.memo as RunMemo | undefined)?.dump ?? timestampOf(run);
    return {
      canStart: false,
      verdict: `next run: cannot start: ${dump} failed (${await reasonOf(run)}); later dumps wait. Fix the cause, then \`moflow opus resume\`, or skip it on purpose: \`moflow opus skip ${dump} --reason "…"\``,
    };
  }
  return { canStart: true, verdict: `next run: can start${lastDone >= 0 ? ` (last done: ${(ordered[lastDone]![1].memo as RunMemo | undefined)?.dump ?? ordered[lastDone]![0]})` : ' (nothing imported yet)'}` };
}
