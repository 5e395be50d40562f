// Every activity the moflow worker registers, built from the worker's settings. Workflows import this
// module as types only (`MoflowActivities`).
import type { Settings } from '../src/config/load.js';
import { opusRunContext } from '../src/opusRuns/context.js';
import { alertActivities } from './alerts.js';
import { opusDriftActivities } from './opusDrift.js';
import { opusImportActivities } from './opusImport.js';
import { opusReimportActivities } from './opusReimport.js';
import { opusSyncActivities } from './opusSync.js';
import { describeWorker } from './ping.js';
import { plan2learnActivities } from './plan2learn.js';

export { describeWorker } from './ping.js';

export function createActivities(settings: Settings) {
  const opus = opusRunContext(settings);
  return {
    describeWorker,
    ...opusImportActivities(opus),
    ...opusSyncActivities(opus),
    ...opusReimportActivities(opus),
    ...opusDriftActivities(opus),
    ...plan2learnActivities(settings),
    ...alertActivities(settings),
  };
}

export type MoflowActivities = ReturnType<typeof createActivities>;
