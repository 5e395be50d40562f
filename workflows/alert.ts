// Alerts from workflows: a small event handed to the `sendAlert` local activity with a few retries of its own. An
// alert that cannot be sent is logged and never fails or holds up the run beyond those retries. The patch
// marker keeps runs started before alerts existed replaying as they ran.
import { log, patched, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import type { AlertEvent } from '../src/alerts/events.js';
import { messageOf, type ActivityTuning } from './definitions.js';

export type AlertInput = Omit<AlertEvent, 'workflowId' | 'runId'>;

export async function alert(event: AlertInput, tuning: ActivityTuning = {}): Promise<void> {
  if (!patched('moflow-alerts')) return;
  // A local activity: seconds of work, no activity events in the run's history (which shows the job's own
  // activities only), and re-run after a worker crash, which the alert store makes harmless.
  const { sendAlert } = proxyLocalActivities<MoflowActivities>({
    startToCloseTimeout: '3 minutes',
    retry: {
      initialInterval: tuning.retryInitialInterval ?? '10 seconds',
      backoffCoefficient: 2,
      maximumInterval: tuning.retryMaximumInterval ?? '2 minutes',
      maximumAttempts: 5,
    },
  });
  const { workflowId, runId } = workflowInfo();
  try {
    await sendAlert({ ...event, workflowId, runId });
  } catch (error) {
    // The activity's message names the alert, the channel and the fix; the run goes on.
    log.warn(`${messageOf(error)} (the run goes on)`);
  }
}
