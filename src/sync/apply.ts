// Applying a plan through the MO client: phase by phase, in requests of many writes each (MO applies a
// request all-or-nothing), several requests in flight where they do not depend on each other (schedule.ts).
// When MO refuses a request, its writes are retried one by one so the bad one is recorded with its OPUS id
// and reason and the rest go on; writes that need a failed one are skipped.
// Network failures and timeouts are not data errors: they propagate, and the caller (a Temporal activity)
// retries the whole step, which re-plans against MO and does exactly the rest.
import { MoError, type MoClient } from '../mo/index.js';
import type { ImportIssue } from './desired/types.js';
import { PHASES, type Plan, type PlanOp } from './plan/types.js';
import { scheduleBatches, type ScheduledBatch } from './schedule.js';
import { forEachLimited } from '../util/pool.js';

export type Outcome = 'created' | 'updated' | 'terminated' | 'deleted' | 'unchanged' | 'skipped' | 'failed';

export interface ImportFailure {
  opusId: string | null;
  subject: string;
  write: string;
  reason: string;
  errorKey: string | null;
}

export interface ImportReport {
  dump: string;
  effective: string;
  /** Per MO object kind, how many of each outcome. */
  counts: Record<string, Partial<Record<Outcome, number>>>;
  failures: ImportFailure[];
  issues: ImportIssue[];
  durationMs: number;
  /** Per phase that wrote: writes, requests and time, to see where a run's time goes. */
  phases?: PhaseTiming[];
  /** Every planned write with its outcome, for `moflow opus history` (never a CPR number: ids and uuids only). */
  journal?: JournalEntry[];
}

export interface JournalEntry {
  opusId: string | null;
  /** The person the write belongs to (their MO uuid), where the write names one. */
  person: string | null;
  subject: string;
  write: string;
  from: string | null;
  to: string | null;
  reason: string;
  outcome: Outcome;
  /** Why it failed or was skipped. */
  detail?: string;
}

export interface PhaseTiming {
  phase: string;
  writes: number;
  requests: number;
  ms: number;
}

export interface ApplyOptions {
  /** Writes per request (default: the client's, 200). */
  batchSize?: number;
  /** Requests in flight at once (default: the client's, 1). */
  requestsInFlight?: number;
  onProgress?: (done: number, total: number) => void;
}

const OUTCOME: Record<string, Outcome> = { create: 'created', update: 'updated', terminate: 'terminated', delete: 'deleted' };

export async function applyPlan(client: MoClient, plan: Plan, options: ApplyOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? client.writeTuning.batchSize;
  const inFlight = options.requestsInFlight ?? client.writeTuning.requestsInFlight;
  const report: ImportReport = { dump: plan.dump, effective: plan.effective, counts: {}, failures: [], issues: plan.issues, durationMs: 0, phases: [], journal: [] };
  for (const [kind, n] of Object.entries(plan.unchanged)) count(report, kind, 'unchanged', n);
  const failed = new Set<string>();
  let done = 0;
  const progress = (n: number) => options.onProgress?.((done += n), plan.ops.length);

  for (const phase of PHASES) {
    const ready: PlanOp[] = [];
    for (const op of plan.ops) {
      if (op.phase !== phase) continue;
      const missing = op.needs.find((uuid) => failed.has(uuid));
      if (missing === undefined) {
        ready.push(op);
        continue;
      }
      skip(report, failed, op, `needs ${missing}, which could not be written`);
      progress(1);
    }
    if (ready.length === 0) continue;
    const phaseStarted = Date.now();
    const batches = scheduleBatches(phase, ready, batchSize, inFlight);
    const written: Promise<void>[] = [];
    // Batches are taken in order, so what one waits for has been started by then.
    await forEachLimited([...batches.keys()], inFlight, (k) => (written[k] = writeBatch(batches[k]!, written)));
    report.phases!.push({ phase, writes: ready.length, requests: batches.length, ms: Date.now() - phaseStarted });
  }
  report.durationMs = Date.now() - started;
  return report;

  async function writeBatch(scheduled: ScheduledBatch, written: readonly Promise<void>[]): Promise<void> {
    await Promise.all(scheduled.after.map((j) => written[j]));
    // What a failed write of this phase created is missing: skip what needs it rather than send it.
    const batch: PlanOp[] = [];
    for (const op of scheduled.ops) {
      const missing = op.needs.find((uuid) => failed.has(uuid));
      if (missing === undefined) batch.push(op);
      else skip(report, failed, op, `needs ${missing}, which could not be written`);
    }
    try {
      if (batch.length > 0) await client.write(batch.map((b) => b.op), { batchSize: batch.length });
      for (const op of batch) recordOutcome(report, op, OUTCOME[op.op.action]!);
    } catch (error) {
      if (!isDataError(error)) throw error;
      // MO changed nothing in the refused request: find the bad writes one by one.
      for (const op of batch) await applyOne(client, op, report, failed);
    }
    progress(scheduled.ops.length);
  }
}

async function applyOne(client: MoClient, op: PlanOp, report: ImportReport, failed: Set<string>): Promise<void> {
  const missing = op.needs.find((uuid) => failed.has(uuid));
  if (missing !== undefined) return skip(report, failed, op, `needs ${missing}, which could not be written`);
  try {
    // A create with a uuid MO knows (an object ended from its start, or deleted by hand) replaces that
    // object in OS2MO, so what the plan creates again is simply created.
    await client.write([op.op], { batchSize: 1 });
    recordOutcome(report, op, OUTCOME[op.op.action]!);
  } catch (error) {
    if (!isDataError(error)) throw error;
    const why = error instanceof MoError ? (error.description ?? error.message) : String(error);
    recordOutcome(report, op, 'failed', why);
    markFailed(failed, op);
    report.failures.push({
      opusId: op.subject.opusId,
      subject: op.subject.label,
      write: `${op.op.kind} ${op.op.action}`,
      reason: `${op.reason}: ${why}`,
      errorKey: error instanceof MoError ? error.errorKey : null,
    });
  }
}

/** MO refused the data (a business or GraphQL error): retrying the same write cannot help. */
function isDataError(error: unknown): boolean {
  return error instanceof MoError && (error.kind === 'mo' || error.kind === 'graphql');
}

function skip(report: ImportReport, failed: Set<string>, op: PlanOp, why: string): void {
  recordOutcome(report, op, 'skipped', why);
  markFailed(failed, op);
  report.failures.push({ opusId: op.subject.opusId, subject: op.subject.label, write: `${op.op.kind} ${op.op.action}`, reason: `skipped: ${why}`, errorKey: null });
}

/** A create that did not happen leaves its uuid missing for the writes that refer to it. */
function markFailed(failed: Set<string>, op: PlanOp): void {
  if (op.op.action === 'create' && 'uuid' in op.op.input && typeof op.op.input.uuid === 'string') failed.add(op.op.input.uuid);
}

/** Counts a write's outcome and keeps it in the journal. */
export function recordOutcome(report: ImportReport, op: PlanOp, outcome: Outcome, detail?: string): void {
  count(report, op.op.kind, outcome);
  (report.journal ??= []).push(journalEntry(op, outcome, detail));
}

export function journalEntry(op: PlanOp, outcome: Outcome, detail?: string): JournalEntry {
  const input = op.op.input as { uuid?: unknown; personUuid?: unknown; from?: unknown; to?: unknown };
  const person = op.op.kind === 'person' ? input.uuid : input.personUuid;
  return {
    opusId: op.subject.opusId,
    person: typeof person === 'string' ? person : null,
    subject: op.subject.label,
    write: `${op.op.kind} ${op.op.action}`,
    from: typeof input.from === 'string' ? input.from : null,
    to: typeof input.to === 'string' ? input.to : null,
    reason: op.reason,
    outcome,
    ...(detail === undefined ? {} : { detail }),
  };
}

function count(report: ImportReport, kind: string, outcome: Outcome, n = 1): void {
  const counts = (report.counts[kind] ??= {});
  counts[outcome] = (counts[outcome] ?? 0) + n;
}
