// The steps of one dump's import as activities, named as the design card names them: fetchDump, parseDump,
// diffUnits, diffEmployees, computePrimary, recordRun. Each takes and returns names, hashes and counts; the
// work is in src/opusRuns. The dump is prepared once per worker and run (parsedDumps.ts): parseDump does it,
// the later steps on the same worker plan from it.
import { setTimeout as sleep } from 'node:timers/promises';
import { activityInfo, ApplicationFailure, CancelledFailure, log } from '@temporalio/activity';
import { moClientConfig } from '../src/config/mo.js';
import { recordDarLookups, recordImportStep, recordImportStepFailed } from '../src/metrics/registry.js';
import type { OpusRunContext } from '../src/opusRuns/context.js';
import { runImportStep } from '../src/opusRuns/importSteps.js';
import { KeptOnWorker, type KeptPlan } from '../src/opusRuns/keptOnWorker.js';
import { ParsedDumps } from '../src/opusRuns/parsedDumps.js';
import { runPrimaryRecompute, runPrimaryStep, type PrimaryRunResult } from '../src/opusRuns/primaryStep.js';
import { prepareDump } from '../src/sync/importDump.js';
import { writeRunReport, writeStepReport } from '../src/opusRuns/reportFiles.js';
import type { FetchedDumps, ImportRunReport, ImportStep, RunStep, StepResult, ValidationResult } from '../src/opusRuns/types.js';
import { validateDump } from '../src/opusRuns/validate.js';
import { heartbeating, type Beat } from './support.js';

export function opusImportActivities(ctx: OpusRunContext) {
  const parsed = new ParsedDumps();
  const plans = new KeptOnWorker<KeptPlan>();
  const engagedPeople = new KeptOnWorker<string[]>();

  /** Plans the dump against MO now and writes the step's part; a retry writes only what is left. */
  const writeStep = (input: WriteStepInput): Promise<StepResult> => {
    const { dump, previous } = input.fetched;
    return heartbeating(`planning ${dump.name} (${input.step})`, async (beat) => {
      await settleLastAttempt(ctx, beat);
      await ensureCached(ctx, input.fetched);
      // The DAR summary is repeated in the step's line below; retry notices and outages stay info.
      const opened = await ctx.openImport((message) => (message.startsWith('DAR: ') ? log.debug(message) : log.info(message)));
      try {
        const settings = { ...opened.settings, prepared: parsed.forRun(input.fetched, opened.settings) };
        const ref = { name: dump.name, previous: previous?.name ?? null };
        const options = {
          approved: input.approved,
          ...(input.full ? { full: true } : {}),
          ...(input.alsoUnits?.length ? { alsoUnits: input.alsoUnits } : {}),
          attempt: beat.attempt,
          resumedAfter: beat.resumedAfter,
          onStage: (stage: string) => beat.stage(stage),
          onProgress: (done: number, total: number) => beat.progress(done, total),
        };
        // Taken even by a retry, which then plans again: the kept plan is for a first attempt only.
        const taken = plans.take(input.keptPlan);
        const kept = beat.attempt === 1 && beat.resumedAfter === null ? taken : null;
        let result: StepResult;
        let report;
        if (input.step === 'primary') {
          const people = engagedPeople.take(input.keptPeople);
          ({ result, report } = await runPrimaryStep(ctx.moClient(), ctx.cache.source(), ref, settings, { ...options, people }));
        } else {
          const step = await runImportStep(ctx.moClient(), ctx.cache.source(), ref, settings, input.step, { ...options, kept });
          ({ result, report } = step);
          const { engagedPeople: people } = step.planned.plan;
          // MO holds what the plan expected only when the units step wrote all of its part.
          if (input.step === 'units' && report.failures.length === 0) result = { ...result, keptPlan: plans.keep(step.planned) };
          if (input.step === 'employees' && people) result = { ...result, keptPeople: engagedPeople.keep(people) };
        }
        writeStepReport(ctx.reportsDir, dump.name, input.step, report);
        recordImportStep(report);
        log.info(`${dump.name} ${input.step}: ${result.planned} writes, ${result.failureCount} failed; ${opened.darSummary()}`);
        return result;
      } finally {
        recordDarLookups(opened.darStats());
        await opened.close();
      }
    }).catch(countFailedStep);
  };

  const activities = {
    /** Copies the dump (and the previous one, unless cached) from the source into the cache; returns their hashes. */
    async fetchDump(input: { dump: string; previous: string | null }): Promise<FetchedDumps> {
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

    /**
     * Reads the dump once, before anything is written, compared with the previous one: a dump that cannot be
     * read stops its run here with file, line and OPUS id. The prepared input stays in this worker for the
     * steps after; only the record counts and the first rejected records' diagnostics come back.
     */
    async parseDump(input: { fetched: FetchedDumps }): Promise<ValidationResult> {
      const { dump, previous } = input.fetched;
      return heartbeating(`parsing ${dump.name}`, async (beat) => {
        await ensureCached(ctx, input.fetched);
        const opened = await ctx.openImport((message) => (message.startsWith('DAR: ') ? log.debug(message) : log.info(message)));
        try {
          const keeper = parsed.forRun(input.fetched, opened.settings);
          const ref = { name: dump.name, previous: previous?.name ?? null };
          await prepareDump(ctx.cache.source(), ref, { ...opened.settings, prepared: keeper }, (stage) => beat.stage(stage));
          return { ...keeper.counts()!, attempt: beat.attempt };
        } finally {
          recordDarLookups(opened.darStats());
          await opened.close();
        }
      });
    },

    /** The catalog and the units; the mass-change guard holds the whole plan back here unless `approved`. */
    async diffUnits(input: { fetched: FetchedDumps; approved: boolean }): Promise<StepResult> {
      return writeStep({ ...input, step: 'units' });
    },

    /** People, engagements (each new one with its primary class), manager roles, addresses and unit endings. */
    async diffEmployees(input: { fetched: FetchedDumps; full?: boolean; alsoUnits?: string[]; keptPlan?: string }): Promise<StepResult> {
      return writeStep({ ...input, step: 'employees', approved: true });
    },

    /** The primary class of every person the dump touched, over time, from MO after their engagements are written. */
    async computePrimary(input: { fetched: FetchedDumps; full?: boolean; alsoUnits?: string[]; keptPeople?: string }): Promise<StepResult> {
      return writeStep({ ...input, step: 'primary', approved: true });
    },

    /** The primary engagement alone (`moflow opus primary`): of the owners of some employments, or of everybody. */
    async recomputePrimary(input: { employmentIds: string[]; all: boolean }): Promise<PrimaryRunResult> {
      return heartbeating(input.all ? 'primary engagement of everybody' : `primary engagement of ${input.employmentIds.length} employment(s)`, async (beat) => {
        await settleLastAttempt(ctx, beat);
        const opened = await ctx.openImport((message) => log.debug(message));
        try {
          const { municipalityName, plan: planOptions } = opened.settings;
          const { result } = await runPrimaryRecompute(ctx.moClient(), input, {
            municipalityName,
            primaryOrder: planOptions.primaryOrder,
            onStage: (stage) => beat.stage(stage),
            onProgress: (done, total) => beat.progress(done, total),
          });
          log.info(`primary engagement of ${result.people} people: ${result.planned} writes, ${result.failureCount} failed`);
          return result;
        } finally {
          await opened.close();
        }
      });
    },

    /** Before the card's steps (kept for runs started before them, like the aliases below): validation read the dump apart from the plans. */
    async validateDump(input: { fetched: FetchedDumps }): Promise<ValidationResult> {
      return heartbeating(`validating ${input.fetched.dump.name}`, async (beat) => {
        await ensureCached(ctx, input.fetched);
        const result = await validateDump(ctx.cache.source(), input.fetched.dump.name, (n) => beat.progress(n, 0));
        return { ...result, attempt: beat.attempt };
      });
    },

    /** Before the card's steps: both write steps under one name. */
    async applyImportStep(input: { fetched: FetchedDumps; step: ImportStep; approved: boolean; full?: boolean; alsoUnits?: string[] }): Promise<StepResult> {
      return writeStep(input);
    },

    /** Writes the full report next to the others and drops cached dumps the next import will not compare with. */
    async recordRun(report: ImportRunReport): Promise<string> {
      const path = writeRunReport(ctx.reportsDir, report);
      await ctx.cache.prune([report.dump]);
      return path;
    },
  };
  return {
    ...activities,
    // The names before the design card's steps, for imports started before them (their histories replay the
    // old path: patched('card-steps') in workflows/opusImportDump.ts). Remove them once no such run is open
    // (`temporal workflow list --query "WorkflowType='opusImportDump' AND ExecutionStatus='Running'"`).
    fetchDumps: activities.fetchDump,
    recordImportRun: activities.recordRun,
  };
}

/** What a write step gets: the dumps, what to compare, and tokens of what an earlier step kept on its worker. */
interface WriteStepInput {
  fetched: FetchedDumps;
  step: RunStep;
  approved: boolean;
  full?: boolean;
  alsoUnits?: string[];
  keptPlan?: string;
  keptPeople?: string;
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
  if (error instanceof CancelledFailure) throw error; // a stopping worker or a timed-out attempt: retried, no failure
  if (!(error instanceof ApplicationFailure)) recordImportStepFailed('network');
  else if (error.type !== 'MassChangeRefused') recordImportStepFailed(error.type ?? 'error');
  throw error;
}

/** The pinned dumps in this worker's cache: fetched again when missing (another worker fetched them) or changed. */
async function ensureCached(ctx: OpusRunContext, fetched: FetchedDumps): Promise<void> {
  const pinned = fetched.previous ? [fetched.dump, fetched.previous] : [fetched.dump];
  for (const name of await ctx.cache.ensureAll(ctx.openSource, pinned)) log.info(`${name} was not in this worker's cache; fetched it again (same sha256)`);
}
