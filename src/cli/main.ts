// The `moflow` command line. Each command group lives in its own module and registers itself; program.ts
// loads only the group the arguments name, so a command pays for its own dependencies and no others'.
import { CommanderError } from 'commander';
import { registerFor, rootProgram } from './program.js';

const program = rootProgram();

try {
  await registerFor(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  // Loaded on failure only: it knows every error class, so it imports most of moflow.
  const { reportError } = await import('./report.js');
  process.exit(await reportError(error));
}
