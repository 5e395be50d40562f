// A local Temporal server: `temporal server start-dev` (from .venv, see binary.ts) as a child process.
// `npm start` runs it with the Web UI and a SQLite file; every Temporal test runs one headless and in memory.
//
// We start it ourselves instead of TestWorkflowEnvironment.createLocal: the SDK would try to download the CLI
// (offline here) and gives up after ~5 s, too short for a loaded 2-core CI box.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { accepts, freePort } from '../util/ports.js';
import { findOnPath, temporalCliPath } from './binary.js';

/** Chooses a port that is free now; asked again for a fresh one when the server could not bind it after all. */
export type PortChoice = () => Promise<number>;

export type SearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServerOptions {
  /** Interface the frontend (and UI) bind to; default 127.0.0.1. */
  ip?: string;
  /** gRPC frontend port, or how to choose one (asked again when the bind fails); default a free port. */
  port?: number | PortChoice;
  /** Web UI port, or how to choose one; default a free port; null = no UI (--headless). */
  uiPort?: number | PortChoice | null;
  /** SQLite file for persistent history; default (or null) in memory, lost when the server stops. */
  dbFilename?: string | null;
  /** Namespace to create besides `default`, and the one readiness is checked on; default `default`. */
  namespace?: string;
  searchAttributes?: Record<string, SearchAttributeType>;
  /** Append the server's stdout and stderr here (they are always kept in memory for error messages). */
  logFile?: string;
  /** How long to wait for the frontend to serve the namespace; default 60 s (CI is a loaded 2-core box). */
  startTimeoutMs?: number;
}

export interface DevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  /** http://host:port of the Web UI, or null when headless. */
  uiUrl: string | null;
  namespace: string;
  pid: number;
  /** The last lines the server printed. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const TAIL_BYTES = 16_384;
const STOP_GRACE_MS = 10_000;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  // Free ports are picked before the server binds them, so another process can grab one in between; the
  // server also picks its internal services' ports that way. Retry a failed bind with freshly chosen ports
  // (a fixed port stays what it is: when someone really holds it, the third failure says so).
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

const PORT_ATTEMPTS = 3;

async function choosePort(choice: number | PortChoice | undefined, host: string): Promise<number> {
  if (typeof choice === 'number') return choice;
  return choice ? choice() : freePort(host);
}

class PortInUseError extends Error {}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '::1' : ip;
  const port = await choosePort(options.port, host);
  const uiPort = options.uiPort === null ? null : await choosePort(options.uiPort, host);
  const namespace = options.namespace ?? 'default';
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const dbFilename = options.dbFilename ? resolve(options.dbFilename) : null;
  if (dbFilename) mkdirSync(dirname(dbFilename), { recursive: true });

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  // The UI's news feed would reach out to the internet; these machines have none.
  args.push(...(uiPort === null ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-disable-news-fetch']));
  if (dbFilename) args.push('--db-filename', dbFilename);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);
  for (const value of [
    'frontend.enableUpdateWorkflowExecution=true',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    // The version check phones home; offline it only adds noise.
    'frontend.enableServerVersionCheck=false',
  ]) {
    args.push('--dynamic-config-value', value);
  }

  const child = spawnTiedToParent(temporalCliPath(), args);
  const output = new OutputTail(options.logFile);
  child.stdout?.on('data', (chunk: Buffer) => output.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.write(chunk));

  // Kill the child when this process exits; spawnTiedToParent covers deaths where no handler runs.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    child.once('exit', () => resolveExit());
  });
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  spawnFailed.catch(() => {}); // observed below; keep Node from reporting it as unhandled

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // No pid: the spawn itself failed, there is nothing to stop.
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      await output.close();
    })());

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const started = Date.now();
  const died = exited.then(() => {
    const why = child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`;
    throw new Error(`temporal server start-dev (pid ${child.pid}) exited (${why}) before it was ready:\n${output.tail()}`);
  });
  died.catch(() => {});
  const polling = new AbortController();
  try {
    await Promise.race([waitUntilServing(address, namespace, started + timeoutMs, polling.signal), died, spawnFailed]);
  } catch (error) {
    await stop();
    if (/address already in use/i.test(output.tail())) throw new PortInUseError((error as Error).message);
    if (error instanceof ReadinessTimeout) {
      throw new Error(
        `temporal server start-dev (pid ${child.pid}) did not serve namespace ${namespace} at ${address} within ${timeoutMs / 1000} s:\n${output.tail()}`,
      );
    }
    throw error;
  } finally {
    polling.abort();
  }

  return {
    address,
    uiUrl: uiPort === null ? null : `http://${address.slice(0, address.lastIndexOf(':'))}:${uiPort}`,
    namespace,
    pid: child.pid!,
    logTail: () => output.tail(),
    stop,
  };
}

/**
 * Runs the CLI under `setpriv --pdeathsig TERM` when util-linux has it, so the kernel stops the server even
 * when this process dies without running exit handlers (SIGKILL, crash). Own process group: a terminal's
 * Ctrl-C reaches only us, and we stop the server after the worker has drained.
 */
function spawnTiedToParent(command: string, args: string[]): ChildProcess {
  const setpriv = findOnPath('setpriv');
  const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
  return spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

class ReadinessTimeout extends Error {}

/** Polls until the frontend accepts TCP, then until it answers DescribeNamespace over gRPC. */
async function waitUntilServing(address: string, namespace: string, deadline: number, signal: AbortSignal): Promise<void> {
  const colon = address.lastIndexOf(':');
  const [host, port] = [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number(address.slice(colon + 1))];
  while (!(await accepts(host, port))) {
    if (Date.now() > deadline) throw new ReadinessTimeout();
    await sleep(50, undefined, { signal });
  }
  for (;;) {
    signal.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new ReadinessTimeout();
    try {
      const connection = await Connection.connect({ address, connectTimeout: Math.min(remaining, 5_000) });
      try {
        await connection.withDeadline(Date.now() + Math.min(remaining, 5_000), () =>
          connection.workflowService.describeNamespace({ namespace }),
        );
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await sleep(100, undefined, { signal }); // not up yet, or the namespace is still being registered
    }
  }
}

/** The last TAIL_BYTES of the server's output, optionally also appended to a log file. */
class OutputTail {
  private buffer = '';
  private readonly file: WriteStream | null;

  constructor(logFile: string | undefined) {
    if (logFile) mkdirSync(dirname(resolve(logFile)), { recursive: true });
    this.file = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
  }

  write(chunk: Buffer): void {
    this.file?.write(chunk);
    this.buffer = (this.buffer + chunk.toString('utf8')).slice(-TAIL_BYTES);
  }

  tail(lines = 40): string {
    return this.buffer.trimEnd().split('\n').slice(-lines).join('\n') || '(no output)';
  }

  close(): Promise<void> {
    return new Promise((resolveClose) => (this.file ? this.file.end(resolveClose) : resolveClose()));
  }
}
