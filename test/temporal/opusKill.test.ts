// Crash safety of the OPUS sync, the hard way: the worker is a real `moflow worker` process, killed with SIGKILL
// at random points inside running activities of a large import (at least five times) and started again each
// time. The sync must complete, and MO must end identical to an uninterrupted direct import, with no duplicates.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { generateDumps } from '../../src/opus/generate/index.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import { moSnapshot } from '../support/moSnapshot.js';
import { useOpusWorld } from '../support/opusWorld.js';
import { postgresSkip } from '../support/postgres.js';
import { temporalSkip, useTemporal, type TemporalTestEnv } from '../support/temporal.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const KILLS = 5;
// Short enough that a killed worker's activity is retried within seconds; long enough for a busy 2-core box.
const TUNING = { heartbeatTimeout: '4 seconds', retryInitialInterval: '200 milliseconds', retryMaximumInterval: '1 second' } as const;

interface KillPoint {
  kill: number;
  dump: string;
  activity: string;
  attempt: number;
  /** What the activity was doing, from the worker's log. */
  stage: string;
  /** Its last heartbeat as the server has it (throttled, so it may lag). */
  heartbeat: unknown;
  afterMs: number;
}

describe('SIGKILL of the worker during a large import', { skip: temporalSkip() || (await postgresSkip()) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld();

  it(`the sync completes after ${KILLS} kills at random points, and MO is identical to an uninterrupted import`, async (t) => {
    const { files } = await generateDumps({ outDir: world.dumpsDir, units: 120, employees: 5000, days: 6, seed: 23 });
    const names = files.map((f) => f.name);
    const taskQueue = temporal.taskQueue('kill');
    mkdirSync(join(world.root, 'logs'));
    const worker = () => startWorkerProcess(temporal, world.settingsFile, taskQueue, join(world.root, 'logs'));

    let current = await worker();
    const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: TUNING });
    const result = handle.result();
    result.catch(() => {});
    const kills: KillPoint[] = [];
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        // A random moment inside an activity this worker process runs.
        const running = await activityOf(temporal, `${current.process.pid}@${hostname()}`);
        const afterMs = Math.round(Math.random() * 6000);
        await sleep(afterMs);
        const point = await runningActivity(temporal);
        assert.notEqual(point, null, `the import finished before kill ${kill} (kills so far: ${JSON.stringify(kills)}): make it bigger`);
        const stage = current.lastStage();
        current.process.kill('SIGKILL');
        await current.exited;
        kills.push({ kill, dump: point?.dump ?? running.dump, activity: point?.activity ?? '(between activities)', attempt: point?.attempt ?? 0, stage, heartbeat: point?.progress ?? null, afterMs });
        current = await worker();
      }
      assert.deepEqual(await result, { outcome: 'up to date', note: null, imported: names.length, last: names.at(-1) });
    } finally {
      current.process.kill('SIGTERM');
      await current.exited;
    }

    const reports: ImportRunReport[] = [];
    for await (const run of temporal.client.workflow.list({ query: `WorkflowType='opusImportDump'` })) {
      reports.push(await temporal.client.workflow.getHandle(run.workflowId, run.runId).result());
    }
    const resumes = reports.reduce((n, r) => n + r.resumes, 0);
    const retries = reports.reduce((n, r) => n + r.retries, 0);
    assert.equal(reports.length, names.length, 'one run per dump: nothing was imported twice');
    assert.ok(reports.every((r) => r.failureCount === 0), JSON.stringify(reports.flatMap((r) => r.failures).slice(0, 3)));
    assert.ok(retries >= 1, 'killed activities were retried');

    const direct = await world.extraMo();
    await world.directImport(direct, names);
    const [afterKills, uninterrupted] = await Promise.all([moSnapshot(world.mo.client), moSnapshot(direct.client)]);
    assert.deepEqual(afterKills.counts, uninterrupted.counts, 'the same number of objects of each kind: no duplicates');
    const diff = Object.keys(uninterrupted.kinds).reduce((n, kind) => n + symmetricDifference(afterKills.kinds[kind]!, uninterrupted.kinds[kind]!), 0);
    assert.equal(diff, 0, 'MO is identical, object by object and with history');

    const figures = { kills: kills.length, killPoints: kills, resumedWriteSteps: resumes, retriedActivities: retries, finalDiff: diff, objects: afterKills.counts };
    mkdirSync(join(ROOT, '.test-results'), { recursive: true });
    writeFileSync(join(ROOT, '.test-results', 'kill-test.json'), `${JSON.stringify(figures, null, 2)}\n`);
    t.diagnostic(`kills ${kills.length}, resumed write steps ${resumes}, retried activities ${retries}, final diff ${diff}`);
    for (const k of kills) t.diagnostic(`kill ${k.kill}: ${k.dump} ${k.activity} attempt ${k.attempt}, ${k.afterMs} ms in, while: ${k.stage}`);
  });
});

interface WorkerProcess {
  process: ChildProcess;
  exited: Promise<void>;
  /** The stage an activity of this process logged last (src: activities/support.ts). */
  lastStage(): string;
}

/** `moflow worker` as its own process, resolved once it polls. */
async function startWorkerProcess(temporal: TemporalTestEnv, settingsFile: string, taskQueue: string, logDir: string): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['bin/moflow.js', '--settings', settingsFile, 'worker', '--address', temporal.server.address, '--task-queue', taskQueue],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOFLOW_SETTINGS: '' } },
  );
  const log = createWriteStream(join(logDir, `worker-${child.pid}.log`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen = (seen + chunk.toString()).slice(-20_000);
      if (seen.includes('moflow worker: polling task queue')) resolve();
    });
    void exited.then(() => reject(new Error(`moflow worker exited before polling:\n${seen}`)));
  });
  const lastStage = () => [...seen.matchAll(/ INFO  (.+?) \[activity /g)].at(-1)?.[1] ?? '(no activity yet)';
  return { process: child, exited, lastStage };
}

/** The import's activity now running, as the server sees it. */
async function runningActivity(temporal: TemporalTestEnv, identity?: string) {
  const sync = await temporal.client.workflow.getHandle('opus-sync').describe();
  if (sync.status.name !== 'RUNNING') return null;
  const child = sync.raw.pendingChildren?.[0]?.workflowId;
  if (!child) return undefined;
  const described = await temporal.client.workflow.getHandle(child).describe();
  const activity = described.raw.pendingActivities?.find((a) => a.state === 2 && (identity === undefined || a.lastWorkerIdentity === identity));
  if (!activity) return undefined;
  const payload = activity.heartbeatDetails?.payloads?.[0]?.data;
  return {
    dump: child,
    activity: activity.activityType?.name ?? '?',
    attempt: activity.attempt,
    progress: payload ? JSON.parse(Buffer.from(payload).toString('utf8')) : null,
  };
}

/** Waits until the given worker process runs one of the import's activities. */
async function activityOf(temporal: TemporalTestEnv, identity: string) {
  for (let i = 0; i < 600; i++) {
    const found = await runningActivity(temporal, identity).catch(() => undefined);
    if (found) return found;
    if (found === null) throw new Error('the sync is no longer running');
    await sleep(50);
  }
  throw new Error(`no activity started on ${identity} within 30 s`);
}

function symmetricDifference(a: string[], b: string[]): number {
  const left = new Map<string, number>();
  for (const x of a) left.set(x, (left.get(x) ?? 0) + 1);
  let diff = 0;
  for (const x of b) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else diff++;
  }
  for (const n of left.values()) diff += n;
  return diff;
}
