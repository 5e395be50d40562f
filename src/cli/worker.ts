// `moflow worker`: runs the moflow workflows and activities against a Temporal server until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { Runtime } from '@temporalio/worker';
import { connectNative, TemporalUnreachableError } from '../temporal/connection.js';
import { createMoflowWorker, runWorkerUntilSignal } from '../temporal/worker.js';
import { log } from './output.js';
import { addTemporalOptions, temporalConfigOf, type TemporalOverrides } from './temporalOptions.js';

export function registerWorkerCommand(program: Command): void {
  addTemporalOptions(program.command('worker'))
    .description('run the moflow Temporal worker (workflows and activities) until SIGINT or SIGTERM')
    .action(async (opts: TemporalOverrides, command: Command) => {
      const config = temporalConfigOf(command, opts);
      // Signals are handled by runWorkerUntilSignal, which drains the worker before it returns.
      Runtime.install({ shutdownSignals: [] });
      let connection;
      try {
        connection = await connectNative(config);
      } catch (error) {
        if (!(error instanceof TemporalUnreachableError)) throw error;
        log(`moflow worker: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      try {
        const worker = await createMoflowWorker({ connection, namespace: config.namespace, taskQueue: config.taskQueue });
        log(
          `moflow worker: polling task queue ${config.taskQueue} in namespace ${config.namespace} at ${config.address}` +
            `${config.tls ? ' (TLS)' : ''} as ${worker.options.identity}; stop with Ctrl-C or SIGTERM`,
        );
        await runWorkerUntilSignal(worker, (signal) => log(`moflow worker: ${signal}, finishing running tasks…`));
        log('moflow worker: stopped');
      } finally {
        await connection.close();
      }
    });
}
