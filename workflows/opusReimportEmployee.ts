// One-employment re-imports, taken as `reimportEmployee` signals by a long-lived run on the stable id
// `opus-control`: signal-with-start (`moflow opus reimport`) starts it when needed, and while it runs a plain
// `temporal workflow signal --workflow-id opus-control --name reimportEmployee --input '{"employmentId":"1000","days":30}'`
// works too. Requests run one at a time, in order; the `reimports` query shows the queue and recent results.
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import type { ReimportRequest } from '../src/opusRuns/reimportEmployee.js';
import { longActivityOptions, messageOf, reimportEmployee, reimportLog, type ActivityTuning, type ReimportEntry } from './definitions.js';

export interface ControlState {
  pending: ReimportRequest[];
  done: ReimportEntry[];
  tuning?: ActivityTuning;
}

const KEEP_DONE = 20;
const REQUESTS_PER_RUN = 200;
const DEFAULT_DAYS = 1000;

export async function opusReimportEmployee(state: ControlState = { pending: [], done: [] }): Promise<void> {
  const { reimportOneEmployee } = proxyActivities<MoflowActivities>({
    ...longActivityOptions(state.tuning),
    // A re-import that cannot finish within the hour is reported; the operator can ask again.
    scheduleToCloseTimeout: '1 hour',
  });
  const pending = [...state.pending];
  const done = [...state.done];
  let running: ReimportRequest | null = null;
  setHandler(reimportEmployee, (request) => {
    pending.push(normalise(request));
  });
  setHandler(reimportLog, () => ({ pending, running, done }));

  for (let handled = 0; handled < REQUESTS_PER_RUN; handled++) {
    setCurrentDetails(`waiting for reimportEmployee signals (${done.length} done)`);
    await condition(() => pending.length > 0 || workflowInfo().continueAsNewSuggested);
    if (pending.length === 0) break;
    running = pending.shift()!;
    setCurrentDetails(`re-importing employment ${running.employmentId} (last ${running.days} days)`);
    const entry: ReimportEntry = { request: running, started: new Date().toISOString(), result: null, error: null };
    try {
      if (running.employmentId === '') throw new Error('the signal input names no employmentId, e.g. {"employmentId":"1000","days":30}');
      entry.result = await reimportOneEmployee(running);
    } catch (error) {
      entry.error = messageOf(error);
    }
    running = null;
    done.push(entry);
    if (done.length > KEEP_DONE) done.splice(0, done.length - KEEP_DONE);
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof opusReimportEmployee>({ pending, done, ...(state.tuning ? { tuning: state.tuning } : {}) });
}

/** Operators type JSON by hand: accept a number as the id, and default the window as DIPEX's wrappers did. */
function normalise(request: ReimportRequest): ReimportRequest {
  const raw = request as unknown as { employmentId?: unknown; days?: unknown };
  const days = Number(raw.days ?? DEFAULT_DAYS);
  return { employmentId: String(raw.employmentId ?? ''), days: Number.isFinite(days) && days > 0 ? Math.floor(days) : DEFAULT_DAYS };
}
