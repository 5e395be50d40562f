// The primary engagement recomputed on its own (`moflow opus primary`): for the owners of some employments, or
// for everybody with an engagement, e.g. after someone set "Manuelt primær" in MO's GUI. One activity, retried
// like the import's steps; it plans against MO when it runs, so a retry writes only what is left.
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import type { PrimaryRunResult } from '../src/opusRuns/primaryStep.js';
import { longActivityOptions, type ActivityTuning } from './definitions.js';

export interface ComputePrimaryInput {
  /** OPUS employment ids whose owners to recompute; ignored with `all`. */
  employmentIds: string[];
  all: boolean;
  tuning?: ActivityTuning;
}

export async function opusComputePrimary(input: ComputePrimaryInput): Promise<PrimaryRunResult> {
  const acts = proxyActivities<MoflowActivities>(longActivityOptions(input.tuning));
  setCurrentDetails(input.all ? 'the primary engagement of everybody' : `the primary engagement of the owners of ${input.employmentIds.length} employment(s)`);
  return acts.recomputePrimary({ employmentIds: input.employmentIds, all: input.all });
}
