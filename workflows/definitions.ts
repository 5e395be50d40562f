// What workflows and their callers (CLI, schedules, tests) share: fixed workflow ids, signals, queries,
// search attributes and the activity timeouts. Safe in the workflow sandbox (no Node modules).
import { defineSearchAttributeKey, SearchAttributeType, type Duration } from '@temporalio/common';
import { ActivityFailure, defineQuery, defineSignal } from '@temporalio/workflow';
import type { ReimportRequest, ReimportResult } from '../src/opusRuns/reimportEmployee.js';

/** One OPUS sync at a time: every manual start uses this id (a schedule's runs get it plus a timestamp). */
export const OPUS_SYNC_ID = 'opus-sync';
/** The long-lived workflow that takes re-import requests (`temporal workflow signal --workflow-id opus-control`). */
export const OPUS_CONTROL_ID = 'opus-control';
export const PLAN2LEARN_EXPORT_ID = 'plan2learn-export';
export const OPUS_SYNC_SCHEDULE_ID = 'opus-sync-nightly';
export const PLAN2LEARN_SCHEDULE_ID = 'plan2learn-export-nightly';
/** The drift check's manual runs get this id plus their start time (a schedule's runs, plus the scheduled time). */
export const OPUS_DRIFT_ID = 'opus-drift';
export const OPUS_DRIFT_SCHEDULE_ID = 'opus-drift-weekly';
/** `moflow opus primary`: its runs get this id plus their start time. */
export const OPUS_PRIMARY_ID = 'opus-primary';

/**
 * A dump's import has the same id in every run of a generation, so the history of a dump is one workflow id.
 * A rebuild (`moflow opus rebuild`) starts generation n: every dump again under `…-rebuild-<n>`.
 */
export function importDumpWorkflowId(timestamp: string, generation = 0): string {
  return generation > 0 ? `opus-import-${timestamp}-rebuild-${generation}` : `opus-import-${timestamp}`;
}

/** The dump timestamp and generation an import's workflow id names. */
export function parseImportWorkflowId(workflowId: string): { timestamp: string; generation: number } {
  const m = /^opus-import-(.*?)(?:-rebuild-(\d+))?$/.exec(workflowId);
  return { timestamp: m?.[1] ?? workflowId, generation: m?.[2] ? Number(m[2]) : 0 };
}

/** Rebuild n is the sync run under this id; its existence makes n the generation every later sync continues. */
export function rebuildWorkflowId(generation: number): string {
  return `opus-rebuild-${generation}`;
}

export const OpusDumpTimestamp = defineSearchAttributeKey('OpusDumpTimestamp', SearchAttributeType.DATETIME);
export const OpusMunicipality = defineSearchAttributeKey('OpusMunicipality', SearchAttributeType.KEYWORD);

/** The custom search attributes, in `temporal server start-dev --search-attribute Name=Type` spelling. */
export const MOFLOW_SEARCH_ATTRIBUTES = { OpusDumpTimestamp: 'Datetime', OpusMunicipality: 'Keyword' } as const;

export interface Approval {
  /** Who approved, for the run's report. */
  by?: string;
}

/** Lifts the mass-change guard's hold on one dump's import (`moflow opus approve <dump>`). */
export const approveMassChange = defineSignal<[Approval?]>('approveMassChange');
/** Lets a Plan2Learn export the export guard holds ship (`moflow plan2learn approve`). */
export const approveExport = defineSignal<[Approval?]>('approveExport');
/** Queues a one-employment re-import on `opus-control`. */
export const reimportEmployee = defineSignal<[ReimportRequest]>('reimportEmployee');

export interface ImportProgress {
  dump: string;
  stage: string;
  /** Why the run waits for `approveMassChange`, or null. */
  awaitingApproval: string | null;
}
export const importProgress = defineQuery<ImportProgress>('progress');

export interface ReimportEntry {
  request: ReimportRequest;
  /** Workflow time the request was taken from the queue. */
  started: string;
  result: ReimportResult | null;
  error: string | null;
}
export interface ReimportLog {
  pending: ReimportRequest[];
  running: ReimportRequest | null;
  /** The latest finished requests, newest last. */
  done: ReimportEntry[];
}
export const reimportLog = defineQuery<ReimportLog>('reimports');

/**
 * Timeouts and retries of the activities that read dumps and write MO. Transient errors (network, MO or the
 * share down) are retried with backoff for hours; data errors fail at once (non-retryable). Tests shorten the
 * heartbeat timeout (how soon a killed worker's activity is retried) and the backoff.
 */
export interface ActivityTuning {
  heartbeatTimeout?: Duration;
  retryInitialInterval?: Duration;
  retryMaximumInterval?: Duration;
  /** How long one activity may keep retrying before the run fails. */
  retryFor?: Duration;
}

export function longActivityOptions(tuning: ActivityTuning = {}) {
  return {
    startToCloseTimeout: '4 hours',
    scheduleToCloseTimeout: tuning.retryFor ?? '12 hours',
    heartbeatTimeout: tuning.heartbeatTimeout ?? '60 seconds',
    retry: {
      initialInterval: tuning.retryInitialInterval ?? '5 seconds',
      backoffCoefficient: 2,
      maximumInterval: tuning.retryMaximumInterval ?? '5 minutes',
      // No attempt limit: scheduleToCloseTimeout bounds the retrying.
    },
  } as const;
}

/** An error's message for a run's report or log; an activity's failure speaks through its cause. */
export function messageOf(error: unknown): string {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
