// How a failed command ends: one message an operator can act on, and the exit code. Knowing every error class
// means importing most of moflow (Temporal included), so those are imported only for an error that is neither
// a settings problem nor a usage mistake, the two an operator meets most.
import { ConfigError } from '../config/errors.js';
import { log, systemErrorMessage, UsageError } from './output.js';

/** Prints an error for an operator and returns the exit code. */
export async function reportError(error: unknown): Promise<number> {
  if (error instanceof ConfigError) {
    log(`moflow: settings problem\n- ${error.problems.join('\n- ')}`);
    return 2;
  }
  if (error instanceof UsageError) {
    log(`moflow: ${error.message}`);
    return 1;
  }
  const [{ AdReadError }, { CprMapError }, { MoError }, { DumpReadError }, { DumpSourceError }, { ReimportNotPossible }, { TemporalUnreachableError }] =
    await Promise.all([
      import('../ad/errors.js'),
      import('../cprmap/format.js'),
      import('../mo/index.js'),
      import('../opus/reader.js'),
      import('../sources/types.js'),
      import('../sync/reimport.js'),
      import('../temporal/connection.js'),
    ]);
  if (
    error instanceof DumpSourceError ||
    error instanceof DumpReadError ||
    error instanceof TemporalUnreachableError ||
    error instanceof CprMapError ||
    error instanceof AdReadError ||
    error instanceof ReimportNotPossible
  ) {
    log(`moflow: ${error.message}`);
    return 1;
  }
  if (error instanceof MoError && (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'auth' || error.kind === 'http')) {
    log(`moflow: ${error.message}\nCheck that OS2MO answers at mora.base (moflow config show) and, with authentication, the client id and secret.`);
    return 1;
  }
  const system = systemErrorMessage(error);
  if (system) {
    log(`moflow: ${system}`);
    return 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`moflow: unexpected error: ${message}\nIf this persists, report it with the command you ran.`);
  return 1;
}
