// `moflow worker` as deployed, with its metrics: served on moflow.metrics.port with the Temporal SDK's own
// metrics after moflow's, switched off by "off", and a taken port said in one line while the worker works on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/temporal/binary.js';
import { freePort } from '../../src/util/ports.js';
import { ping } from '../../workflows/index.js';
import { temporalSkip, useTemporal, type TemporalTestEnv } from '../support/temporal.js';
import { scrape, valueOf } from './scrape.js';

describe('moflow worker serves metrics', { skip: temporalSkip() }, () => {
  const temporal = useTemporal();

  it('on the port set, moflow\'s and the SDK\'s, and says where in one line', async (t) => {
    const port = await freePort();
    // The data folder's newest run report: the last successful import before this worker started.
    const dataDir = mkdtempSync(join(tmpdir(), 'moflow-metrics-cli-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    mkdirSync(join(dataDir, 'opus', 'reports'), { recursive: true });
    writeFileSync(join(dataDir, 'opus', 'reports', 'ZLPE20240101224012_delta.xml.json'), '{}');
    utimesSync(join(dataDir, 'opus', 'reports', 'ZLPE20240101224012_delta.xml.json'), 1_700_000_000, 1_700_000_000);
    const worker = await startWorker(temporal, { MOFLOW_METRICS_PORT: String(port), MOFLOW_DATA_DIR: dataDir });
    t.after(() => worker.kill());
    await worker.ping();
    assert.match(worker.output(), new RegExp(`^moflow worker: metrics at http://127\\.0\\.0\\.1:${port}/metrics$`, 'm'));
    const { text, samples } = await scrape(`http://127.0.0.1:${port}/metrics`);
    assert.match(text, /^# TYPE moflow_import_runs_total counter$/m);
    assert.match(text, /^# TYPE moflow_opus_dumps_pending gauge$/m);
    assert.equal(valueOf(samples, 'moflow_last_success_timestamp_seconds', { flow: 'opus_import' }), 1_700_000_000);
    assert.ok(valueOf(samples, 'temporal_workflow_completed') >= 1, 'the SDK counted the ping workflow');
    assert.ok(samples.some((s) => s.name.startsWith('temporal_') && s.labels.task_queue === worker.taskQueue));
    assert.equal(await worker.stop(), 0, worker.output());
  });

  it('says in one line that the port is taken and works on without metrics', async (t) => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    t.after(() => holder.close());
    const port = (holder.address() as { port: number }).port;
    const worker = await startWorker(temporal, { MOFLOW_METRICS_PORT: String(port) });
    t.after(() => worker.kill());
    await worker.ping();
    const lines = worker.output().split('\n').filter((l) => l.includes('metrics'));
    assert.equal(lines.length, 1, worker.output());
    assert.match(lines[0]!, new RegExp(`^moflow worker: warning: the metrics port 127\\.0\\.0\\.1:${port} is taken, so this worker serves no metrics; set moflow\\.metrics\\.port`));
    assert.equal(await worker.stop(), 0, worker.output());
  });

  it('serves none when moflow.metrics.port is "off"', async (t) => {
    const worker = await startWorker(temporal, { MOFLOW_METRICS_PORT: 'off' });
    t.after(() => worker.kill());
    await worker.ping();
    assert.doesNotMatch(worker.output(), /metrics/);
    assert.equal(await worker.stop(), 0, worker.output());
  });
});

/** `moflow worker` on a task queue of its own, resolved once it polls; settings only from `env`. */
async function startWorker(temporal: TemporalTestEnv, extraEnv: Record<string, string>) {
  const taskQueue = temporal.taskQueue('worker-cli');
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const name of Object.keys(env)) if (name.startsWith('TEMPORAL_') || name === 'MOFLOW_SETTINGS') delete env[name];
  const args = ['worker', '--address', temporal.server.address, '--task-queue', taskQueue];
  const child = spawn(process.execPath, [`${PROJECT_ROOT}bin/moflow.js`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let all = '';
  child.stdout.on('data', (chunk: Buffer) => (all += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (all += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const deadline = Date.now() + 90_000;
  while (!all.includes('moflow worker: polling task queue')) {
    if (child.exitCode !== null) assert.fail(`moflow worker exited before polling:\n${all}`);
    if (Date.now() > deadline) assert.fail(`moflow worker did not poll within 90 s:\n${all}`);
    await sleep(50);
  }
  await sleep(200); // the line after the polling one (the metrics URL)
  return {
    taskQueue,
    output: () => all,
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
    /** A workflow through the worker: it is alive and working. */
    async ping() {
      const result = await temporal.client.workflow.execute(ping, { taskQueue, workflowId: `ping-${taskQueue}`, args: [{ message: 'metrics' }], workflowExecutionTimeout: '60 seconds' });
      assert.equal(result.worker.pid, child.pid);
    },
    async stop(): Promise<number | null> {
      child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}
