// Runs in the workflow sandbox (bundled by moflowWorkflowBundle): tells the worker how each workflow run ended,
// through the `moflowMetrics` sink (runSink.ts). A run's end is seen here, not in an activity, because a
// failed or skipped import calls no activity at its end; the sink is not called during replay, so a run that a
// worker replays (cache eviction, another worker's crash) is counted once, by the worker that finishes it.
import { ContinueAsNew, isCancellation, proxySinks, type WorkflowInterceptorsFactory, type Sinks } from '@temporalio/workflow';

export interface MetricsSinks extends Sinks {
  moflowMetrics: { runEnded(outcome: string): void };
}

const { moflowMetrics } = proxySinks<MetricsSinks>();

/** The outcome label of a finished run from its result: an import's status, an export's shipped/exported. */
export function outcomeOf(result: unknown): string {
  const r = (result ?? {}) as { status?: unknown; target?: unknown; files?: unknown };
  if (typeof r.status === 'string') return r.status;
  if (Array.isArray(r.files)) return r.target ? 'shipped' : 'exported';
  return 'completed';
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          const result = await next(input);
          moflowMetrics.runEnded(outcomeOf(result));
          return result;
        } catch (error) {
          if (error instanceof ContinueAsNew) throw error; // the run goes on in a new one
          moflowMetrics.runEnded(isCancellation(error) ? 'cancelled' : 'failed');
          throw error;
        }
      },
    },
  ],
});
