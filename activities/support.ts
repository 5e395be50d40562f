// What every long moflow activity does the same way: heartbeat on a timer with its latest progress (so a
// killed worker is noticed within the heartbeat timeout, and the retry knows how far the last attempt came),
// and turn data and configuration errors into non-retryable failures (retrying cannot fix them) while
// everything else — network, MO or the share down — is retried by Temporal with backoff.
import { activityInfo, ApplicationFailure, heartbeat, log } from '@temporalio/activity';
import { ConfigError } from '../src/config/load.js';
import { MoError } from '../src/mo/index.js';
import { DumpReadError } from '../src/opus/reader.js';
import { DumpChangedError } from '../src/opusRuns/dumpCache.js';
import type { StepProgress } from '../src/opusRuns/types.js';
import { SnapshotError } from '../src/plan2learn/errors.js';
import { ShipError } from '../src/plan2learn/ship.js';
import { DumpSourceError } from '../src/sources/types.js';
import { MassChangeRefused } from '../src/sync/importDump.js';
import { ReimportNotPossible } from '../src/sync/reimport.js';
import { maskCprsIn } from '../src/util/cpr.js';

const HEARTBEAT_EVERY_MS = 1_000;

export interface Beat {
  attempt: number;
  /** The last heartbeat of the previous attempt, when this one picks up after a crash or timeout. */
  resumedAfter: StepProgress | null;
  stage(stage: string): void;
  progress(done: number, total: number): void;
}

/** Runs `fn` with heartbeats (the SDK throttles them to the heartbeat timeout) and error classification. */
export async function heartbeating<T>(firstStage: string, fn: (beat: Beat) => Promise<T>): Promise<T> {
  const info = activityInfo();
  const last = (info.heartbeatDetails ?? null) as StepProgress | null;
  const progress: StepProgress = { attempt: info.attempt, stage: firstStage, done: 0, total: 0 };
  if (last) log.info(`resuming ${info.activityType} (attempt ${info.attempt}) after: ${last.stage} ${last.done}/${last.total}`);
  heartbeat({ ...progress, at: Date.now() });
  const timer = setInterval(() => heartbeat({ ...progress, at: Date.now() }), HEARTBEAT_EVERY_MS);
  try {
    return await fn({
      attempt: info.attempt,
      resumedAfter: last,
      stage(stage) {
        if (stage === progress.stage) return;
        progress.stage = stage;
        progress.done = 0;
        progress.total = 0;
        log.debug(stage);
      },
      progress(done, total) {
        progress.done = done;
        progress.total = total;
      },
    });
  } catch (error) {
    throw asActivityFailure(error);
  } finally {
    clearInterval(timer);
  }
}

/** A data or configuration error as a non-retryable failure (with the OPUS id where there is one); others as they are. */
export function asActivityFailure(error: unknown): unknown {
  const fail = (type: string, message: string, details?: unknown) =>
    ApplicationFailure.create({ type, message: maskCprsIn(message), nonRetryable: true, details: details === undefined ? [] : [details] });
  if (error instanceof DumpReadError) {
    const d = error.diagnostic;
    const id = d.opusId && !error.message.includes(`id=${d.opusId}`) ? ` (${d.element ?? 'record'} id=${d.opusId})` : '';
    return fail('DumpReadError', `${error.message}${id}`, { file: d.file, line: d.line, opusId: d.opusId, code: d.code });
  }
  if (error instanceof MassChangeRefused) return fail('MassChangeRefused', error.message, { massChange: error.plan.massChange });
  if (error instanceof ConfigError) return fail('ConfigError', `settings problem: ${error.problems.join('; ')}`);
  if (error instanceof DumpSourceError) return fail('DumpSourceError', error.message);
  if (error instanceof DumpChangedError) return fail('DumpChanged', error.message);
  if (error instanceof ReimportNotPossible) return fail('ReimportNotPossible', error.message);
  if (error instanceof SnapshotError) return fail('SnapshotError', error.message);
  if (error instanceof ShipError && !error.transient) return fail('ShipError', error.message);
  // MO refused a read or the credentials: a bug, a version mismatch or a wrong secret; retrying will not help.
  if (error instanceof MoError && (error.kind === 'graphql' || error.kind === 'mo' || error.kind === 'auth')) return fail(`MoError.${error.kind}`, error.message);
  return error;
}
