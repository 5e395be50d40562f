// The worker's log, one line per entry: the SDK's default prints every entry's whole context (task tokens
// included) over a dozen lines. Which activity or workflow spoke is kept; CPR numbers are masked.
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import { maskCprsIn } from '../util/cpr.js';

export function formatLogEntry(entry: LogEntry): string {
  const meta = (entry.meta ?? {}) as Record<string, unknown>;
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const who =
    meta.activityType !== undefined
      ? ` [activity ${String(meta.activityType)} of ${String(meta.workflowId)}, attempt ${String(meta.attempt)}]`
      : meta.workflowType !== undefined
        ? ` [workflow ${String(meta.workflowType)} ${String(meta.workflowId)}]`
        : '';
  const state = meta.state !== undefined ? `: ${String(meta.state)}` : '';
  const error = meta.error instanceof Error ? `: ${meta.error.message}` : meta.error !== undefined ? `: ${String(meta.error)}` : '';
  return maskCprsIn(`${time} ${entry.level.padEnd(5)} ${entry.message}${state}${error}${who}`);
}

/**
 * Installs the SDK runtime with that log and without its own signal handling (the caller drains the worker
 * on SIGINT/SIGTERM first). Once per process; a second call keeps the first runtime.
 */
export function installRuntime(level: LogLevel = 'INFO'): void {
  try {
    Runtime.install({ logger: new DefaultLogger(level, (entry) => process.stderr.write(`${formatLogEntry(entry)}\n`)), shutdownSignals: [] });
  } catch {
    // already installed
  }
}
