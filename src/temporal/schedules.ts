// The schedules (nightly OPUS sync and Plan2Learn export, weekly drift check), created or brought in line with the settings by
// `moflow schedules apply`. Idempotent: what a schedule was made from is kept in its action's memo, so a
// second apply with the same settings changes nothing, and an operator's pause survives an update.
// Overlaps are skipped; a manual `temporal schedule trigger` should pass `--overlap-policy Skip` too
// (its default is AllowAll).
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { ScheduleConfig } from '../config/schedules.js';
import {
  OPUS_DRIFT_ID,
  OPUS_DRIFT_SCHEDULE_ID,
  OPUS_SYNC_ID,
  OPUS_SYNC_SCHEDULE_ID,
  PLAN2LEARN_EXPORT_ID,
  PLAN2LEARN_SCHEDULE_ID,
} from '../../workflows/definitions.js';

export type ScheduleOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

interface Job {
  scheduleId: string;
  workflowType: string;
  workflowId: string;
  cron: string | null;
  note: string;
}

const MEMO_KEY = 'moflowSchedule';

export async function applySchedules(client: Client, taskQueue: string, config: ScheduleConfig): Promise<{ scheduleId: string; outcome: ScheduleOutcome; cron: string | null }[]> {
  const jobs: Job[] = [
    { scheduleId: OPUS_SYNC_SCHEDULE_ID, workflowType: 'opusSync', workflowId: OPUS_SYNC_ID, cron: config.opusSync, note: 'nightly OPUS sync' },
    { scheduleId: PLAN2LEARN_SCHEDULE_ID, workflowType: 'plan2learnExport', workflowId: PLAN2LEARN_EXPORT_ID, cron: config.plan2learnExport, note: 'nightly Plan2Learn export' },
    { scheduleId: OPUS_DRIFT_SCHEDULE_ID, workflowType: 'opusDriftCheck', workflowId: OPUS_DRIFT_ID, cron: config.opusDrift, note: 'weekly drift check of MO against the newest imported dump' },
  ];
  const outcomes = [];
  for (const job of jobs) outcomes.push({ scheduleId: job.scheduleId, outcome: await applyOne(client, taskQueue, config.timeZone, job), cron: job.cron });
  return outcomes;
}

async function applyOne(client: Client, taskQueue: string, timeZone: string, job: Job): Promise<ScheduleOutcome> {
  const handle = client.schedule.getHandle(job.scheduleId);
  let current: string | undefined;
  try {
    current = (await handle.describe()).action.memo?.[MEMO_KEY] as string | undefined;
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    if (job.cron === null) return 'absent';
    await client.schedule.create({ scheduleId: job.scheduleId, ...desired(taskQueue, timeZone, job), state: { note: `${job.note} (moflow schedules apply)` } });
    return 'created';
  }
  if (job.cron === null) {
    await handle.delete();
    return 'deleted';
  }
  const wanted = desired(taskQueue, timeZone, job);
  if (current === wanted.action.memo[MEMO_KEY]) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: wanted.spec, action: wanted.action, policies: wanted.policies }));
  return 'updated';
}

function desired(taskQueue: string, timeZone: string, job: Job) {
  const fingerprint = JSON.stringify({ cron: job.cron, timeZone, taskQueue, workflowType: job.workflowType, workflowId: job.workflowId });
  return {
    spec: { cronExpressions: [job.cron!], timezone: timeZone },
    action: {
      type: 'startWorkflow' as const,
      workflowType: job.workflowType,
      // The schedule appends the run's time to this id.
      workflowId: job.workflowId,
      args: [{}],
      taskQueue,
      memo: { [MEMO_KEY]: fingerprint },
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // A server that was down at the scheduled time still runs the job when it is back within a few hours.
      catchupWindow: '6 hours',
      pauseOnFailure: false,
    },
  } satisfies Omit<ScheduleOptions, 'scheduleId'>;
}
