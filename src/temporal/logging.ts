// The worker's log, one line per entry: the SDK's default prints every entry's whole context (task tokens
// included) over a dozen lines. CPR numbers are masked.
// - MOFLOW_LOG_LEVEL (debug, info, warn, error; default info): the stages of each activity (reading MO's
//   facets, classes, …) are debug; a dump's steps, the export's files and warnings are info.
// - MOFLOW_LOG_FORMAT=json: one JSON object a line, every field kept, for log collectors; the default text
//   line names the activity and its workflow only at debug or on a retry (attempt > 1), so it stays short.
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import { IllegalStateError } from '@temporalio/common';
import { ConfigError } from '../config/errors.js';
import { maskCprsIn } from '../util/cpr.js';

export type LogFormat = 'text' | 'json';

export interface LogOptions {
  level: LogLevel;
  format: LogFormat;
  /** Show the SDK's own INFO lines (worker state changes, …); `moflow start` prints its own instead. */
  sdkInfo: boolean;
}

const LEVELS: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', warning: 'WARN', error: 'ERROR' };

/** The level and format from MOFLOW_LOG_LEVEL and MOFLOW_LOG_FORMAT (`verbose` forces debug); a ConfigError names a value it does not know. */
export function logOptionsFromEnv(env: NodeJS.ProcessEnv = process.env, { verbose = false, sdkInfo = true } = {}): LogOptions {
  const levelText = (env.MOFLOW_LOG_LEVEL ?? '').trim().toLowerCase();
  const formatText = (env.MOFLOW_LOG_FORMAT ?? '').trim().toLowerCase();
  const problems: string[] = [];
  if (levelText !== '' && LEVELS[levelText] === undefined) problems.push(`MOFLOW_LOG_LEVEL must be debug, info, warn or error, not "${env.MOFLOW_LOG_LEVEL}"`);
  if (formatText !== '' && formatText !== 'text' && formatText !== 'json') problems.push(`MOFLOW_LOG_FORMAT must be text or json, not "${env.MOFLOW_LOG_FORMAT}"`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { level: verbose ? 'DEBUG' : (LEVELS[levelText] ?? 'INFO'), format: formatText === 'json' ? 'json' : 'text', sdkInfo };
}

const meta = (entry: LogEntry) => (entry.meta ?? {}) as Record<string, unknown>;
const timeOf = (entry: LogEntry) => new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
const errorText = (error: unknown) => (error instanceof Error ? error.message : error !== undefined ? String(error) : undefined);

/** One text line; `detail` adds which activity or workflow spoke (always on a retry). */
export function formatLogEntry(entry: LogEntry, detail = true): string {
  const m = meta(entry);
  const retry = Number(m.attempt ?? 1) > 1;
  const who =
    m.activityType !== undefined
      ? detail || retry
        ? ` [activity ${String(m.activityType)} of ${String(m.workflowId)}, attempt ${String(m.attempt)}]`
        : ''
      : m.workflowType !== undefined && detail
        ? ` [workflow ${String(m.workflowType)} ${String(m.workflowId)}]`
        : '';
  const state = m.state !== undefined ? `: ${String(m.state)}` : '';
  const error = m.error !== undefined ? `: ${errorText(m.error)}` : '';
  return maskCprsIn(`${timeOf(entry)} ${entry.level.padEnd(5)} ${entry.message}${state}${error}${who}`);
}

/** One JSON line with the entry's context (task tokens and other binary fields left out). */
export function formatLogEntryJson(entry: LogEntry): string {
  const fields: Record<string, unknown> = { time: timeOf(entry), level: entry.level, message: entry.message };
  for (const [key, value] of Object.entries(meta(entry))) {
    if (key === 'error') fields.error = errorText(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return maskCprsIn(JSON.stringify(fields));
}

/** Whether an entry is printed: the SDK's own INFO chatter only when asked for. */
function shown(entry: LogEntry, options: LogOptions): boolean {
  const component = meta(entry).sdkComponent;
  if (entry.level === 'INFO' && !options.sdkInfo && options.level !== 'DEBUG' && options.level !== 'TRACE') {
    return component === 'activity' || component === 'workflow';
  }
  return true;
}

/** The line for an entry under these options, or null when it is not printed. */
export function logLine(entry: LogEntry, options: LogOptions): string | null {
  if (!shown(entry, options)) return null;
  return options.format === 'json' ? formatLogEntryJson(entry) : formatLogEntry(entry, options.level === 'DEBUG' || options.level === 'TRACE');
}

/**
 * Installs the SDK runtime with that log and without its own signal handling (the caller drains the worker
 * on SIGINT/SIGTERM first). Once per process; a second call keeps the first runtime. `sdkMetrics` (host:port)
 * makes the SDK export its own Prometheus metrics there (src/metrics/server.ts serves them with moflow's);
 * returns false when that could not be set up (the runtime is then installed without them).
 */
export function installRuntime(options: LogOptions = logOptionsFromEnv(), sdkMetrics: string | null = null): boolean {
  const install = (metrics: string | null) =>
    Runtime.install({
      logger: new DefaultLogger(options.level, (entry) => {
        const line = logLine(entry, options);
        if (line !== null) process.stderr.write(`${line}\n`);
      }),
      shutdownSignals: [],
      ...(metrics ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metrics } } } } : {}),
    });
  try {
    install(sdkMetrics);
    return true;
  } catch (error) {
    if (error instanceof IllegalStateError || sdkMetrics === null) return true; // already installed
    install(null);
    return false;
  }
}
