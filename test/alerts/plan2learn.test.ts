// Alerts from the Plan2Learn export on a real Temporal dev server and the local MO with the golden
// municipality (export only: no Plan2Learn server): an export that MO refuses fails and sends one
// 'export-failed' alert with the command that runs it again; the next export that works sends 'recovered'.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { loadSettings } from '../../src/config/load.js';
import type { plan2learnExport } from '../../workflows/index.js';
import type { DarServer } from '../support/darServer.js';
import { moSkip, useMo } from '../support/moTargets.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';
import { GOLDEN_VIBORG_SETTINGS, startGoldenDar, writeMoGoldenState } from '../plan2learn/moGolden.js';
import { startWebhook, type TestWebhook } from './servers.js';

const TUNING = { heartbeatTimeout: '10 seconds', retryInitialInterval: '200 milliseconds', retryMaximumInterval: '1 second', retryFor: '3 seconds' } as const;

describe('alerts from the Plan2Learn export on Temporal (local MO)', { skip: temporalSkip() || (await moSkip('local')) }, () => {
  const temporal = useTemporal();
  let dar: DarServer;
  before(async () => {
    dar = await startGoldenDar();
  });
  const mo = useMo('local', { darBaseUrl: () => dar.url });
  let dir = '';
  let hook: TestWebhook;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moflow-alerts-p2l-'));
    hook = await startWebhook();
    await writeMoGoldenState(mo.client(), dar);
  });
  after(async () => {
    await hook?.stop();
    await dar?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = async (name: string, moBase: string | null) => {
    const file = join(dir, `${name}.json`);
    // One data folder: the alert store that knows the export failed before.
    const settings = { ...mo.settings(), ...(moBase ? { 'mora.base': moBase } : {}), 'moflow.data_dir': join(dir, 'data'), ...GOLDEN_VIBORG_SETTINGS, 'moflow.alerts.webhook.url': hook.url };
    writeFileSync(file, JSON.stringify(settings));
    const taskQueue = temporal.taskQueue(name);
    const worker = await temporal.createWorker({ taskQueue, settings: loadSettings({ settingsPath: file, env: {} }) });
    // The run's failure is settled inside runUntil: a rejection there ends the worker abruptly.
    const outcome = await worker.runUntil(
      temporal.client.workflow
        .execute<typeof plan2learnExport>('plan2learnExport', { taskQueue, workflowId: `p2l-${name}`, args: [{ tuning: TUNING }] })
        .then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error })),
    );
    if (outcome.error !== null) throw outcome.error;
    return outcome.value!;
  };
  const bodies = () => hook.accepted() as { text: string; moflow: { event: string; stream: string; workflowId: string } }[];

  it('a failed export alerts once, and the next export that works alerts "recovered"', async () => {
    // An "MO" that refuses every query with a GraphQL error (a CPR number in it): no retry helps.
    const refusing = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'no access to person 0101011234' }] })));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      await assert.rejects(run('down', `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`), WorkflowFailedError);
    } finally {
      refusing.close();
    }
    assert.ok(!hook.requests.some((r) => JSON.stringify(r.body).includes('0101011234')), 'no CPR number');
    assert.match(bodies()[0]!.text, /no access to person 010101-xxxx/, 'masked');
    assert.deepEqual(bodies().map((b) => [b.moflow.event, b.moflow.stream, b.moflow.workflowId]), [['export-failed', 'plan2learn', 'p2l-down']]);
    assert.match(bodies()[0]!.text, /^\[moflow\] Plan2Learn export failed\nThe Plan2Learn export failed and shipped nothing \(workflow p2l-down, run [0-9a-f-]+\): .*\nFix the cause; .*temporal schedule trigger --schedule-id plan2learn-export-nightly/);

    const result = await run('up', null);
    assert.equal(result.shipped, 0, 'export only');
    assert.deepEqual(bodies().map((b) => b.moflow.event), ['export-failed', 'recovered']);
    assert.match(bodies()[1]!.text, /Plan2Learn export works again/);

    await run('again', null);
    assert.equal(hook.requests.length, 2, 'a success after a success says nothing');
  });
});
