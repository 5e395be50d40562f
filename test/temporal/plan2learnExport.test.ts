// The Plan2Learn export workflow on a real Temporal dev server, the local MO holding the golden municipality
// (test/plan2learn/moGolden.ts) and a real vsftpd (FTPES): two workers with their own data folders on one task
// queue, each run taken by the worker the test lets poll, and the export guard holding a shrink until
// `moflow plan2learn approve` sends approveExport — then the approving run, on the other worker, ships.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { loadSettings } from '../../src/config/load.js';
import { addDays, copenhagenToday } from '../../src/mo/index.js';
import { PLAN2LEARN_EXPORT_ID } from '../../workflows/definitions.js';
import type { plan2learnExport } from '../../workflows/index.js';
import type { DarServer } from '../support/darServer.js';
import { VsftpdServer, vsftpdSkip } from '../support/ftps.js';
import { moflow } from '../support/moflowCli.js';
import { moSkip, useMo } from '../support/moTargets.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';
import { E_BO, EXPECTED, GOLDEN_VIBORG_SETTINGS, startGoldenDar, writeMoGoldenState } from '../plan2learn/moGolden.js';

const NAMES = ['bruger.csv', 'organisation.csv', 'engagement.csv', 'stillingskode.csv', 'leder.csv'];
const TUNING = { heartbeatTimeout: '10 seconds', retryInitialInterval: '500 milliseconds', retryMaximumInterval: '2 seconds', retryFor: '3 minutes' } as const;

describe('the Plan2Learn export on Temporal (local MO, FTPES)', { skip: temporalSkip() || vsftpdSkip() || (await moSkip('local')) }, () => {
  const temporal = useTemporal();
  let dar: DarServer;
  before(async () => {
    dar = await startGoldenDar();
  });
  const mo = useMo('local', { darBaseUrl: () => dar.url });
  let dir: string;
  let ftp: VsftpdServer;
  const upload = () => join(ftp.ftpRoot, 'upload');
  const onServer = () => Object.fromEntries(NAMES.map((name) => [name, readFileSync(join(upload(), name), 'utf8')]));
  const taskQueue = `p2l-${process.pid}`;

  /** One worker's settings.json: the same MO and server, its own data folder. */
  const settingsFile = (name: string): string => {
    const path = join(dir, `${name}.json`);
    const settings = {
      ...mo.settings(),
      'moflow.data_dir': join(dir, `data-${name}`),
      ...GOLDEN_VIBORG_SETTINGS,
      'exporters.plan2learn.host': ftp.host,
      'exporters.plan2learn.port': ftp.port,
      'exporters.plan2learn.user': ftp.user,
      'exporters.plan2learn.password': ftp.password,
      'exporters.plan2learn.folder': 'upload',
      'exporters.plan2learn.ca_file': join(dir, 'ca.pem'),
      'exporters.plan2learn.timeout_seconds': 5,
    };
    writeFileSync(path, JSON.stringify(settings, null, 2));
    return path;
  };
  /** Worker `name` alone on the task queue while `fn` runs. */
  const withWorker = async <T>(name: 'a' | 'b', fn: () => Promise<T>): Promise<T> => {
    const worker = await temporal.createWorker({
      taskQueue,
      settings: loadSettings({ settingsPath: settingsFile(name), env: {} }),
      workerOptions: { identity: `worker-${name}` },
    });
    return worker.runUntil(fn());
  };
  const start = (workflowId: string) =>
    temporal.client.workflow.start<typeof plan2learnExport>('plan2learnExport', { taskQueue, workflowId, args: [{ tuning: TUNING }] });
  /** The workers that started the export activity, in order. */
  const activityWorkers = async (handle: WorkflowHandle): Promise<string[]> => {
    const history = await handle.fetchHistory();
    return (history.events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.identity ?? ''] : []));
  };
  const memoOf = async (handle: WorkflowHandle) => ((await handle.describe()).memo ?? {}) as { status?: string; reason?: string; approvedBy?: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moflow-p2l-temporal-'));
    ftp = await VsftpdServer.create();
    writeFileSync(join(dir, 'ca.pem'), ftp.cert.cert);
    await writeMoGoldenState(mo.client(), dar);
  });
  after(async () => {
    await ftp?.dispose();
    await dar?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the first export ships (nothing on the server yet), from the folder of the worker that takes it; the other worker ships the next run', async () => {
    assert.deepEqual(readdirSync(upload()), [], 'nothing shipped before');
    const first = await withWorker('b', async () => (await start('p2l-first')).result());
    assert.equal(first.dir, join(dir, 'data-b', 'plan2learn'));
    assert.deepEqual([first.shipped, first.held, first.approvedBy], [5, null, null]);
    assert.deepEqual(first.files.map((f) => [f.name, f.rows, f.before]), [['bruger.csv', 6, null], ['organisation.csv', 4, null], ['engagement.csv', 5, null], ['stillingskode.csv', 2, null], ['leder.csv', 3, null]]);
    for (const name of NAMES) assert.equal(onServer()[name], EXPECTED.Viborg[name], name);

    const second = await withWorker('a', async () => (await start('p2l-second')).result());
    assert.equal(second.dir, join(dir, 'data-a', 'plan2learn'));
    assert.equal(second.shipped, 5);
    assert.deepEqual(second.files.map((f) => f.before), [6, 4, 5, 2, 3], 'compared with the rows on the server');
    assert.deepEqual(await activityWorkers(temporal.client.workflow.getHandle('p2l-first')), ['worker-b']);
    assert.deepEqual(await activityWorkers(temporal.client.workflow.getHandle('p2l-second')), ['worker-a']);
  });

  it('a shrink past max_shrink_share holds the shipment (memo "held", the file and rows named) until approveExport; then the other worker reads MO again and ships', async () => {
    const before = onServer();
    // Bo's only engagement ends yesterday: engagement.csv 5 → 4 rows (-20%), bruger.csv 6 → 5 (-16.7%).
    await mo.ok(`mutation($u: UUID!) { engagement_terminate(input: {uuid: $u, to: "${addDays(copenhagenToday(), -1)}"}) { uuid } }`, { u: E_BO });

    const handle = await start(PLAN2LEARN_EXPORT_ID);
    const reason = await withWorker('a', async () => {
      for (let i = 0; i < 120; i++) {
        const memo = await memoOf(handle);
        if (memo.status === 'held') return memo.reason ?? '';
        if (memo.status === 'done') break; // shipped: the guard let it through
        await sleep(500);
      }
      assert.fail(`the export was not held: ${JSON.stringify(await memoOf(handle))}`);
    });
    assert.match(reason, /bruger\.csv 6 → 5 rows \(-16\.7%\), engagement\.csv 5 → 4 rows \(-20\.0%\).*more than exporters\.plan2learn\.max_shrink_share \(10\.0%\)/);
    assert.deepEqual(onServer(), before, 'nothing shipped while held');
    const heldEngagements = readFileSync(join(dir, 'data-a', 'plan2learn', 'engagement.csv'), 'utf8');
    assert.ok(!heldEngagements.includes(E_BO), "the held files are in worker a's folder, for the operator to check");
    await sleep(1_500);
    assert.equal((await memoOf(handle)).status, 'held', 'still held without approval');
    assert.deepEqual(onServer(), before);

    const result = await withWorker('b', async () => {
      const approved = await moflow({ settingsFile: settingsFile('b'), address: temporal.server.address, taskQueue }, ['plan2learn', 'approve']);
      assert.equal(approved.code, 0, approved.stderr);
      assert.equal(approved.stdout, `approved ${PLAN2LEARN_EXPORT_ID}\n`);
      return handle.result();
    });
    assert.equal(result.dir, join(dir, 'data-b', 'plan2learn'), "shipped from worker b's own files");
    assert.equal(result.shipped, 5);
    assert.equal(result.held?.reason, reason);
    assert.match(result.approvedBy ?? '', /@/, 'the operator (user@host)');
    assert.deepEqual(result.files.find((f) => f.name === 'engagement.csv'), { name: 'engagement.csv', rows: 4, before: 5 });
    for (const name of NAMES) assert.equal(onServer()[name], readFileSync(join(result.dir, name), 'utf8'), name);
    assert.ok(!onServer()['engagement.csv']!.includes(E_BO), 'the shrunken files are live');
    assert.deepEqual(await activityWorkers(handle), ['worker-a', 'worker-b'], 'held on a, shipped by b');
    const memo = await memoOf(handle);
    assert.equal(memo.status, 'done');
    assert.equal(memo.approvedBy, result.approvedBy);

    const nothing = await moflow({ settingsFile: settingsFile('b'), address: temporal.server.address, taskQueue }, ['plan2learn', 'approve']);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /No Plan2Learn export waits for approval/);
  });
});
