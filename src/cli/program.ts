// The `moflow` command tree, loaded by need: a command group's module (and what it imports: Temporal, Cloud
// Storage, SMB, LDAP, PostgreSQL…) is imported only when that group runs. `moflow --help` needs just the
// top-level names and descriptions, kept in GROUPS; test/cli/startup.test.ts checks they match the modules.
import { Command } from 'commander';

type Register = (program: Command) => void;

interface Group {
  name: string;
  /** The line in `moflow --help`: as the group's own module describes it. */
  description: string;
  /** Whether the top-level command has options of its own (help shows `[options]`). */
  options?: boolean;
  load: () => Promise<Register>;
}

/** In the order of `moflow --help`. */
export const GROUPS: readonly Group[] = [
  { name: 'config', description: 'inspect settings', load: async () => (await import('./config.js')).registerConfigCommands },
  { name: 'opus', description: 'OPUS Løn dumps and their import into OS2MO', load: async () => (await import('./opus.js')).registerOpusCommands },
  { name: 'mo', description: 'the local OS2MO-compatible service, and exports from OS2MO', load: async () => (await import('./mo.js')).registerMoCommands },
  {
    name: 'plan2learn',
    description: 'the Plan2Learn export (DIPEX plan2learn.py and ship_files.py)',
    load: async () => (await import('./plan2learn.js')).registerPlan2LearnCommands,
  },
  {
    name: 'start',
    description: 'run moflow on embedded defaults: Temporal dev server with UI, local MO, a worker, the OPUS sync and the Plan2Learn export',
    options: true,
    load: async () => (await import('./start.js')).registerStartCommand,
  },
  {
    name: 'worker',
    description: 'run the moflow Temporal worker (workflows and activities) until SIGINT or SIGTERM',
    options: true,
    load: async () => (await import('./worker.js')).registerWorkerCommand,
  },
  { name: 'temporal', description: 'the Temporal server and worker', load: async () => (await import('./ping.js')).registerPingCommand },
  {
    name: 'schedules',
    description: 'the nightly Temporal schedules (OPUS sync, Plan2Learn export)',
    load: async () => (await import('./schedules.js')).registerScheduleCommands,
  },
];

export function rootProgram(): Command {
  return new Command('moflow')
    .description('OPUS Løn → OS2MO import and OS2MO → Plan2Learn export, orchestrated by Temporal')
    .option('--settings <file>', 'DIPEX-style settings.json (default: $MOFLOW_SETTINGS)')
    .showHelpAfterError()
    .exitOverride();
}

/** The group the arguments run (after `node moflow`), `help <group>` included; null for the top level. */
export function groupOf(args: readonly string[]): string | null {
  const operands: string[] = [];
  for (let i = 0; i < args.length && operands.length < 2; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === '--settings') i++;
    else if (!arg.startsWith('-')) operands.push(arg);
  }
  return (operands[0] === 'help' ? operands[1] : operands[0]) ?? null;
}

/**
 * Registers what the arguments need: the one group they name; for the top-level help, every group's
 * name and description only; for anything else (a typo: commander suggests the nearest name), every group.
 */
export async function registerFor(program: Command, args: readonly string[]): Promise<void> {
  const name = groupOf(args);
  const named = GROUPS.find((g) => g.name === name);
  if (named) (await named.load())(program);
  else if (name === null) for (const g of GROUPS) describeOnly(program, g);
  else await registerAll(program);
}

export async function registerAll(program: Command): Promise<void> {
  for (const register of await Promise.all(GROUPS.map((g) => g.load()))) register(program);
}

/** A stand-in that prints as the group does in the top-level help; never run (a named group loads itself). */
function describeOnly(program: Command, group: Group): void {
  const command = program.command(group.name).description(group.description);
  if (group.options) command.option('--options', 'stand-in: the group has options of its own');
}
