// `moflow worker`: runs the moflow workflows and activities against a Temporal server until SIGINT/SIGTERM.
import type { Command } from 'commander';
import type { NativeConnection } from '@temporalio/worker';
import { loadSettings } from '../config/load.js';
import { log, settingsPathOf } from './output.js';
import { addTemporalOptions, temporalConfigOf, type TemporalOverrides } from './temporalOptions.js';

export function registerWorkerCommand(program: Command): void {
  addTemporalOptions(program.command('worker'))
    .description('run the moflow Temporal worker (workflows and activities) until SIGINT or SIGTERM')
    .action(async (opts: TemporalOverrides, command: Command) => {
      // The worker's modules (Temporal, every activity's clients) load in this command only.
      const [{ connectNative, TemporalUnreachableError }, { installRuntime }, { createMoflowWorker, runWorkerUntilSignal }, { metricsConfig }, metricsServer] =
        await Promise.all([
          import('../temporal/connection.js'),
          import('../temporal/logging.js'),
          import('../temporal/worker.js'),
          import('../metrics/settings.js'),
          import('../metrics/server.js'),
        ]);
      const config = temporalConfigOf(command, opts);
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      // Signals are handled by runWorkerUntilSignal, which drains the worker before it returns.
      const metrics = metricsConfig(settings);
      const sdkMetrics = metrics ? await metricsServer.sdkMetricsAddress() : null;
      if (!installRuntime(undefined, sdkMetrics)) log("moflow worker: warning: the Temporal SDK's own metrics could not be set up; moflow's are served");
      let connection;
      try {
        connection = await connectNative(config);
      } catch (error) {
        if (!(error instanceof TemporalUnreachableError)) throw error;
        log(`moflow worker: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      const reportsDir = (await import('../opusRuns/context.js')).opusRunContext(settings).reportsDir;
      const served = metrics ? await metricsServer.serveMetrics(metrics, { sdkMetrics, reportsDir, log: (line) => log(`moflow worker: ${line}`) }) : null;
      try {
        await registerSearchAttributes(connection, config.namespace);
        const worker = await createMoflowWorker({ connection, namespace: config.namespace, taskQueue: config.taskQueue, settings });
        log(
          `moflow worker: polling task queue ${config.taskQueue} in namespace ${config.namespace} at ${config.address}` +
            `${config.tls ? ' (TLS)' : ''} as ${worker.options.identity}; stop with Ctrl-C or SIGTERM`,
        );
        if (served) log(`moflow worker: metrics at ${served.url}`);
        await runWorkerUntilSignal(worker, (signal) => log(`moflow worker: ${signal}, finishing running tasks…`));
        log('moflow worker: stopped');
      } finally {
        await served?.close();
        await connection.close();
      }
    });
}

/** Best effort: runs cannot be found by dump date or municipality until these exist; the worker runs either way. */
async function registerSearchAttributes(connection: NativeConnection, namespace: string): Promise<void> {
  const { ensureSearchAttributes } = await import('../temporal/searchAttributes.js');
  try {
    const added = await ensureSearchAttributes(connection, namespace);
    if (added.length > 0) log(`moflow worker: registered the search attributes ${added.join(', ')} in namespace ${namespace}`);
  } catch (error) {
    log(`moflow worker: warning: could not check moflow's search attributes (${(error as Error).message}); register them as the README says`);
  }
}
