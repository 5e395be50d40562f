// `moflow opus drift [--fix] [--direct] [--dump NAME]`: compare MO with the newest imported dump in full and
// print every difference (src/opusRuns/drift.ts). By default a run of the `opusDriftCheck` workflow, waited
// for (it shows in the UI like the weekly scheduled ones); --direct runs it in this process.
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import { dataDirOf } from '../config/dataDir.js';
import { loadSettings } from '../config/load.js';
import { dumpSourceConfig, opusImportOptions } from '../config/opus.js';
import { openDarResolver } from '../dar/open.js';
import { checkDrift, newestImported, syncInTheWay } from '../opusRuns/drift.js';
import { driftRemains, driftText, type DriftResult } from '../opusRuns/driftText.js';
import { openDumpSource } from '../sources/index.js';
import type { DumpSource } from '../sources/types.js';
import type { DumpRef } from '../sync/importDump.js';
import { importSettings } from '../sync/importDump.js';
import { OPUS_DRIFT_ID } from '../../workflows/definitions.js';
import type { opusDriftCheck } from '../../workflows/index.js';
import { interactiveMoClient } from './moClient.js';
import { withClient } from './opusRuns.js';
import { log, settingsPathOf, UsageError } from './output.js';
import { addTemporalOptions, type TemporalOverrides } from './temporalOptions.js';

interface DriftOptions extends TemporalOverrides {
  fix?: boolean;
  direct?: boolean;
  dump?: string;
}

export function registerDriftCommand(opus: Command): void {
  addTemporalOptions(opus.command('drift'))
    .description('compare MO with the newest imported dump, every record, and list each difference (hand edits, failed writes); --fix writes MO back')
    .option('--fix', 'write the differences back to MO as the dump has them (the mass-change guard applies)')
    .option('--direct', 'run it in this process, without a Temporal worker')
    .option('--dump <name>', 'with --direct: compare with this dump instead of the newest imported one (no Temporal needed)')
    .action(async (opts: DriftOptions, command: Command) => {
      if (opts.dump && !opts.direct) throw new UsageError('--dump goes with --direct (a run on Temporal compares with the newest imported dump)');
      const result = opts.direct ? await runDirect(command, opts) : await runOnTemporal(command, opts);
      process.stdout.write(`${driftText(result)}\n`);
      // Scripts: 1 while MO still differs (found and not fixed, held back or refused), or was not checked.
      if (driftRemains(result) || result.dump === null) process.exitCode = 1;
    });
}

async function runOnTemporal(command: Command, opts: DriftOptions): Promise<DriftResult> {
  let result: DriftResult | undefined;
  await withClient(command, opts, async (client: Client, config) => {
    const handle = await client.workflow.start<typeof opusDriftCheck>('opusDriftCheck', {
      taskQueue: config.taskQueue,
      workflowId: `${OPUS_DRIFT_ID}-${new Date().toISOString()}`,
      args: [opts.fix ? { fix: true } : {}],
      staticSummary: `OPUS drift check${opts.fix ? ' with fix' : ''} (moflow opus drift)`,
    });
    log(`started ${handle.workflowId}; waiting for a worker to compare MO with the newest imported dump`);
    result = await handle.result();
  });
  return result!;
}

async function runDirect(command: Command, opts: DriftOptions): Promise<DriftResult> {
  const settings = loadSettings({ settingsPath: settingsPathOf(command) });
  const options = opusImportOptions(settings);
  const source = openDumpSource(dumpSourceConfig(settings));
  try {
    const ref = opts.dump ? await namedDump(source, opts.dump) : await newestOnTemporal(command, opts, source);
    if (ref === null) throw new UsageError('no dump has been imported yet (moflow opus status); nothing to compare MO with');
    const dar = await openDarResolver(settings, { log });
    try {
      const dataDir = dataDirOf(settings);
      return await checkDrift(interactiveMoClient(settings), source, ref, importSettings(options, { postal: dar.resolver }), {
        fix: opts.fix ?? false,
        reportDir: join(dataDir, 'opus', 'drift'),
        journalDir: join(dataDir, 'opus', 'reports'),
        checkedAt: new Date().toISOString(),
        onStage: log,
      });
    } finally {
      await dar.close();
    }
  } finally {
    await source.close();
  }
}

/** The dump the sync imported last, from Temporal's run history (read only; no worker needed). */
async function newestOnTemporal(command: Command, opts: DriftOptions, source: DumpSource): Promise<DumpRef | null> {
  let ref: DumpRef | null = null;
  await withClient(command, opts, async (client) => {
    const busy = await syncInTheWay(client);
    if (busy !== null) throw new UsageError(busy);
    ref = await newestImported(client, (await source.list()).dumps);
  });
  return ref;
}

async function namedDump(source: DumpSource, name: string): Promise<DumpRef> {
  const { dumps } = await source.list();
  const index = dumps.findIndex((d) => d.name === name);
  if (index < 0) throw new UsageError(`${name} is not a dump in ${source.description} (moflow opus dumps lists them)`);
  return { name, previous: index > 0 ? dumps[index - 1]!.name : null };
}
