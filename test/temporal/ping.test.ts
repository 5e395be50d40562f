// The ping round trip against a real Temporal dev server: an in-process worker, then the `moflow worker`
// and `moflow temporal ping` commands as separate processes, the way they are deployed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { WorkerDescription } from '../../activities/ping.js';
import { PROJECT_ROOT } from '../../src/temporal/binary.js';
import { ping, type PingResult } from '../../workflows/index.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const skip = temporalSkip();
const MOFLOW = `${PROJECT_ROOT}bin/moflow.js`;

describe('ping workflow', { skip }, () => {
  const env = useTemporal();

  it('runs on an in-process worker: the activity echoes the message and reports this process', async () => {
    const taskQueue = env.taskQueue('ping');
    const worker = await env.createWorker({ taskQueue });
    const result = await worker.runUntil(
      env.client.workflow.execute(ping, { taskQueue, workflowId: `ping-${taskQueue}`, args: [{ message: 'hej OS2MO' }] }),
    );
    assert.equal(result.reply, 'pong: hej OS2MO');
    assert.equal(result.worker.echoed, 'hej OS2MO');
    assert.equal(result.worker.pid, process.pid);
    assert.equal(result.worker.nodeVersion, process.version);
    assert.equal(result.worker.taskQueue, taskQueue);
  });

  it('uses the activities a test passes instead of the real ones', async () => {
    const taskQueue = env.taskQueue('ping-fake');
    const fake: WorkerDescription = { hostname: 'fake', pid: -1, nodeVersion: 'none', taskQueue, echoed: 'fake' };
    const worker = await env.createWorker({ taskQueue, activities: { describeWorker: async () => fake } });
    const result = await worker.runUntil(
      env.client.workflow.execute(ping, { taskQueue, workflowId: `ping-${taskQueue}`, args: [{ message: 'x' }] }),
    );
    assert.deepEqual(result, { reply: 'pong: x', worker: fake });
  });

  it('`moflow worker` serves ping to `moflow temporal ping` and exits 0 after SIGTERM', async (t) => {
    const taskQueue = env.taskQueue('ping-cli');
    const connect = ['--address', env.server.address, '--namespace', env.server.namespace, '--task-queue', taskQueue];
    const worker = moflow(['worker', ...connect]);
    t.after(() => worker.child.kill('SIGKILL'));

    // The workflow waits on the task queue until the worker has bundled its workflows and polls.
    const fromClient = await env.client.workflow.execute(ping, {
      taskQueue,
      workflowId: `ping-${taskQueue}`,
      args: [{ message: 'from the test' }],
      workflowExecutionTimeout: '90 seconds',
    });
    assert.equal(fromClient.worker.pid, worker.child.pid, worker.output());
    assert.equal(fromClient.worker.echoed, 'from the test');
    assert.match(worker.output(), new RegExp(`polling task queue ${taskQueue} in namespace default at ${env.server.address}`));

    const pinged = moflow(['temporal', 'ping', ...connect, '--message', 'from the CLI']);
    assert.equal(await pinged.exitCode(30_000), 0, pinged.output());
    const printed = JSON.parse(pinged.stdout()) as PingResult;
    assert.equal(printed.reply, 'pong: from the CLI');
    assert.equal(printed.worker.pid, worker.child.pid);

    worker.child.kill('SIGTERM');
    assert.equal(await worker.exitCode(10_000), 0, worker.output());
    assert.match(worker.output(), /SIGTERM, finishing running tasks[\s\S]*moflow worker: stopped/);
  });

  it('`moflow temporal ping` fails with advice when no worker polls the task queue', async () => {
    const taskQueue = env.taskQueue('nobody');
    const pinged = moflow(['temporal', 'ping', '--address', env.server.address, '--task-queue', taskQueue, '--timeout', '2']);
    assert.equal(await pinged.exitCode(30_000), 1, pinged.output());
    assert.match(pinged.output(), new RegExp(`no worker answered on task queue ${taskQueue} .*within 2 s.*moflow worker`));
    assert.equal(pinged.stdout(), '');
  });

  it('`moflow temporal ping` names the address and how to start a server when nothing listens', async () => {
    const pinged = moflow(['temporal', 'ping', '--address', '127.0.0.1:1', '--timeout', '2']);
    assert.equal(await pinged.exitCode(30_000), 1, pinged.output());
    assert.match(pinged.output(), /cannot reach Temporal at 127\.0\.0\.1:1 .*npm start.*TEMPORAL_ADDRESS/s);
  });
});

/** `node bin/moflow.js …` with its output collected; settings come only from the arguments. */
function moflow(args: string[]) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('TEMPORAL_') || name === 'MOFLOW_SETTINGS') delete env[name];
  const child: ChildProcess = spawn(process.execPath, [MOFLOW, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let all = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    all += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (all += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    stdout: () => stdout,
    output: () => `moflow ${args.join(' ')}:\n${all}`,
    /** The exit status; fails the test when the process is still running after `ms`. */
    async exitCode(ms: number): Promise<number | null> {
      const timer = new AbortController();
      const timeout = sleep(ms, null, { signal: timer.signal }).catch(() => null);
      const result = await Promise.race([exited, timeout]);
      timer.abort();
      if (!result) assert.fail(`moflow ${args[0]} did not exit within ${ms} ms:\n${all}`);
      return result[0];
    },
  };
}
