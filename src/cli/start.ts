// `moflow start` (npm start): everything on embedded defaults in one process tree — a Temporal dev server
// with its Web UI (history kept in ./data), and a worker — then a first round of work, and it keeps running
// until Ctrl-C (`--once` stops after the first round). Later jobs (OPUS sync, Plan2Learn export) hook in here.
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { loadSettings } from '../config/load.js';
import { temporalConfig } from '../config/temporal.js';
import { connectClient, connectNative } from '../temporal/connection.js';
import { startDevServer } from '../temporal/devServer.js';
import { createMoflowWorker, runWorkerUntilSignal } from '../temporal/worker.js';
import { freePort } from '../util/ports.js';
import { log, settingsPathOf } from './output.js';
import { dataDirOf } from '../config/dataDir.js';

interface StartOptions {
  once?: boolean;
  port?: string;
  uiPort?: string;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run moflow on embedded defaults: Temporal dev server with UI, a worker, and the jobs')
    .option('--once', 'stop after the first round of work instead of running until Ctrl-C')
    .option('--port <port>', 'Temporal frontend port (default 7233, or a free one if taken)')
    .option('--ui-port <port>', 'Temporal Web UI port (default 8233, or a free one if taken)')
    .action(async (opts: StartOptions, command: Command) => {
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      for (const notice of settings.notices) log(`note: ${notice}`);
      const dataDir = dataDirOf(settings);
      mkdirSync(dataDir, { recursive: true });

      const port = await preferredPort(opts.port, 7233);
      const uiPort = await preferredPort(opts.uiPort, 8233);
      log(`moflow: starting the Temporal dev server (history in ${join(dataDir, 'temporal.db')}) …`);
      const server = await startDevServer({
        port,
        uiPort,
        dbFilename: join(dataDir, 'temporal.db'),
        logFile: join(dataDir, 'temporal.log'),
      });
      const config = { ...temporalConfig(settings), address: server.address, namespace: server.namespace, tls: false, apiKey: null };
      // Signals are handled below, so the worker drains before the server stops.
      Runtime.install({ shutdownSignals: [] });
      const native = await connectNative(config);
      const { connection, client } = await connectClient(config);
      try {
        const worker = await createMoflowWorker({ connection: native, namespace: config.namespace, taskQueue: config.taskQueue });
        const running = runWorkerUntilSignal(worker, (signal) => log(`moflow: ${signal}, finishing running tasks…`));
        log(`moflow: Temporal UI ${server.uiUrl}  ·  frontend ${server.address}  ·  task queue ${config.taskQueue}`);

        try {
          const result = await client.workflow.execute('ping', {
            taskQueue: config.taskQueue,
            workflowId: `moflow-start-${Date.now()}`,
            args: [{ message: 'moflow start' }],
          });
          log(`moflow: worker answered (${JSON.stringify(result)})`);
        } catch (error) {
          worker.shutdown();
          await running;
          throw error;
        }
        if (opts.once) worker.shutdown();
        else log('moflow: running; stop with Ctrl-C');
        await running;
      } finally {
        await connection.close();
        await native.close();
        await server.stop();
        log('moflow: stopped');
      }
    });
}

/** The port asked for, else the default if it is free, else any free port. */
async function preferredPort(asked: string | undefined, fallback: number): Promise<number> {
  if (asked !== undefined) {
    const port = Number(asked);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${asked} is not a port number`);
    return port;
  }
  const free = await freePort();
  return (await isFree(fallback)) ? fallback : free;
}

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
