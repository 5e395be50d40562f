// The `moflow` command line. Each command group lives in its own module and registers itself here.
import { Command, CommanderError } from 'commander';
import { registerConfigCommands } from './config.js';
import { registerMoCommands } from './mo.js';
import { registerOpusCommands } from './opus.js';
import { registerPingCommand } from './ping.js';
import { registerScheduleCommands } from './schedules.js';
import { registerPlan2LearnCommands } from './plan2learn.js';
import { registerStartCommand } from './start.js';
import { registerWorkerCommand } from './worker.js';
import { reportError } from './output.js';

const program = new Command('moflow')
  .description('OPUS Løn → OS2MO import and OS2MO → Plan2Learn export, orchestrated by Temporal')
  .option('--settings <file>', 'DIPEX-style settings.json (default: $MOFLOW_SETTINGS)')
  .showHelpAfterError()
  .exitOverride();

registerConfigCommands(program);
registerOpusCommands(program);
registerMoCommands(program);
registerPlan2LearnCommands(program);
registerStartCommand(program);
registerWorkerCommand(program);
registerPingCommand(program);
registerScheduleCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.exit(reportError(error));
}
