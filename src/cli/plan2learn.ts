// `moflow plan2learn export [--ship] [--approve-shrink] [--out DIR]`: OS2MO → Plan2Learn's five CSV files in a
// local folder (with manifest.json), and with --ship over FTPES or SFTP to Plan2Learn — unless the export
// guard holds the shipment (exit 3). `moflow plan2learn approve` lets the export workflow the guard holds ship.
// Progress goes to stderr, the output folder to stdout. Any failure exits non-zero with what to do next —
// DIPEX exited 0 after FTP timeouts.
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { plan2learnFtpesKeys, plan2learnSftpKeys } from '../config/keys.js';
import { loadSettings } from '../config/load.js';
import { MoError, moClientFromSettings } from '../mo/index.js';
import { SnapshotError } from '../plan2learn/errors.js';
import { runPlan2LearnExport } from '../plan2learn/run.js';
import { ShipError } from '../plan2learn/ship.js';
import { shipTargetFromSettings } from '../plan2learn/shipSettings.js';
import { approveHeldExport } from '../temporal/plan2learnOps.js';
import { operator, withClient } from './opusRuns.js';
import { log, progress, settingsPathOf } from './output.js';
import { addTemporalOptions, type TemporalOverrides } from './temporalOptions.js';

interface ExportOptions {
  ship?: boolean;
  approveShrink?: boolean;
  out?: string;
}

/** Exit status of a direct export whose shipment the export guard held. */
export const HELD_EXIT_CODE = 3;

export function registerPlan2LearnCommands(program: Command): void {
  const plan2learn = program.command('plan2learn').description('the Plan2Learn export (DIPEX plan2learn.py and ship_files.py)');
  plan2learn
    .command('export')
    .description('read OS2MO and write bruger/organisation/engagement/stillingskode/leder.csv and manifest.json; --ship uploads them')
    .option('--ship', 'upload the files to Plan2Learn over FTPES or SFTP (exporters.plan2learn.host/user/password, .protocol)')
    .option('--approve-shrink', 'ship even when a file loses more than exporters.plan2learn.max_shrink_share of its rows or becomes empty')
    .option('--out <dir>', 'output folder (default moflow.plan2learn.output_dir, else plan2learn/ in the data folder)')
    .action(async (opts: ExportOptions, command: Command) => {
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      for (const notice of settings.notices) log(`note: ${notice}`);
      // Checked before MO is read: a run asked to ship must not find out after the export that it cannot.
      const target = shipTargetFromSettings(settings);
      if (opts.ship && target === null) {
        const k = plan2learnFtpesKeys;
        throw new ConfigError([
          `--ship needs the Plan2Learn FTP server: ${k.host.key}, ${k.user.key} and ${k.password.key} are not set. ` +
            `Fix: set them (and exporters.plan2learn.ca_file for a private CA; for SFTP ${plan2learnSftpKeys.protocol.key} "sftp", ` +
            `with ${plan2learnSftpKeys.privateKeyFile.key} instead of the password if you like, and ${plan2learnSftpKeys.hostKeySha256.key}), ` +
            'or run without --ship to only write the files.',
        ]);
      }
      if (!opts.ship && target !== null) log('not shipping: pass --ship to upload the files to Plan2Learn');

      const pages = new Map<string, ReturnType<typeof progress>>();
      try {
        const result = await runPlan2LearnExport(settings, {
          client: moClientFromSettings(settings),
          ...(opts.out !== undefined ? { outDir: opts.out } : {}),
          ship: opts.ship ? target : null,
          approved: opts.approveShrink ? 'any' : null,
          log,
          onPage: (collection, objects) => {
            let bar = pages.get(collection);
            if (!bar) pages.set(collection, (bar = progress(`reading ${collection}`)));
            bar.update(objects);
          },
        });
        for (const bar of pages.values()) bar.done();
        if (result.held) {
          log(
            `moflow plan2learn export held the shipment: ${result.held.reason}. Nothing was shipped; the new files are in ${result.dir}. ` +
              'Fix: check them (and OS2MO); if the shrink is right, run the export with --ship --approve-shrink ' +
              '(or raise exporters.plan2learn.max_shrink_share).',
          );
          process.stdout.write(`${result.dir}\n`);
          process.exitCode = HELD_EXIT_CODE;
          return;
        }
        if (result.shipped) log(`shipped ${result.shipped.length} files to Plan2Learn`);
        else if (target === null) log('export only: no Plan2Learn FTP server is configured (exporters.plan2learn.host/user/password)');
        process.stdout.write(`${result.dir}\n`);
      } catch (error) {
        for (const bar of pages.values()) bar.done();
        const advice = adviceFor(error);
        if (advice === null) throw error;
        log(`moflow plan2learn export failed: ${advice}`);
        process.exitCode = 1;
      }
    });

  addTemporalOptions(plan2learn.command('approve'))
    .description('let the Plan2Learn export the export guard holds ship (signal approveExport); check the files first')
    .option('--workflow-id <id>', 'the held run, when more than one waits (default: the only one)')
    .action((opts: TemporalOverrides & { workflowId?: string }, command: Command) =>
      withClient(command, opts, async (client) => {
        const run = await approveHeldExport(client, operator(), opts.workflowId);
        process.stdout.write(`approved ${run.workflowId}\n`);
        log(`approved the shipment held because ${run.reason}; the export reads OS2MO again and ships`);
      }),
    );
}

/** A message with what to do next for the failures an operator can act on; null for the unexpected. */
function adviceFor(error: unknown): string | null {
  if (error instanceof MoError) {
    return `${error.message}. Fix: check that OS2MO answers at mora.base and, with Keycloak, crontab.CLIENT_ID/CLIENT_SECRET/AUTH_SERVER (moflow config show); then run the export again.`;
  }
  if (error instanceof SnapshotError) {
    return `${error.message}. Fix: correct that object in OS2MO (or the Plan2Learn settings naming it); no file was written.`;
  }
  if (error instanceof ShipError) {
    return `${error.message}. The files are in the output folder; fix the cause and run the export with --ship again.`;
  }
  return null;
}
