// The smallest real round trip: client → workflow → activity on some worker → back. Used by
// `moflow temporal ping` to check a deployment, and by the tests.
import { proxyActivities } from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import type { WorkerDescription } from '../activities/ping.js';

const { describeWorker } = proxyActivities<MoflowActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export interface PingInput {
  message: string;
}

export interface PingResult {
  reply: string;
  worker: WorkerDescription;
}

export async function ping(input: PingInput): Promise<PingResult> {
  const worker = await describeWorker(input.message);
  return { reply: `pong: ${input.message}`, worker };
}
