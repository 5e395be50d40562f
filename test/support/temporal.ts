// One real Temporal dev server per test file: `useTemporal()` inside a `describe` starts it (headless, in
// memory) in `before` and stops it in `after`, with a client and a native connection for workers.
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { temporalCliPath } from '../../src/temporal/binary.js';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/temporal/devServer.js';
import { createMoflowWorker, type MoflowWorkerOptions } from '../../src/temporal/worker.js';

/** A skip reason for `describe` when the temporal CLI is missing, or false. In CI it throws instead. */
export function temporalSkip(): string | false {
  try {
    temporalCliPath();
    return false;
  } catch (error) {
    const reason = (error as Error).message;
    if (process.env.CI) throw new Error(`CI needs every test daemon: ${reason}`);
    return reason;
  }
}

export interface TemporalTestEnv {
  readonly server: DevServer;
  readonly client: Client;
  readonly nativeConnection: NativeConnection;
  /** A task queue no other test uses, so a stray worker can never take this test's tasks. */
  taskQueue(label?: string): string;
  /** A moflow worker on this server (the bundle is built once per process); run it with `runUntil`. */
  createWorker(options: Omit<MoflowWorkerOptions, 'connection' | 'namespace'>): Promise<Worker>;
}

export function useTemporal(options: DevServerOptions = {}): TemporalTestEnv {
  let server: DevServer | undefined;
  let connection: Connection | undefined;
  let client: Client | undefined;
  let nativeConnection: NativeConnection | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the Temporal test server is not started: use the env inside tests, not at load time');
    return value;
  };

  before(async () => {
    quietSdkLogs();
    server = await startDevServer({ uiPort: null, ...options });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection, namespace: server.namespace });
    nativeConnection = await NativeConnection.connect({ address: server.address });
  });

  after(async () => {
    await nativeConnection?.close();
    await connection?.close();
    await server?.stop();
  });

  return {
    get server() {
      return ready(server);
    },
    get client() {
      return ready(client);
    },
    get nativeConnection() {
      return ready(nativeConnection);
    },
    taskQueue: (label = 'test') => `${label}-${randomUUID()}`,
    createWorker: (workerOptions) =>
      createMoflowWorker({ connection: ready(nativeConnection), namespace: ready(server).namespace, ...workerOptions }),
  };
}

/** Worker state changes at INFO would bury the test report; warnings and errors still show. */
function quietSdkLogs(): void {
  try {
    // No shutdown signals: Ctrl-C should end a test run at once, not wait for workers to drain.
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // already installed (another suite in this file, or a test did it): keep that one
  }
}
