// `moflow worker`'s stop is bounded even when an activity ignores its cancellation (a Plan2Learn upload in
// its retry back-off did: the worker took 40 s and the process lived on): SIGTERM, 20 s grace, abandoned at
// 25 s, and the process exits a few seconds later.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../src/temporal/devServer.js';
import { ABANDONED_EXIT_MS } from '../../src/temporal/worker.js';
import { temporalSkip } from '../support/temporal.js';

const root = new URL('../../', import.meta.url).pathname;

describe('worker shutdown with an activity that ignores cancellation', { skip: temporalSkip() }, () => {
  let server: DevServer;
  before(async () => {
    server = await startDevServer({ uiPort: null });
  });
  after(async () => server?.stop());

  it('exits within 25 s + a few after SIGTERM, saying the task was abandoned', { timeout: 180_000 }, async () => {
    const taskQueue = `stuck-${process.pid}`;
    // The real worker (createMoflowWorker, runWorkerUntilSignal) whose export activity never ends and
    // ignores cancellation, with a timer that keeps the event loop alive as a retry back-off does.
    const script = `
import { NativeConnection } from '@temporalio/worker';
import { createMoflowWorker, runWorkerUntilSignal } from '../src/temporal/worker.ts';
import { installRuntime } from '../src/temporal/logging.ts';
installRuntime();
const connection = await NativeConnection.connect({ address: ${JSON.stringify(server.address)} });
const activities = { plan2learnExportAndShip: () => new Promise((resolve) => { process.stderr.write('activity started\\n'); setTimeout(resolve, 600_000); }) };
const worker = await createMoflowWorker({ connection, namespace: 'default', taskQueue: ${JSON.stringify(taskQueue)}, activities });
await runWorkerUntilSignal(worker);
await connection.close();
process.stderr.write('worker returned\\n');`;
    // A file, not -e: the SDK's workflow thread inherits the flags, and --input-type breaks it.
    const file = join(root, '.test-results', `stuck-worker-${process.pid}.mts`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, script);
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection });
      await client.workflow.start('plan2learnExport', { taskQueue, workflowId: `stuck-export-${process.pid}`, args: [{}] });
      for (let i = 0; i < 600 && !stderr.includes('activity started'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(stderr, /activity started/);
      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      const seconds = (Date.now() - signalled) / 1000;
      console.log(`moflow worker, SIGTERM with a stuck activity: exited after ${seconds.toFixed(1)} s (code ${code})`);
      assert.ok(seconds < 25 + ABANDONED_EXIT_MS / 1000 + 5, `exited after ${seconds} s:\n${stderr}`);
      assert.ok(seconds >= 19, 'running tasks got their grace time');
      assert.match(stderr, /running tasks did not stop within 25 s and were abandoned/);
    } finally {
      child.kill('SIGKILL');
      rmSync(file, { force: true });
      await connection.close();
    }
  });
});
