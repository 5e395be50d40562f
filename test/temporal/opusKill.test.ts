// Crash safety of the OPUS sync, the hard way, against each MO (the local MO and the real OS2MO 66.1.2,
// written once): the worker is a real `moflow worker` process, killed with SIGKILL inside running activities
// of a multi-dump import and started again each time. Some kills land at a random moment; others the moment a
// write request has reached MO in full and is unanswered (seen at the gate in front of MO), so MO may apply a
// batch whose worker never learns of it. The sync must complete, and MO must end identical to an
// uninterrupted direct import into a second MO of the same kind, object by object with history, with no
// duplicates.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { generateDumps, type GenerateOptions } from '../../src/opus/generate/index.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import type { MoSnapshot } from '../support/moSnapshot.js';
import { moKinds, moSkip, type MoKind } from '../support/moTargets.js';
import { useOpusWorld, type InFlightWrite } from '../support/opusWorld.js';
import { temporalSkip, useTemporal, type TemporalTestEnv } from '../support/temporal.js';

const ROOT = new URL('../../', import.meta.url).pathname;
// Short enough that a killed worker's activity is retried within seconds; long enough for a busy 2-core box.
const TUNING = { heartbeatTimeout: '4 seconds', retryInitialInterval: '200 milliseconds', retryMaximumInterval: '1 second' } as const;

/**
 * `anywhere`: a random moment inside an activity. `writing`: the moment a write request has reached MO in full
 * and is unanswered; `writing employees`: the same in the employees step, whose people get random uuids and are
 * found again only by CPR. `late employees`: an employees-step request creating people, held back at the gate
 * when its worker dies, and handed to MO later — before the next worker's first write if that comes sooner — as a request MO
 * is slow to take up: the next attempt must not plan before it has landed.
 */
type KillMode = 'anywhere' | 'writing' | 'writing employees' | 'late employees';

// The real OS2MO writes ~30–50 objects/s on an idle 2-core box (the local MO ~10,000/s): its municipality is
// smaller, ~1,600 writes for the first dump, so that its writes take about a minute and the kills land inside.
// A retry of a lost write step waits about one MO request timeout before it plans (activities/opusImport.ts):
// the tests shorten the timeout (still far above a request's time here), and hand a held request to MO within
// it. The late kill comes last, so that no later kill hides how the next attempt fares.
const CASES: Record<MoKind, { dumps: Omit<GenerateOptions, 'outDir'>; kills: KillMode[]; spreadMs: number; moTimeoutSeconds: number; lateMaxMs: number }> = {
  local: {
    dumps: { units: 120, employees: 5000, days: 6, seed: 23 },
    kills: ['anywhere', 'writing', 'anywhere', 'writing employees', 'late employees'],
    spreadMs: 6000,
    moTimeoutSeconds: 20,
    lateMaxMs: 10_000,
  },
  os2mo: {
    dumps: { units: 30, employees: 300, days: 3, seed: 23 },
    kills: ['writing', 'writing employees', 'late employees'],
    spreadMs: 8000,
    moTimeoutSeconds: 50,
    lateMaxMs: 12_000,
  },
};

interface KillPoint {
  kill: number;
  mode: KillMode;
  dump: string;
  activity: string;
  attempt: number;
  /** What the activity was doing, from the worker's log. */
  stage: string;
  /** Its last heartbeat as the server has it (throttled, so it may lag). */
  heartbeat: unknown;
  /** The random wait after the worker took up an activity (for `writing`: before looking for a write). */
  afterMs: number;
  /** Seconds since the sync started. */
  atS: number;
  /** `writing`: the write request MO had, unanswered, when the worker died (`late`: held at the gate; null for `anywhere`). */
  inFlight: (InFlightWrite & { pendingWrites: number }) | null;
  /** `writing`: writes MO registered after that request reached it and before the next worker wrote. */
  landedAfterKill: number | null;
  /** `late`: seconds after the kill when MO answered the held request. */
  lateAnsweredS: number | null;
}

for (const kind of moKinds()) {
  const { dumps, kills: modes, spreadMs, moTimeoutSeconds, lateMaxMs } = CASES[kind];
  const whileWriting = modes.filter((m) => m !== 'anywhere').length;
  describe(`SIGKILL of the worker during a large import (${kind} MO)`, { skip: temporalSkip() || (await moSkip(kind)) }, () => {
    const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
    const world = useOpusWorld({ 'moflow.mo.timeout_seconds': moTimeoutSeconds }, { kind });

    it(`the sync completes after ${modes.length} kills, ${whileWriting} of them with writes in flight, and MO is identical to an uninterrupted import`, async (t) => {
      const { files } = await generateDumps({ outDir: world.dumpsDir, ...dumps });
      const names = files.map((f) => f.name);
      const taskQueue = temporal.taskQueue('kill');
      // The workers' logs stay after the run, next to its figures.
      const logs = join(ROOT, '.test-results', `kill-test-${kind}-workers`);
      rmSync(logs, { recursive: true, force: true });
      mkdirSync(logs, { recursive: true });
      const worker = () => startWorkerProcess(temporal, world.settingsFile, taskQueue, logs);
      const gate = world.mo.gate;

      // The yardstick, an uninterrupted direct import into a second MO of the same kind, runs meanwhile.
      const directStarted = Date.now();
      let directSeconds = 0;
      const uninterrupted = world.uninterrupted(names).then((direct) => {
        directSeconds = (Date.now() - directStarted) / 1000;
        return direct;
      });
      uninterrupted.catch(() => {});

      const started = Date.now();
      let current = await worker();
      const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: TUNING });
      const result = handle.result();
      result.catch(() => {});
      const ended = result.then(
        () => null,
        () => null,
      );
      const kills: KillPoint[] = [];
      // Per `writing` kill: from when its request reached MO until the next worker's first write did.
      const windows: { kill: KillPoint; from: number; to: number | null }[] = [];
      try {
        for (const [i, mode] of modes.entries()) {
          const kill = i + 1;
          const child = current.process;
          const running = await activityOf(temporal, `${child.pid}@${hostname()}`);
          const afterMs = Math.round(Math.random() * spreadMs);
          await sleep(afterMs);
          let inFlight: KillPoint['inFlight'] = null;
          let stage: string;
          let lateAnswered: Promise<number> | null = null;
          if (mode === 'anywhere') {
            stage = current.lastStage();
            child.kill('SIGKILL');
          } else if (mode === 'late employees') {
            // Held at the gate the moment it has arrived in full, its worker killed at once.
            const caught = await Promise.race([
              new Promise<NonNullable<KillPoint['inFlight']> & { stage: string }>((resolve) => {
                const answered = gate.holdNextWrite((write) => {
                  const at = { ...write, pendingWrites: gate.pendingWrites, stage: current.lastStage() };
                  // People: created under a random uuid, so a second create is a second person (or refused).
                  if (!at.stage.endsWith('(employees)') || !write.fields.employee_create) return false;
                  child.kill('SIGKILL');
                  resolve(at);
                  return true;
                }, lateMaxMs);
                const killed = Date.now();
                lateAnswered = answered.then(() => Date.now() - killed);
              }),
              ended,
            ]);
            assert.ok(caught, `the import finished before kill ${kill} (${mode}) found its write (kills so far: ${JSON.stringify(kills)}): make it bigger`);
            ({ stage, ...inFlight } = caught);
          } else {
            // Killed from inside the gate, the moment it has handed MO a whole write request, before any answer.
            const caught = await Promise.race([
              new Promise<NonNullable<KillPoint['inFlight']> & { stage: string }>((resolve) =>
                gate.onWriteInFlight((write) => {
                  const at = { ...write, pendingWrites: gate.pendingWrites, stage: current.lastStage() };
                  if (mode === 'writing employees' && !at.stage.endsWith('(employees)')) return false;
                  child.kill('SIGKILL');
                  resolve(at);
                  return true;
                }),
              ),
              ended,
            ]);
            assert.ok(caught, `the import finished before kill ${kill} (${mode}) found its write (kills so far: ${JSON.stringify(kills)}): make it bigger`);
            ({ stage, ...inFlight } = caught);
          }
          const killedAt = Date.now();
          await current.exited;
          const point = await runningActivity(temporal);
          assert.ok(point || mode !== 'anywhere', `the import finished before kill ${kill} (kills so far: ${JSON.stringify(kills)}): make it bigger`);
          const entry: KillPoint = {
            kill,
            mode,
            dump: point?.dump ?? running.dump,
            activity: point?.activity ?? running.activity,
            attempt: point?.attempt ?? running.attempt ?? 0,
            stage,
            heartbeat: point?.progress ?? null,
            afterMs,
            atS: Math.round((killedAt - started) / 100) / 10,
            inFlight,
            landedAfterKill: null,
            lateAnsweredS: null,
          };
          kills.push(entry);
          if (lateAnswered) void (lateAnswered as Promise<number>).then((ms) => (entry.lateAnsweredS = Math.round(ms / 100) / 10));
          if (inFlight && mode !== 'late employees') {
            const window = { kill: entry, from: killedAt - inFlight.sinceMs, to: null as number | null };
            windows.push(window);
            // The next write request, of whichever worker, closes the window.
            gate.onWriteInFlight((write) => {
              const sentAt = Date.now() - write.sinceMs;
              if (sentAt <= killedAt) return false;
              window.to = sentAt;
              return true;
            });
          }
          current = await worker();
        }
        assert.deepEqual(await result, { outcome: 'up to date', note: null, imported: names.length, last: names.at(-1) });
      } finally {
        current.process.kill('SIGTERM');
        await current.exited;
      }
      const syncSeconds = (Date.now() - started) / 1000;
      for (const w of windows) w.kill.landedAfterKill = await world.mo.registered(new Date(w.from - 50), new Date(w.to ?? Date.now()));

      const writing = kills.filter((k) => k.mode !== 'anywhere');
      assert.equal(writing.length, whileWriting);
      for (const k of writing) {
        assert.ok(['diffUnits', 'diffEmployees', 'computePrimary'].includes(k.activity), `kill ${k.kill} landed in a write step, not ${k.activity}`);
        assert.ok((k.inFlight?.mutations ?? 0) >= 1, `kill ${k.kill} landed with a write request: ${JSON.stringify(k)}`);
        if (k.mode !== 'late employees') assert.ok((k.inFlight?.pendingWrites ?? 0) >= 1, `kill ${k.kill} landed with writes in flight at MO: ${JSON.stringify(k)}`);
        if (k.mode !== 'writing') assert.match(k.stage, /^applying \d+ writes \(employees\)$/);
        if (k.mode === 'late employees') assert.ok(k.lateAnsweredS !== null, `MO answered the request held at kill ${k.kill}`);
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

      const direct = await uninterrupted;
      const [afterKills, reference] = await Promise.all([world.mo.snapshot(), direct.snapshot()]);
      const duplicates = duplicatesIn(afterKills, reference);
      const differences = Object.keys(reference.kinds).flatMap((k) => difference(k, afterKills.kinds[k]!, reference.kinds[k]!));
      const diff = differences.length;
      const figures = {
        mo: kind,
        dumps: { ...dumps, files: names.length },
        kills: kills.length,
        killedWhileWriting: writing.length,
        killPoints: kills,
        resumedWriteSteps: resumes,
        retriedActivities: retries,
        finalDiff: diff,
        duplicates,
        objects: afterKills.counts,
        syncSeconds,
        directImportSeconds: directSeconds,
      };
      mkdirSync(join(ROOT, '.test-results'), { recursive: true });
      writeFileSync(join(ROOT, '.test-results', `kill-test-${kind}.json`), `${JSON.stringify(figures, null, 2)}\n`);
      t.diagnostic(
        `${kind}: kills ${kills.length} (${writing.length} with writes in flight), resumed write steps ${resumes}, retried activities ${retries}, final diff ${diff}, duplicates ${duplicates}; ` +
          `sync ${syncSeconds.toFixed(0)} s, direct import alongside ${directSeconds.toFixed(0)} s (with its MO's start)`,
      );
      for (const k of kills) {
        const flight =
          k.mode === 'late employees'
            ? `, ${k.inFlight!.mutations} writes held at the gate, answered by MO ${k.lateAnsweredS} s after the kill`
            : k.inFlight
              ? `, ${k.inFlight.mutations} writes in flight for ${k.inFlight.sinceMs} ms, ${k.landedAfterKill} registered by MO after that`
              : '';
        t.diagnostic(`kill ${k.kill} (${k.mode}) at ${k.atS} s: ${k.dump} ${k.activity} attempt ${k.attempt}, ${k.afterMs} ms in, while: ${k.stage}${flight}`);
      }
      // Written before the verdict, so that a failure leaves its figures and the differing lines behind.
      writeFileSync(join(ROOT, '.test-results', `kill-test-${kind}-difference.txt`), differences.length ? `${differences.join('\n')}\n` : '');

      assert.equal(duplicates, 0, 'no object twice (a person by CPR, any other object by its uuid or content)');
      assert.deepEqual(afterKills.counts, reference.counts, 'the same number of objects of each kind as the uninterrupted import');
      assert.equal(diff, 0, `MO is identical to the uninterrupted import, object by object and with history; the first differences:\n${differences.slice(0, 6).join('\n')}`);
    });
  });
}

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
    // Debug: each activity's stages, which tell where a kill lands, are logged at debug level only.
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOFLOW_SETTINGS: '', MOFLOW_LOG_LEVEL: 'debug' } },
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
  const lastStage = () => [...seen.matchAll(/ (?:INFO |DEBUG) (.+?) \[activity /g)].at(-1)?.[1] ?? '(no activity yet)';
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
  for (let i = 0; i < 1200; i++) {
    const found = await runningActivity(temporal, identity).catch(() => undefined);
    if (found) return found;
    if (found === null) throw new Error('the sync is no longer running');
    await sleep(50);
  }
  throw new Error(`no activity started on ${identity} within 60 s`);
}

/**
 * Extra copies of an object: lines the killed sync has more than once, beyond the copies the uninterrupted
 * import has too (two identical addresses of one person are two lines there as well), plus people twice by CPR.
 */
function duplicatesIn(snapshot: MoSnapshot, reference: MoSnapshot): number {
  const count = (lines: string[]) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  let n = 0;
  for (const [kind, lines] of Object.entries(snapshot.kinds)) {
    const expected = count(reference.kinds[kind] ?? []);
    for (const [line, copies] of count(lines)) n += Math.max(0, copies - Math.max(1, expected.get(line) ?? 0));
  }
  const cprs = snapshot.kinds.person!.map((line) => /"cprNumber":"(\d+)"/.exec(line)?.[1] ?? line);
  return n + cprs.length - new Set(cprs).size;
}

/** The lines one side has more often than the other, marked `killed +` or `uninterrupted +`. */
function difference(kind: string, killed: string[], uninterrupted: string[]): string[] {
  const count = (lines: string[]) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const [a, b] = [count(killed), count(uninterrupted)];
  const out: string[] = [];
  for (const [line, n] of a) for (let i = b.get(line) ?? 0; i < n; i++) out.push(`${kind} killed + ${line}`);
  for (const [line, n] of b) for (let i = a.get(line) ?? 0; i < n; i++) out.push(`${kind} uninterrupted + ${line}`);
  return out;
}
