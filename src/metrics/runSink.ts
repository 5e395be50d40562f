// The worker's side of the `moflowMetrics` sink: counts each finished run by workflow type and outcome.
import type { InjectedSinks } from '@temporalio/worker';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../temporal/binary.js';
import { recordRunEnded } from './registry.js';
import type { MetricsSinks } from './workflowInterceptor.js';

/** The workflow interceptor module the bundle must include for the sink to be called. */
export const METRICS_INTERCEPTOR_MODULE = join(PROJECT_ROOT, 'src', 'metrics', 'workflowInterceptor.ts');

export function metricsSinks(): InjectedSinks<MetricsSinks> {
  return { moflowMetrics: { runEnded: { fn: (info, outcome) => recordRunEnded(info.workflowType, outcome) } } };
}
