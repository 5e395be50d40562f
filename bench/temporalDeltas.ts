// bench/importReal.ts's nightly deltas as the product runs them: each dump's import is the Temporal workflow
// `opusImportDump` (fetchDump, parseDump, diffUnits, diffEmployees, computePrimary, recordRun) on a moflow
// worker, started as the nightly sync starts it (its workflow id and search attributes), on a headless dev
// server started once for the whole bench. A delta's time runs from the workflow's start to its result.
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Settings } from '../src/config/load.js';
import { parseDumpName } from '../src/opus/dumpName.js';
import type { ImportRunReport, StepResult } from '../src/opusRuns/types.js';
import { startDevServer, type DevServer } from '../src/temporal/devServer.js';
import { copenhagenInstant } from '../src/temporal/opusSyncState.js';
import { createMoflowWorker } from '../src/temporal/worker.js';
import { importDumpWorkflowId, MOFLOW_SEARCH_ATTRIBUTES, OpusDumpTimestamp, OpusMunicipality } from '../workflows/definitions.js';
import type { opusImportDump } from '../workflows/opusImportDump.js';

export interface TemporalBench {
  readonly server: DevServer;
  readonly client: Client;
  readonly connection: NativeConnection;
  /** Closes the connections and stops the server; safe to call twice. */
  stop(): Promise<void>;
}

/** A headless, in-memory dev server with moflow's search attributes, a client and a worker connection. */
export async function startTemporal(): Promise<TemporalBench> {
  try {
    // Worker state changes at INFO would bury the figures; no shutdown signals: the bench handles Ctrl-C.
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // already installed
  }
  const server = await startDevServer({ uiPort: null, searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  let connection: Connection | undefined;
  let native: NativeConnection | undefined;
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await native?.close().catch(() => {});
      await connection?.close().catch(() => {});
      await server.stop();
    })());
  try {
    connection = await Connection.connect({ address: server.address });
    native = await NativeConnection.connect({ address: server.address });
  } catch (error) {
    await stop();
    throw error;
  }
  return { server, client: new Client({ connection, namespace: server.namespace }), connection: native, stop };
}

export interface TemporalDelta {
  dump: string;
  /** From the workflow's start to its result, as the bench's client sees it. */
  ms: number;
  report: ImportRunReport;
  /** Writes the steps planned (their activities' results), or null when the history did not say. */
  planned: number | null;
  /** Each activity's time from scheduled to completed (its queue wait included), in the order they ran. */
  activities: { name: string; ms: number }[];
}

/**
 * Runs the deltas `dumps[1..]` (each compared with the one before) through one moflow worker on its own task
 * queue with the product's activity options (no tuning). A ping first, so the worker's first workflow task
 * (the workflow sandbox's start) is not counted in the first delta: the product's worker has long been up.
 */
export async function runTemporalDeltas(
  bench: TemporalBench,
  settings: Settings,
  dumps: string[],
  municipality: string,
  report: { warm(ms: number): void; delta(i: number, figures: TemporalDelta): void },
): Promise<void> {
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await createMoflowWorker({ connection: bench.connection, namespace: bench.server.namespace, taskQueue, settings });
  await worker.runUntil(async () => {
    const warm = performance.now();
    await bench.client.workflow.execute('ping', { taskQueue, workflowId: `bench-ping-${randomUUID()}`, args: [{ message: 'warm-up' }] });
    report.warm(performance.now() - warm);
    for (let i = 1; i < dumps.length; i++) {
      const dump = dumps[i]!;
      const name = parseDumpName(dump);
      if (!name.ok) throw new Error(`${dump}: ${name.reason}`);
      const { timestamp } = name.dump;
      const started = performance.now();
      const handle = await bench.client.workflow.start<typeof opusImportDump>('opusImportDump', {
        taskQueue,
        workflowId: importDumpWorkflowId(timestamp),
        args: [{ dump, timestamp, previous: dumps[i - 1]! }],
        typedSearchAttributes: [
          { key: OpusDumpTimestamp, value: new Date(copenhagenInstant(timestamp)) },
          { key: OpusMunicipality, value: municipality },
        ],
        memo: { dump, status: 'running', stage: 'starting' },
      });
      const result = await handle.result();
      const ms = performance.now() - started;
      report.delta(i, { dump, ms, report: result, ...(await fromHistory(handle)) });
    }
  });
}

/** The activities' times (scheduled → completed) and the steps' planned writes, from the run's history. */
async function fromHistory(handle: WorkflowHandle): Promise<{ planned: number | null; activities: { name: string; ms: number }[] }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Map<string, { name: string; at: number }>();
  const activities: { name: string; ms: number }[] = [];
  let planned: number | null = null;
  for (const event of events) {
    const at = millis(event.eventTime);
    const asked = event.activityTaskScheduledEventAttributes;
    if (asked) scheduled.set(String(event.eventId), { name: asked.activityType?.name ?? '?', at });
    const done = event.activityTaskCompletedEventAttributes;
    if (!done) continue;
    const from = scheduled.get(String(done.scheduledEventId));
    if (from) activities.push({ name: from.name, ms: at - from.at });
    const payload = done.result?.payloads?.[0];
    const result = payload ? defaultPayloadConverter.fromPayload<Partial<StepResult> | null>(payload) : null;
    if (result && typeof result === 'object' && typeof result.planned === 'number' && typeof result.step === 'string') planned = (planned ?? 0) + result.planned;
  }
  return { planned, activities };
}

function millis(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return ts ? Number(String(ts.seconds ?? 0)) * 1000 + (ts.nanos ?? 0) / 1e6 : 0;
}
