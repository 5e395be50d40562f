// `moflow schedules apply`: creates or updates the nightly schedules from the settings (cron and time zone),
// registers moflow's search attributes and makes sure opus-control runs. Running it twice changes nothing.
import type { Command } from 'commander';
import { loadSettings } from '../config/load.js';
import { scheduleConfig } from '../config/schedules.js';
import { log, settingsPathOf } from './output.js';
import { addTemporalOptions, temporalConfigOf, type TemporalOverrides } from './temporalOptions.js';

export function registerScheduleCommands(program: Command): void {
  const schedules = program.command('schedules').description('the nightly Temporal schedules (OPUS sync, Plan2Learn export)');
  addTemporalOptions(schedules.command('apply'))
    .description('create or update the schedules from moflow.schedules.* (cron, time zone); idempotent')
    .action(async (opts: TemporalOverrides, command: Command) => {
      // Temporal's client loads in the command that uses it, not in every moflow start.
      const [{ connectClient }, { ensureControl }, { applySchedules }, { ensureSearchAttributes }] = await Promise.all([
        import('../temporal/connection.js'),
        import('../temporal/opusOps.js'),
        import('../temporal/schedules.js'),
        import('../temporal/searchAttributes.js'),
      ]);
      const config = temporalConfigOf(command, opts);
      const wanted = scheduleConfig(loadSettings({ settingsPath: settingsPathOf(command) }));
      const { connection, client } = await connectClient(config);
      try {
        const added = await ensureSearchAttributes(connection, config.namespace).catch((error: Error) => {
          log(`warning: could not register the search attributes (${error.message}); see the README`);
          return [];
        });
        if (added.length > 0) log(`registered the search attributes ${added.join(', ')}`);
        for (const { scheduleId, outcome, cron } of await applySchedules(client, config.taskQueue, wanted)) {
          process.stdout.write(`${scheduleId}: ${outcome}${cron ? ` (${cron}, ${wanted.timeZone})` : ''}\n`);
        }
        if (await ensureControl(client, config.taskQueue)) log('started opus-control (takes reimportEmployee signals)');
      } finally {
        await connection.close();
      }
    });
}
