// moflow's own Prometheus metrics, one registry per worker process: counters count since the worker started,
// gauges hold the latest value this worker saw. Activities and the workflow sink record through the small
// functions below, so the metric names and labels live in this one file. Labels are closed sets (kinds,
// outcomes, MO error keys, file names): never a CPR number, an OPUS id or free text.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DarStats } from '../dar/resolver.js';
import type { ImportReport } from '../sync/apply.js';

export const registry = new Registry();

const importRuns = new Counter({
  name: 'moflow_import_runs_total',
  help: 'OPUS dump imports this worker finished, by outcome (imported, skipped, failed, cancelled)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const plan2learnRuns = new Counter({
  name: 'moflow_plan2learn_runs_total',
  help: 'Plan2Learn exports this worker finished, by outcome (shipped, exported: no server configured, failed, cancelled)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const moWrites = new Counter({
  name: 'moflow_mo_writes_total',
  help: "writes the OPUS import's steps planned, by MO object kind and outcome (created, updated, terminated, deleted, failed, skipped)",
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

const importFailures = new Counter({
  name: 'moflow_import_failures_total',
  help: "the OPUS import's failures by reason: MO's error key for a refused write, 'skipped' for a write left out because one it needs failed, 'refused' for a refusal without a key, 'network' for a step attempt Temporal retries (MO or the dump source unreachable), else the failure type of a step that stopped",
  labelNames: ['reason'] as const,
  registers: [registry],
});

const dumpsPending = new Gauge({
  name: 'moflow_opus_dumps_pending',
  help: "OPUS dumps in the source not yet imported, at the sync's last look",
  registers: [registry],
});

const lastSuccess = new Gauge({
  name: 'moflow_last_success_timestamp_seconds',
  // Not `job`: Prometheus sets that label on every series it scrapes and would rename this one to exported_job.
  help: 'when a flow last succeeded (Unix time): flow="opus_import" a dump imported, flow="plan2learn_export" an export written and shipped (or written, with no server configured)',
  labelNames: ['flow'] as const,
  registers: [registry],
});

const plan2learnRows = new Gauge({
  name: 'moflow_plan2learn_rows',
  help: 'data rows of each Plan2Learn file this worker last wrote (shipped, or held for approval)',
  labelNames: ['file'] as const,
  registers: [registry],
});

const darLookups = new Counter({
  name: 'moflow_dar_lookups_total',
  help: 'postal addresses the OPUS import looked up, by where the answer came from: cache_hit (DAR cache), dar (asked DAR), not_asked (DAR counted as down)',
  labelNames: ['result'] as const,
  registers: [registry],
});

const darAddresses = new Counter({
  name: 'moflow_dar_addresses_total',
  help: "postal addresses the OPUS import looked up, by answer: found, miss (no unique address), unavailable (DAR did not answer)",
  labelNames: ['outcome'] as const,
  registers: [registry],
});

// The known label values start at 0: Prometheus' increase() cannot count a series' first sample, so a counter
// that appeared with the first failed run would never make `increase(...) > 0` fire.
for (const outcome of ['imported', 'skipped', 'failed', 'cancelled']) importRuns.inc({ outcome }, 0);
for (const outcome of ['shipped', 'exported', 'failed', 'cancelled']) plan2learnRuns.inc({ outcome }, 0);
for (const reason of ['skipped', 'refused', 'network']) importFailures.inc({ reason }, 0);

export type Flow = 'opus_import' | 'plan2learn_export';

/** A write step's writes and failures (the step's full report, every failure included). */
export function recordImportStep(report: Pick<ImportReport, 'counts' | 'failures'>): void {
  for (const [kind, outcomes] of Object.entries(report.counts)) {
    for (const [outcome, n] of Object.entries(outcomes)) {
      if (outcome !== 'unchanged' && n) moWrites.inc({ kind, outcome }, n);
    }
  }
  for (const failure of report.failures) importFailures.inc({ reason: failureReason(failure) });
}

/** The reason label of one write failure: MO's error key, or what kind of failure it is. */
export function failureReason(failure: { errorKey: string | null; reason: string }): string {
  if (failure.errorKey) return failure.errorKey;
  return failure.reason.startsWith('skipped: ') ? 'skipped' : 'refused';
}

/** A write step's attempt that failed: 'network' when Temporal retries it, else its failure type. */
export function recordImportStepFailed(reason: string): void {
  importFailures.inc({ reason });
}

export function recordDumpsPending(n: number): void {
  dumpsPending.set(n);
}

const lastSuccessAt = new Map<Flow, number>();

export function recordLastSuccess(flow: Flow, at: Date = new Date()): void {
  lastSuccessAt.set(flow, at.getTime());
  lastSuccess.set({ flow }, at.getTime() / 1000);
}

/** A success known from before this worker started (restore.ts): kept only when nothing newer was recorded. */
export function restoreLastSuccess(flow: Flow, at: Date): void {
  if ((lastSuccessAt.get(flow) ?? 0) < at.getTime()) recordLastSuccess(flow, at);
}

export function recordPlan2LearnFiles(files: readonly { name: string; rows: number }[]): void {
  for (const f of files) plan2learnRows.set({ file: f.name }, f.rows);
}

export function recordDarLookups(stats: Readonly<DarStats>): void {
  const add = (counter: Counter<string>, labels: Record<string, string>, n: number) => n > 0 && counter.inc(labels, n);
  add(darLookups, { result: 'cache_hit' }, stats.cacheHits);
  add(darLookups, { result: 'dar' }, stats.lookups);
  add(darLookups, { result: 'not_asked' }, stats.notAsked);
  add(darAddresses, { outcome: 'found' }, stats.found);
  add(darAddresses, { outcome: 'miss' }, stats.misses);
  add(darAddresses, { outcome: 'unavailable' }, stats.unavailable);
}

/** A finished run of a workflow moflow counts (the import of one dump, the Plan2Learn export); others are ignored. */
export function recordRunEnded(workflowType: string, outcome: string): void {
  if (workflowType === 'opusImportDump') {
    importRuns.inc({ outcome });
    if (outcome === 'imported') recordLastSuccess('opus_import');
  } else if (workflowType === 'plan2learnExport') {
    plan2learnRuns.inc({ outcome });
    if (outcome === 'shipped' || outcome === 'exported') recordLastSuccess('plan2learn_export');
  }
}

let processMetrics = false;

/** Node's process metrics (memory, CPU, event loop lag) too; once, when a worker serves the metrics. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}
