// The steps of one dump's import as activities: fetch into the local cache, validate, the two write steps,
// and recording the run. Each takes and returns names, hashes and counts; the work is in src/opusRuns.
import { setTimeout as sleep } from 'node:timers/promises';
import { activityInfo, ApplicationFailure, log } from '@temporalio/activity';
import { moClientConfig } from '../src/config/mo.js';
import { recordDarLookups, recordImportStep, recordImportStepFailed } from '../src/metrics/registry.js';
import type { OpusRunContext } from '../src/opusRuns/context.js';
import { runImportStep } from '../src/opusRuns/importSteps.js';
import { writeRunReport, writeStepReport } from '../src/opusRuns/reportFiles.js';
import type { FetchedDumps, ImportRunReport, ImportStep, StepResult, ValidationResult } from '../src/opusRuns/types.js';
import { validateDump } from '../src/opusRuns/validate.js';
import { heartbeating, type Beat } from './support.js';

export function opusImportActivities(ctx: OpusRunContext) {
  return {
    /** Copies the dump (and the previous one, unless cached) from the source into the cache; returns their hashes. */
    async fetchDumps(input: { dump: string; previous: string | null }): Promise<FetchedDumps> {
      return heartbeating(`fetching ${input.dump}`, async (beat) => {
        const source = ctx.openSource();
        try {
          const dump = await ctx.cache.fetch(source, input.dump, (bytes) => beat.progress(bytes, 0));
          const previous = input.previous === null ? null : await ctx.cache.pin(source, input.previous);
          return { dump, previous, attempt: beat.attempt };
        } finally {
          await source.close();
        }
      });
    },

    async validateDump(input: { fetched: FetchedDumps }): Promise<ValidationResult> {
      return heartbeating(`validating ${input.fetched.dump.name}`, async (beat) => {
        await ensureCached(ctx, input.fetched);
        const result = await validateDump(ctx.cache.source(), input.fetched.dump.name, (n) => beat.progress(n, 0));
        return { ...result, attempt: beat.attempt };
      });
    },

    /** Plans the dump against MO now and writes the step's phases; a retry writes only what is left. */
    async applyImportStep(input: { fetched: FetchedDumps; step: ImportStep; approved: boolean; full?: boolean }): Promise<StepResult> {
      const { dump, previous } = input.fetched;
      return heartbeating(`planning ${dump.name} (${input.step})`, async (beat) => {
        await settleLastAttempt(ctx, beat);
        await ensureCached(ctx, input.fetched);
        // The DAR summary is repeated in the step's line below; retry notices and outages stay info.
        const opened = await ctx.openImport((message) => (message.startsWith('DAR: ') ? log.debug(message) : log.info(message)));
        try {
          const { result, report } = await runImportStep(
            ctx.moClient(),
            ctx.cache.source(),
            { name: dump.name, previous: previous?.name ?? null },
            opened.settings,
            input.step,
            {
              approved: input.approved,
              ...(input.full ? { full: true } : {}),
              attempt: beat.attempt,
              resumedAfter: beat.resumedAfter,
              onStage: (stage) => beat.stage(stage),
              onProgress: (done, total) => beat.progress(done, total),
            },
          );
          writeStepReport(ctx.reportsDir, dump.name, input.step, report);
          recordImportStep(report);
          log.info(`${dump.name} ${input.step}: ${result.planned} writes, ${result.failureCount} failed; ${opened.darSummary()}`);
          return result;
        } finally {
          recordDarLookups(opened.darStats());
          await opened.close();
        }
      }).catch(countFailedStep);
    },

    /** Writes the full report next to the others and drops cached dumps the next import will not compare with. */
    async recordImportRun(report: ImportRunReport): Promise<string> {
      const path = writeRunReport(ctx.reportsDir, report);
      await ctx.cache.prune([report.dump]);
      return path;
    },
  };
}

/**
 * A retry must not plan while MO may still be applying the lost attempt's last write request: MO finishes a
 * request whose client died (OS2MO and the local MO both do), so a plan read before that request lands writes
 * its objects again: people under a second random uuid (refused as V_EXISTING_CPR, or twice when both requests
 * run at once) and, on OS2MO, which gives rolebindings uuids of its own, rolebindings twice. The lost attempt's
 * last heartbeat cannot say whether it was writing (heartbeats reach the server throttled, a stage late), but it
 * bounds when it was last alive: it sent its last request before that heartbeat's time plus the heartbeat timeout
 * (and the second between heartbeats), and moflow gives a request one MO request timeout. Wait until then: about
 * one MO request timeout, once per lost attempt.
 */
async function settleLastAttempt(ctx: OpusRunContext, beat: Beat): Promise<void> {
  const last = beat.resumedAfter;
  if (!last) return;
  const { heartbeatTimeoutMs } = activityInfo();
  const waitMs = (last.at ?? Date.now()) + (heartbeatTimeoutMs ?? 0) + 1000 + moClientConfig(ctx.settings).timeoutMs - Date.now();
  if (waitMs <= 0) return;
  beat.stage(`waiting ${Math.ceil(waitMs / 1000)} s before planning: attempt ${last.attempt} was lost (${last.stage}), and MO may still be applying its last write`);
  await sleep(waitMs);
}

/** Counts a write step's failed attempt for the metrics: 'network' when Temporal retries it (a mass change waiting for approval is none). */
function countFailedStep(error: unknown): never {
  if (!(error instanceof ApplicationFailure)) recordImportStepFailed('network');
  else if (error.type !== 'MassChangeRefused') recordImportStepFailed(error.type ?? 'error');
  throw error;
}

/** The pinned dumps in this worker's cache: fetched again when missing (another worker fetched them) or changed. */
async function ensureCached(ctx: OpusRunContext, fetched: FetchedDumps): Promise<void> {
  const pinned = fetched.previous ? [fetched.dump, fetched.previous] : [fetched.dump];
  for (const name of await ctx.cache.ensureAll(ctx.openSource, pinned)) log.info(`${name} was not in this worker's cache; fetched it again (same sha256)`);
}
