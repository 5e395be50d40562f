// The moflow worker: workflows/index.ts (bundled) plus activities/index.ts on one task queue.
import { join } from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  GracefulShutdownPeriodExpiredError,
  Worker,
  type NativeConnection,
  type WorkerOptions,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { loadSettings, type Settings } from '../config/load.js';
import { METRICS_INTERCEPTOR_MODULE, metricsSinks } from '../metrics/runSink.js';
import { PROJECT_ROOT } from './binary.js';

/** After abandoning tasks at shutdown, the process exits this long later if they still keep it alive. */
export const ABANDONED_EXIT_MS = 5_000;

export const WORKFLOWS_PATH = join(PROJECT_ROOT, 'workflows', 'index.ts');

let bundle: Promise<WorkflowBundle> | undefined;

/**
 * The workflow bundle, built once per process (webpack takes a second or more; every worker and test
 * reuses it). The SDK bundler maps `.js` import specifiers to `.ts` files, so the ESM sources bundle as-is.
 */
export function moflowWorkflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    // Tells the worker how each run ended, for its metrics (src/metrics/workflowInterceptor.ts).
    workflowInterceptorModules: [METRICS_INTERCEPTOR_MODULE],
    // webpack's build report comes at INFO; errors still show.
    logger: new DefaultLogger('WARN'),
  }).catch((error: unknown) => {
    bundle = undefined; // let the next caller retry, e.g. after fixing a syntax error
    throw error;
  });
  return bundle;
}

export interface MoflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Settings the activities read (dump source, MO, data folder); default loadSettings() (MOFLOW_SETTINGS). */
  settings?: Settings;
  /** Activity implementations; default activities/index.ts built from `settings`. Tests pass fakes. */
  activities?: object;
  /** Default: the cached bundle of workflows/index.ts. */
  workflowBundle?: WorkflowBundleOption;
  /** Anything else Worker.create takes (tuning, identity, interceptors). */
  workerOptions?: Partial<WorkerOptions>;
}

export async function createMoflowWorker(options: MoflowWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await moflowWorkflowBundle()),
    activities: options.activities ?? createActivities(options.settings ?? loadSettings()),
    // A killed worker's workflows move on to another worker after this long (default 10 s): their histories
    // are short, so a replay elsewhere costs less than the wait.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    // On shutdown, let running activities finish for a while before they are cancelled (an upload in its retry
    // back-off stops at once), and give up on those that ignore the cancellation (a transfer waiting out its
    // inactivity timeout, a call into a library with no way to stop it) a little later: the whole stop stays
    // within the 30 s systemd and Kubernetes wait after SIGTERM before they SIGKILL. Temporal retries an
    // abandoned activity on the next worker.
    shutdownGraceTime: '20 seconds',
    shutdownForceTime: '25 seconds',
    ...options.workerOptions,
    sinks: { ...metricsSinks(), ...options.workerOptions?.sinks },
  });
}

/**
 * Runs the worker until SIGINT or SIGTERM, then shuts it down gracefully: polling stops, running tasks
 * finish (see shutdownGraceTime), and the promise resolves. A second signal exits at once (status 130/143).
 * Pair it with `Runtime.install({ shutdownSignals: [] })` so the SDK does not also react to the signals.
 */
export async function runWorkerUntilSignal(
  worker: Worker,
  onSignal: (signal: NodeJS.Signals) => void = () => {},
): Promise<void> {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  let signalled = false;
  const handler = (signal: NodeJS.Signals) => {
    signalled = true;
    if (worker.getState() === 'STOPPING' || worker.getState() === 'DRAINING' || worker.getState() === 'DRAINED') {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    onSignal(signal);
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  for (const signal of signals) process.on(signal, handler);
  try {
    await worker.run();
  } catch (error) {
    // Past shutdownForceTime the SDK (1.24) throws GracefulShutdownPeriodExpiredError, or, while the abandoned
    // activity still holds the native worker, IllegalStateError "Worker still in use".
    const forced = error instanceof GracefulShutdownPeriodExpiredError || (signalled && /Worker still in use/.test((error as Error).message));
    if (!forced) throw error;
    process.stderr.write('moflow: running tasks did not stop within 25 s and were abandoned; Temporal retries them on the next worker\n');
    // An abandoned task (a timer or socket it still holds) keeps the event loop alive: give the caller a few
    // seconds to close its connections, then exit (unref: no wait when nothing else is left).
    setTimeout(() => process.exit(143), ABANDONED_EXIT_MS).unref();
  } finally {
    for (const signal of signals) process.off(signal, handler);
  }
}
