// The drift check as its own run (weekly by schedule, or `moflow opus drift`): one activity compares MO with
// the newest imported dump in full and writes the report; the memo says what it found (the UI and `moflow opus
// drift` show it), and an alert goes out when MO differs. Fixing is the activity's choice of input or setting.
import { proxyActivities, setCurrentDetails, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import { driftRemains, driftSummary, type DriftResult } from '../src/opusRuns/driftText.js';
import { alert } from './alert.js';
import { longActivityOptions, type ActivityTuning } from './definitions.js';

export interface DriftCheckWorkflowInput {
  /** Write the differences back to MO; absent: the worker's moflow.drift.fix setting. */
  fix?: boolean;
  tuning?: ActivityTuning;
}

export async function opusDriftCheck(input: DriftCheckWorkflowInput = {}): Promise<DriftResult> {
  const { checkOpusDrift } = proxyActivities<MoflowActivities>(longActivityOptions(input.tuning));
  setCurrentDetails('comparing MO with the newest imported dump');
  upsertMemo({ status: 'running' });
  const result = await checkOpusDrift({ ...(input.fix === undefined ? {} : { fix: input.fix }), checkedAt: workflowInfo().startTime.toISOString() });
  const summary = driftSummary(result);
  const status = result.dump === null ? 'not checked' : result.differences === 0 ? 'no differences' : driftRemains(result) ? 'differences found' : 'fixed';
  // The memo is what the UI and `moflow opus drift` show: the counts and the first differences.
  upsertMemo({ status, dump: result.dump, summary, differences: result.differences, first: result.first.slice(0, 10), reportFile: result.reportFile });
  setCurrentDetails(summary);
  if (result.differences > 0) {
    await alert({ kind: 'drift-found', stream: 'drift', dump: result.dump, reason: `${summary}. Every difference is in ${result.reportFile} on the worker` }, input.tuning);
  }
  return result;
}
