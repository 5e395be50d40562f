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
  // Loaded on failure only: it knows every error class, so it imports most of moflow. A long-running moflow
  // whose build was replaced and removed meanwhile (scripts/build.mjs) cannot load it: then the plain error.
  const report = await import('./report.js').catch(() => null);
  if (!report) {
    process.stderr.write(`moflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
  process.exit(await report.reportError(error));
}
