// `moflow start`'s lifecycle on one data folder: a second start is refused naming the running one; SIGTERM
// while a Plan2Learn upload retries stops it within the bound; a second SIGTERM during the stop and SIGKILL
// leave nothing behind either (`ps` shows no process of the data folder: Temporal server, PostgreSQL).
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCK_NAME } from '../../src/start/instanceLock.js';
import { SHUTDOWN_BOUND_MS } from '../../src/start/shutdown.js';
import { freePort } from '../../src/util/ports.js';
import { temporalSkip } from '../support/temporal.js';

const root = new URL('../../', import.meta.url).pathname;
const PASSWORD = 'PLANTED-p2l-password-6e1d';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat?.isDirectory() ? filesUnder(path) : stat?.isFile() ? [path] : [];
  });
}

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

describe('moflow start lifecycle', { skip: temporalSkip() }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'moflow-lifecycle-'));
  chmodSync(dataDir, 0o755); // as root, the embedded PostgreSQL runs as "postgres" and must enter it
  const settingsFile = join(dataDir, 'settings.json');
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const env = { ...process.env, MOFLOW_DATA_DIR: dataDir, MOFLOW_SETTINGS: settingsFile, DATABASE_URL: '' };
  const left = () =>
    execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(dataDir) && !line.includes(' ps '));
  async function nothingLeft(withinMs: number): Promise<void> {
    const until = Date.now() + withinMs;
    while (left().length > 0 && Date.now() < until) await sleep(200);
    assert.deepEqual(left(), [], 'no process of the data folder runs');
  }

  async function start(): Promise<Started> {
    // Plan2Learn's server is a port where nothing listens: the export's upload retries with back-off.
    writeFileSync(
      settingsFile,
      JSON.stringify({ 'exporters.plan2learn.host': '127.0.0.1', 'exporters.plan2learn.port': await freePort(), 'exporters.plan2learn.user': 'p2l', 'exporters.plan2learn.password': PASSWORD }),
    );
    const args = ['bin/moflow.js', 'start', '--port', '0', '--ui-port', '0', '--mo-port', '0'];
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    return { child, stderr: () => stderr, exited };
  }

  async function waitFor(started: Started, pattern: RegExp, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pattern.test(started.stderr())) {
      if (Date.now() > until || started.child.exitCode !== null) assert.fail(`no ${pattern} in:\n${started.stderr()}`);
      await sleep(200);
    }
  }

  it('a second start on the data folder is refused naming the PID and URLs; SIGTERM while an upload retries stops within the bound, the upload cancelled', { timeout: 600_000 }, async () => {
    const first = await start();
    await waitFor(first, /Plan2Learn export …/, 480_000);
    await waitFor(first, /retry/i, 60_000);
    assert.match(first.stderr(), /local MO http:.* no authentication: it listens on 127\.0\.0\.1 \(this machine\) only, where any user can read every CPR number/);

    const second = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, ['bin/moflow.js', 'start', '--once'], { cwd: root, env }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr })),
    );
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`moflow start is already running on the data folder .*: PID ${first.child.pid}, since .*; Temporal UI http://127\\.0\\.0\\.1:\\d+, frontend 127\\.0\\.0\\.1:\\d+, local MO http://127\\.0\\.0\\.1:\\d+/graphql/v30\\..*kill ${first.child.pid}`));
    assert.doesNotMatch(second.stderr, /starting the Temporal dev server/, 'nothing of the second one started');

    const signalled = Date.now();
    first.child.kill('SIGTERM');
    await first.exited;
    const seconds = (Date.now() - signalled) / 1000;
    console.log(`SIGTERM during the upload's retries: exited after ${seconds.toFixed(1)} s`);
    assert.ok(seconds * 1000 <= SHUTDOWN_BOUND_MS + 5_000, `stopped within the bound (${seconds} s):\n${first.stderr()}`);
    // The upload stops retrying when the worker cancels it at the end of the grace time: nothing is abandoned,
    // and start stops waiting for the first round, so the stop ends before the bound.
    assert.match(first.stderr(), /shipping cancelled: no further attempt; no file was replaced/);
    assert.match(first.stderr(), /moflow: stopped during the first round; its runs go on at the next start/);
    assert.doesNotMatch(first.stderr(), /abandoned|not stopped 30 s after/, 'neither abandoned nor stopped by the bound');
    assert.doesNotMatch(first.stderr(), /unexpected error|^\s+at /m, 'no stack trace on the way out');
    await nothingLeft(10_000);
    assert.ok(!existsSync(join(dataDir, LOCK_NAME)), 'the lock is released');

    // The password went into the failing uploads' errors, logs, reports and Temporal's history (its payloads
    // are in temporal.db): it is in none of them, nor in anything printed.
    assert.ok(!first.stderr().includes(PASSWORD));
    for (const path of filesUnder(dataDir)) {
      if (path === settingsFile) continue;
      assert.ok(!readFileSync(path).includes(PASSWORD), `${path} holds the Plan2Learn password`);
    }
  });

  it('a second SIGTERM during the stop exits at once and leaves nothing running', { timeout: 300_000 }, async () => {
    const run = await start();
    await waitFor(run, /Plan2Learn export …/, 240_000);
    run.child.kill('SIGTERM');
    await sleep(1_000);
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    await run.exited;
    console.log(`second SIGTERM: exited after ${((Date.now() - signalled) / 1000).toFixed(1)} s`);
    assert.ok(Date.now() - signalled < 5_000, run.stderr());
    await nothingLeft(15_000);
  });

  it('killed outright (SIGKILL), its Temporal server and PostgreSQL stop too, and the next start takes over the lock', { timeout: 300_000 }, async () => {
    const run = await start();
    await waitFor(run, /Plan2Learn export …/, 240_000);
    run.child.kill('SIGKILL');
    await run.exited;
    await nothingLeft(20_000);
    const again = await start();
    await waitFor(again, /Plan2Learn export …/, 240_000);
    again.child.kill('SIGINT');
    await again.exited;
    await nothingLeft(15_000);
  });
});
