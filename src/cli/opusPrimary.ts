// `moflow opus primary [employmentId...] [--all] [--direct] [--dry-run]`: recompute the primary engagement
// from MO alone (src/sync/primary/recompute.ts) for the owners of some employments or for everybody, e.g.
// after someone set "Manuelt primær" in MO's GUI. By default a run of the `opusComputePrimary` workflow,
// waited for; --direct (and --dry-run) run it in this process.
import type { Command } from 'commander';
import { loadSettings } from '../config/load.js';
import { opusImportOptions } from '../config/opus.js';
import { runPrimaryRecompute, type PrimaryRunResult } from '../opusRuns/primaryStep.js';
import { OPUS_PRIMARY_ID } from '../../workflows/definitions.js';
import type { opusComputePrimary } from '../../workflows/index.js';
import { interactiveMoClient } from './moClient.js';
import { withClient } from './opusRuns.js';
import { log, settingsPathOf, UsageError } from './output.js';
import { addTemporalOptions, type TemporalOverrides } from './temporalOptions.js';

interface PrimaryOptions extends TemporalOverrides {
  all?: boolean;
  direct?: boolean;
  dryRun?: boolean;
}

export function registerPrimaryCommand(opus: Command): void {
  addTemporalOptions(opus.command('primary'))
    .argument('[employmentIds...]', 'OPUS employment ids (engagement user keys): recompute their owners')
    .description('recompute the primary engagement from MO and write what differs (after a hand edit); --all for everybody with an engagement')
    .option('--all', 'everybody with an engagement in MO (reads every engagement)')
    .option('--direct', 'run it in this process, without a Temporal worker')
    .option('--dry-run', 'print the writes instead of making them (runs directly)')
    .action(async (employmentIds: string[], opts: PrimaryOptions, command: Command) => {
      if ((opts.all === true) === (employmentIds.length > 0)) throw new UsageError('name employment ids or give --all (not both)');
      const input = { employmentIds, all: opts.all === true };
      const result = opts.direct || opts.dryRun ? await runDirect(command, input, opts.dryRun === true) : await runOnTemporal(command, opts, input);
      process.stdout.write(`${primaryText(result, opts.dryRun === true)}\n`);
      if (result.failureCount > 0) process.exitCode = 1;
    });
}

async function runOnTemporal(command: Command, opts: PrimaryOptions, input: { employmentIds: string[]; all: boolean }): Promise<PrimaryRunResult> {
  let result: PrimaryRunResult | undefined;
  await withClient(command, opts, async (client, config) => {
    const handle = await client.workflow.start<typeof opusComputePrimary>('opusComputePrimary', {
      taskQueue: config.taskQueue,
      workflowId: `${OPUS_PRIMARY_ID}-${new Date().toISOString()}`,
      args: [input],
      staticSummary: `OPUS primary engagement of ${input.all ? 'everybody' : input.employmentIds.join(', ')} (moflow opus primary)`,
    });
    log(`started ${handle.workflowId}; waiting for a worker to recompute the primary engagement`);
    result = await handle.result();
  });
  return result!;
}

async function runDirect(command: Command, input: { employmentIds: string[]; all: boolean }, dryRun: boolean): Promise<PrimaryRunResult> {
  const settings = loadSettings({ settingsPath: settingsPathOf(command) });
  const options = opusImportOptions(settings);
  const { result, plan } = await runPrimaryRecompute(interactiveMoClient(settings), input, {
    municipalityName: options.municipalityName,
    primaryOrder: options.primaryOrder,
    onStage: log,
    dryRun,
  });
  if (dryRun) for (const op of plan.ops) process.stdout.write(`  ${op.subject.label}: ${op.reason}\n`);
  return result;
}

export function primaryText(result: PrimaryRunResult, dryRun = false): string {
  const lines = [`primary engagement of ${result.people} people: ${result.planned} write(s)${dryRun ? ' planned' : ''}, ${result.failureCount} failed, in ${(result.durationMs / 1000).toFixed(1)} s`];
  for (const f of result.failures) lines.push(`  failed: ${f.write} ${f.subject}: ${f.reason}`);
  for (const issue of result.issues) lines.push(`  ${issue}`);
  return lines.join('\n');
}
