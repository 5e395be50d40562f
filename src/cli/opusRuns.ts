// `moflow opus import|status|resume|skip|approve|reimport`: the nightly OPUS sync on Temporal, for operators.
import { hostname, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { connectClient, TemporalUnreachableError } from '../temporal/connection.js';
import { opusStatus } from '../temporal/opusStatus.js';
import { describeSyncOutcome } from '../temporal/syncOutcome.js';
import { approveDump, OperatorError, requestReimport, skipDump, startOrJoinSync } from '../temporal/opusOps.js';
import { OPUS_CONTROL_ID, reimportLog } from '../../workflows/definitions.js';
import type { OpusSyncResult } from '../../workflows/opusSync.js';
import type { TemporalConfig } from '../config/temporal.js';
import { runDirectReimport } from './opusReimport.js';
import { log, settingsPathOf, UsageError } from './output.js';
import { addTemporalOptions, temporalConfigOf, type TemporalOverrides } from './temporalOptions.js';

export const operator = () => `${userInfo().username}@${hostname()}`;

export function registerOpusRunCommands(opus: Command): void {
  addTemporalOptions(opus.command('import'))
    .description('start the OPUS sync now (every dump newer than the last imported, oldest first), or join the running one')
    .option('--wait', 'wait for the sync to finish and print how it ended')
    .action((opts: TemporalOverrides & { wait?: boolean }, command: Command) =>
      withClient(command, opts, async (client, config) => {
        const { handle, started } = await startOrJoinSync(client, config.taskQueue);
        process.stdout.write(`${started ? 'started' : 'joined'} ${handle.workflowId}\n`);
        log(`${started ? 'started the OPUS sync' : 'a sync was already running; joined it'}: ${handle.workflowId} (moflow opus status shows the progress)`);
        if (opts.wait) await waitForSync(client, handle.workflowId, handle.result());
      }),
    );

  addTemporalOptions(opus.command('status'))
    .description("the import history from Temporal, one line per run (DIPEX's db_overview), and whether the next run can start")
    .option('--limit <n>', 'show only the latest n runs', '50')
    .action((opts: TemporalOverrides & { limit: string }, command: Command) =>
      withClient(command, opts, async (client) => {
        const status = await opusStatus(client, { limit: positive(opts.limit, '--limit') });
        process.stdout.write(`${[...status.lines, status.verdict].join('\n')}\n`);
      }),
    );

  addTemporalOptions(opus.command('resume'))
    .description('after fixing why a dump failed: run the sync again, importing that dump again first')
    .option('--wait', 'wait for the sync to finish')
    .action((opts: TemporalOverrides & { wait?: boolean }, command: Command) =>
      withClient(command, opts, async (client, config) => {
        const { handle } = await startOrJoinSync(client, config.taskQueue, { resume: true });
        process.stdout.write(`started ${handle.workflowId}\n`);
        if (opts.wait) await waitForSync(client, handle.workflowId, handle.result());
      }),
    );

  addTemporalOptions(opus.command('skip').argument('<dump>', 'the dump not to import, e.g. ZLPE20240105223000_delta.xml'))
    .description('record that a dump is skipped on purpose (the reason is kept in its run history); the sync goes on after it')
    .requiredOption('--reason <text>', 'why the dump is skipped')
    .action((dump: string, opts: TemporalOverrides & { reason: string }, command: Command) =>
      withClient(command, opts, async (client, config) => {
        const handle = await skipDump(client, config.taskQueue, dump, opts.reason, operator());
        await handle.result();
        process.stdout.write(`skipped ${dump} (${handle.workflowId})\n`);
        log('`moflow opus import` (or the next scheduled run) goes on with the dumps after it');
      }),
    );

  addTemporalOptions(opus.command('approve').argument('<dump>', 'the dump whose import waits for approval'))
    .description('approve an import the mass-change guard holds back (check it first with `moflow opus plan --dump <dump>`)')
    .action((dump: string, opts: TemporalOverrides, command: Command) =>
      withClient(command, opts, async (client) => {
        await approveDump(client, dump, operator());
        process.stdout.write(`approved ${dump}\n`);
      }),
    );

  addTemporalOptions(opus.command('reimport').argument('<employmentId>', 'the OPUS employment id (the engagement user key)'))
    .description('re-import one employment from the dumps of the last days (signal reimportEmployee to opus-control; --direct runs it here)')
    .option('--days <n>', 'how far back to look', '1000')
    .option('--wait', 'wait until it is done and print what it wrote')
    .option('--direct', 'run it in this process, without Temporal, and print what it wrote')
    .option('--dry-run', 'print the plans instead of writing (runs directly)')
    .action((employmentId: string, opts: TemporalOverrides & { days: string; wait?: boolean; direct?: boolean; dryRun?: boolean }, command: Command) =>
      opts.direct || opts.dryRun
        ? runDirectReimport(settingsPathOf(command), employmentId, { days: positive(opts.days, '--days'), dryRun: opts.dryRun ?? false })
        : withClient(command, opts, async (client, config) => {
            const request = { employmentId, days: positive(opts.days, '--days') };
            const asked = Date.now();
            await requestReimport(client, config.taskQueue, request);
            process.stdout.write(`queued re-import of employment ${employmentId} on ${OPUS_CONTROL_ID}\n`);
            if (opts.wait) await waitForReimport(client, employmentId, asked);
          }),
    );
}

export async function withClient(command: Command, opts: TemporalOverrides, fn: (client: Client, config: TemporalConfig) => Promise<void>): Promise<void> {
  const config = temporalConfigOf(command, opts);
  let connected;
  try {
    connected = await connectClient(config);
  } catch (error) {
    if (!(error instanceof TemporalUnreachableError)) throw error;
    throw new UsageError(error.message);
  }
  try {
    await fn(connected.client, config);
  } catch (error) {
    if (error instanceof OperatorError) throw new UsageError(error.message);
    throw error;
  } finally {
    await connected.connection.close();
  }
}

/** Prints how the sync ended: a line for a person, then its result as JSON (the last line, for scripts). */
export async function waitForSync(client: Client, workflowId: string, result: Promise<OpusSyncResult>): Promise<void> {
  try {
    const ended = await result;
    const outcome = await describeSyncOutcome(client, workflowId, ended);
    process.stdout.write(`${outcome.line}\n${JSON.stringify(ended)}\n`);
    if (outcome.exitCode !== 0) process.exitCode = outcome.exitCode;
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    log(`moflow: the sync failed: ${error.cause?.message ?? error.message}`);
    process.exitCode = 1;
  }
}

async function waitForReimport(client: Client, employmentId: string, asked: number): Promise<void> {
  const handle = client.workflow.getHandle(OPUS_CONTROL_ID);
  for (;;) {
    const state = await handle.query(reimportLog);
    const busy = state.running?.employmentId === employmentId || state.pending.some((r) => r.employmentId === employmentId);
    // Workflow time and this machine's clock may differ a little.
    const entry = state.done.findLast((e) => e.request.employmentId === employmentId && Date.parse(e.started) >= asked - 5_000);
    if (!busy && entry) {
      process.stdout.write(`${JSON.stringify(entry)}\n`);
      if (entry.error) process.exitCode = 1;
      return;
    }
    await sleep(500);
  }
}

function positive(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} must be a whole number above 0, not ${value}`);
  return n;
}
