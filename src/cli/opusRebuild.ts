// `moflow opus rebuild [--from DUMP] [--yes] [--wait] [--new-uuids]`: import every dump again, oldest first,
// into an emptied or new MO, through Temporal (src/temporal/opusRebuild.ts). People keep their uuids through the
// CPR mapping (integrations.opus.import.cpr_uuid_map_path), which must exist before MO is emptied: when MO still
// holds people and the configured file is missing, it is written from MO here; when MO is empty and no mapping
// is there, the rebuild refuses (--new-uuids accepts new uuids). It asks before it starts.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { loadSettings, type Settings } from '../config/load.js';
import { moClientConfig } from '../config/mo.js';
import { dumpSourceConfig, opusImportOptions } from '../config/opus.js';
import { writeCprMapFile } from '../cprmap/file.js';
import { cprMapRowsFromMo } from '../cprmap/fromMo.js';
import type { DumpName } from '../opus/dumpName.js';
import { openDumpSource } from '../sources/index.js';
import { nextRebuild, startRebuild } from '../temporal/opusRebuild.js';
import { interactiveMoClient } from './moClient.js';
import { operator, waitForSync, withClient } from './opusRuns.js';
import { log, settingsPathOf, UsageError } from './output.js';
import { addTemporalOptions, type TemporalOverrides } from './temporalOptions.js';

interface RebuildOptions extends TemporalOverrides {
  from?: string;
  yes?: boolean;
  wait?: boolean;
  newUuids?: boolean;
}

export function registerRebuildCommand(opus: Command): void {
  addTemporalOptions(opus.command('rebuild'))
    .description('import every dump again, oldest first, into an emptied or new MO (a new chain of runs, marked as a rebuild); asks first')
    .option('--from <dump>', 'start at this dump; older ones are left out of the rebuilt chain')
    .option('--yes', 'do not ask (needed when not at a terminal)')
    .option('--wait', 'wait for the rebuild to finish and print how it ended')
    .option('--new-uuids', 'MO is empty and there is no CPR mapping: accept that every person gets a new uuid')
    .action(async (opts: RebuildOptions, command: Command) => {
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      const dumps = await dumpsToReplay(settings, opts.from);
      const people = await keepUuids(settings, opts.newUuids ?? false);
      await withClient(command, opts, async (client, config) => {
        const generation = await nextRebuild(client);
        const range = dumps.length === 1 ? dumps[0]!.name : `${dumps[0]!.name} … ${dumps.at(-1)!.name}`;
        log(
          `rebuild ${generation}: imports ${dumps.length} dump(s) again (${range}), oldest first, into MO at ${moClientConfig(settings).baseUrl}, ` +
            `which holds ${people} people now. Afterwards the nightly syncs continue from the rebuilt chain.`,
        );
        if (!opts.yes && !(await confirmed())) {
          log('nothing started');
          process.exitCode = 1;
          return;
        }
        let handle;
        try {
          handle = await startRebuild(client, config.taskQueue, { generation, from: opts.from ?? null, by: operator() });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          throw new UsageError(`rebuild ${generation} was started meanwhile by someone else (moflow opus status)`);
        }
        process.stdout.write(`started ${handle.workflowId}\n`);
        log('`moflow opus status` shows its runs, marked "rebuild"');
        if (opts.wait) await waitForSync(client, handle.workflowId, handle.result());
      });
    });
}

async function dumpsToReplay(settings: Settings, from: string | undefined): Promise<DumpName[]> {
  const source = openDumpSource(dumpSourceConfig(settings));
  try {
    const { dumps } = await source.list();
    const start = from === undefined ? 0 : dumps.findIndex((d) => d.name === from);
    if (start < 0) throw new UsageError(`${from} is not a dump in ${source.description} (moflow opus dumps lists them)`);
    if (dumps.length === 0) throw new UsageError(`${source.description} holds no dumps: nothing to rebuild from`);
    return dumps.slice(start);
  } finally {
    await source.close();
  }
}

/** How many people MO holds; makes sure the import gives each their uuid again (see the top of this file). */
async function keepUuids(settings: Settings, newUuids: boolean): Promise<number> {
  const path = opusImportOptions(settings).cprMapPath;
  const rows = await cprMapRowsFromMo(interactiveMoClient(settings));
  if (newUuids || (path !== undefined && existsSync(path))) return rows.length;
  if (rows.length > 0 && path !== undefined) {
    await writeCprMapFile(path, rows);
    log(`wrote the CPR mapping of the ${rows.length} people in MO to ${path} (integrations.opus.import.cpr_uuid_map_path), so they keep their uuids`);
    return rows.length;
  }
  if (rows.length > 0) return rows.length; // they are matched by CPR and keep their uuids
  throw new UsageError(
    path === undefined
      ? 'MO holds no people and integrations.opus.import.cpr_uuid_map_path is not set: the rebuild would give every person a new uuid. ' +
          'Set it to the file `moflow mo export-cpr-map` wrote before MO was emptied, or pass --new-uuids to accept new uuids'
      : `MO holds no people and the CPR mapping ${path} is missing: the rebuild would give every person a new uuid. ` +
          'Put back the file `moflow mo export-cpr-map` wrote before MO was emptied, or pass --new-uuids to accept new uuids',
  );
}

/** y/N at a terminal; elsewhere only --yes starts a rebuild. */
async function confirmed(): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError('not at a terminal: pass --yes to start the rebuild');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question('Start the rebuild? [y/N] ')).trim());
  } finally {
    rl.close();
  }
}
