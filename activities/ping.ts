// Who is answering: lets `moflow temporal ping` prove that a deployed worker picks up work, and which one.
import { hostname } from 'node:os';
import { activityInfo } from '@temporalio/activity';

export interface WorkerDescription {
  hostname: string;
  pid: number;
  nodeVersion: string;
  taskQueue: string;
  /** The message the workflow passed, to show the payload made the round trip. */
  echoed: string;
}

export async function describeWorker(message: string): Promise<WorkerDescription> {
  return { hostname: hostname(), pid: process.pid, nodeVersion: process.version, taskQueue: activityInfo().taskQueue, echoed: message };
}
