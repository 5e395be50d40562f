// `moflow temporal ping`: runs the ping workflow, proving a worker polls the task queue and can run activities.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { ping } from '../../workflows/index.js';
import { log } from './output.js';
import { addTemporalOptions, temporalConfigOf, type TemporalOverrides } from './temporalOptions.js';

export function registerPingCommand(program: Command): void {
  // `temporal` may already exist when another module registered commands under it first.
  const temporal =
    program.commands.find((c) => c.name() === 'temporal') ?? program.command('temporal').description('the Temporal server and worker');
  addTemporalOptions(temporal.command('ping'))
    .description('run the ping workflow on a worker and print which worker answered')
    .option('--message <text>', 'text to send along', 'ping')
    .option('--timeout <seconds>', 'give up when the server or a worker does not answer within this time', '30')
    .action(async (opts: TemporalOverrides & { message: string; timeout: string }, command: Command) => {
      // Temporal's client loads in the command that uses it, not in every moflow start.
      const [{ WorkflowFailedError }, { TimeoutFailure }, { connectClient, TemporalUnreachableError }] = await Promise.all([
        import('@temporalio/client'),
        import('@temporalio/common'),
        import('../temporal/connection.js'),
      ]);
      const config = temporalConfigOf(command, opts);
      const timeoutSeconds = Number(opts.timeout);
      if (!(timeoutSeconds > 0)) throw new Error(`--timeout must be a positive number of seconds, not ${opts.timeout}`);
      let connected;
      try {
        connected = await connectClient(config, { connectTimeoutMs: Math.min(timeoutSeconds * 1000, 10_000) });
      } catch (error) {
        if (!(error instanceof TemporalUnreachableError)) throw error;
        log(`moflow temporal ping: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      const { connection, client } = connected;
      const started = Date.now();
      try {
        const result = await client.workflow.execute<typeof ping>('ping', {
          taskQueue: config.taskQueue,
          workflowId: `ping-${randomUUID()}`,
          args: [{ message: opts.message }],
          // The server fails the run when no worker picks it up in time, instead of it waiting forever.
          workflowExecutionTimeout: `${timeoutSeconds} seconds`,
        });
        const w = result.worker;
        process.stdout.write(`${JSON.stringify(result)}\n`);
        log(`${result.reply} from worker pid ${w.pid} on ${w.hostname} (Node ${w.nodeVersion}) in ${Date.now() - started} ms`);
      } catch (error) {
        if (!(error instanceof WorkflowFailedError && error.cause instanceof TimeoutFailure)) throw error;
        log(
          `moflow temporal ping: no worker answered on task queue ${config.taskQueue} in namespace ${config.namespace} ` +
            `within ${timeoutSeconds} s. Start one with \`moflow worker\` (or check its task queue).`,
        );
        process.exitCode = 1;
      } finally {
        await connection.close();
      }
    });
}
