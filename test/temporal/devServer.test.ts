// startDevServer against the real temporal CLI: readiness, stop, persistence, the Web UI, failures that
// must show the server's own words, and that the server never outlives the process that started it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer, type SearchAttributeType } from '../../src/temporal/devServer.js';
import { temporalSkip } from '../support/temporal.js';
import { accepts } from '../support/net.js';
import { freePort, listen } from '../../src/util/ports.js';

const skip = temporalSkip();

describe('Temporal dev server', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'moflow-devserver-'));
  const started: DevServer[] = [];
  after(async () => {
    await Promise.all(started.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (options: Parameters<typeof startDevServer>[0]) => {
    const server = await startDevServer(options);
    started.push(server);
    return server;
  };

  it('is ready when it returns, and stop() ends the process and closes the port', async () => {
    const server = await start({ uiPort: null, namespace: 'moflow-test' });
    assert.equal(server.uiUrl, null);
    assert.equal(server.namespace, 'moflow-test');
    const connection = await Connection.connect({ address: server.address });
    const described = await connection.workflowService.describeNamespace({ namespace: 'moflow-test' });
    assert.equal(described.namespaceInfo?.name, 'moflow-test');
    await connection.close();

    await server.stop();
    assert.equal(isAlive(server.pid), false, 'the server process is gone');
    const [host, port] = server.address.split(':') as [string, string];
    assert.equal(await accepts(host, Number(port)), false, 'nothing listens on the frontend port');
    await server.stop(); // a second stop is harmless
  });

  it('a chosen port that another process takes before the server binds it is chosen again', async () => {
    // What happens to parallel tests and to `npm start`: the port was free when chosen, not when bound.
    const holder = createServer((socket) => socket.destroy()); // an open socket here would keep the test alive
    await listen(holder, 0, '127.0.0.1');
    const taken = (holder.address() as { port: number }).port;
    const asked: number[] = [];
    try {
      const server = await start({ uiPort: null, port: async () => (asked.push(asked.length === 0 ? taken : await freePort()), asked.at(-1)!) });
      assert.equal(asked.length, 2, 'asked once more after the failed bind');
      assert.equal(server.address, `127.0.0.1:${asked[1]}`);
      await server.stop();
    } finally {
      holder.close();
    }
  });

  it('keeps history in the SQLite file across a restart, registers search attributes, and serves the Web UI', async () => {
    const dbFilename = join(dir, 'nested', 'temporal.db');
    const logFile = join(dir, 'server.log');
    const options = { dbFilename, logFile, searchAttributes: { ImportSource: 'Keyword' as const } };
    const first = await start(options);
    assert.ok(first.uiUrl);
    const ui = await fetch(first.uiUrl);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /<html/i);

    // Nobody polls this task queue: the workflow stays open and must survive the restart.
    await withClient(first.address, (client) =>
      client.workflow.start('ping', { taskQueue: 'nobody-polls', workflowId: 'survives-restart', args: [{ message: 'x' }] }),
    );
    await first.stop();

    const second = await start({ ...options, port: Number(first.address.split(':')[1]) });
    await withClient(second.address, async (client) => {
      const description = await client.workflow.getHandle('survives-restart').describe();
      assert.equal(description.status.name, 'RUNNING');
      const attributes = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
      assert.equal(attributes.customAttributes?.ImportSource, 2 /* IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */);
    });
    await second.stop();
    assert.match(readFileSync(logFile, 'utf8'), /Temporal Persistence:\s+.*temporal\.db/);
  });

  it("fails with the server's own error when it exits during startup", async () => {
    const error = await startDevServer({ uiPort: null, searchAttributes: { Broken: 'Bogus' as SearchAttributeType } }).then(
      () => assert.fail('startDevServer should have failed'),
      (e: unknown) => e as Error,
    );
    assert.match(error.message, /exited \(exit code 1\) before it was ready/);
    assert.match(error.message, /invalid search attribute value type "Bogus"/);
  });

  it('fails with the output so far when the server is not ready in time, and leaves nothing running', async () => {
    const error = await startDevServer({ uiPort: null, startTimeoutMs: 1 }).then(
      () => assert.fail('startDevServer should have failed'),
      (e: unknown) => e as Error,
    );
    assert.match(error.message, /did not serve namespace default at 127\.0\.0\.1:\d+ within 0\.001 s/);
    const pid = Number(/pid (\d+)/.exec(error.message)?.[1]);
    assert.equal(isAlive(pid), false);
  });

  it('dies with the process that started it, even when that process is SIGKILLed', async () => {
    const script = [
      `const { startDevServer } = await import(${JSON.stringify(new URL('../../src/temporal/devServer.ts', import.meta.url).href)});`,
      'const server = await startDevServer({ uiPort: null });',
      'console.log(JSON.stringify({ pid: server.pid, address: server.address }));',
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const server = JSON.parse(line.toString()) as { pid: number; address: string };
    assert.equal(isAlive(server.pid), true);

    // Let the server go quiet first: right after startup it still logs, and a write into the dead parent's
    // pipe would kill it anyway (SIGPIPE), hiding a missing parent-death signal.
    await sleep(2_500);
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    const deadline = Date.now() + 15_000;
    while (isAlive(server.pid) && Date.now() < deadline) await sleep(100);
    assert.equal(isAlive(server.pid), false, `temporal (pid ${server.pid}) outlived its parent`);
  });
});

async function withClient<T>(address: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await fn(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie has exited but is not reaped yet: count it as gone.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
