// Alerts from the OPUS sync on a real Temporal dev server, a worker in this process and the local MO: a dump
// that cannot be read sends exactly one 'import-failed' alert (by webhook, retried past a 500, and by e-mail),
// the syncs it blocks one 'sync-blocked' alert, the resumed run that imports it one 'recovered' alert; with the webhook down and the SMTP certificate
// untrusted, the runs end exactly as they would without alerts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { loadSettings } from '../../src/config/load.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { freePort } from '../../src/util/ports.js';
import { MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import { moSkip } from '../support/moTargets.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';
import { makeCert, startSmtp, startWebhook, type TestSmtp, type TestWebhook } from './servers.js';

describe('alerts from the OPUS sync on Temporal', { skip: temporalSkip() || (await moSkip('local')) }, () => {
  let dir = '';
  let smtp: TestSmtp;
  let hook: TestWebhook;
  let names: string[] = [];
  // Filled before the world writes its settings.json (its `before` runs after this one).
  const alertSettings: Record<string, unknown> = {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moflow-alerts-t-'));
    const cert = makeCert(dir);
    smtp = await startSmtp(cert, { user: 'moflow', pass: 'smtp-pass' });
    // The first POST is answered 500: the activity's retry delivers it.
    hook = await startWebhook([500]);
    Object.assign(alertSettings, {
      'moflow.alerts.smtp.host': '127.0.0.1',
      'moflow.alerts.smtp.port': smtp.port,
      'moflow.alerts.smtp.user': 'moflow',
      'moflow.alerts.smtp.password': 'smtp-pass',
      'moflow.alerts.smtp.from': 'moflow@andeby.dk',
      'moflow.alerts.smtp.to': ['drift@andeby.dk'],
      'moflow.alerts.smtp.ca_file': cert.certFile,
      'moflow.alerts.webhook.url': hook.url,
      'moflow.alerts.timeout_seconds': 5,
    });
    names = (await generateDumps({ outDir: dir, units: 5, employees: 30, days: 4, seed: 7, startDate: '2024-05-01' })).files.map((f) => f.name);
  });
  after(async () => {
    await smtp?.stop();
    await hook?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld(alertSettings);

  const put = (name: string, broken = false) => {
    const text = readFileSync(join(dir, name), 'utf8');
    writeFileSync(join(world.dumpsDir, name), broken ? text.replace('</lastName>', '</lastNam>') : text);
  };
  const sync = async (taskQueue: string, resume: boolean) => (await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST, resume })).handle.result();
  const failureOf = async (promise: Promise<unknown>): Promise<string> => {
    const error = await promise.then((v) => assert.fail(`the sync should have failed, but returned ${JSON.stringify(v)}`), (e: unknown) => e);
    assert.ok(error instanceof WorkflowFailedError, String(error));
    return error.cause?.message ?? '';
  };
  const events = () => hook.accepted().map((b) => `${(b.moflow as { event: string }).event} ${(b.moflow as { dump: string }).dump}`);

  it('a failed import alerts once (past a webhook 500), and the resumed good run alerts "recovered" once', async () => {
    for (const [i, name] of names.slice(0, 3).entries()) put(name, i === 1);
    const taskQueue = temporal.taskQueue('alerts');
    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
    await worker.runUntil(async () => {
      assert.match(await failureOf(sync(taskQueue, false)), new RegExp(`${names[1]}: validating failed: .*malformed XML`));
      assert.deepEqual(hook.requests.map((r) => r.status), [500, 200], 'retried once, then delivered');
      assert.deepEqual(events(), [`import-failed ${names[1]}`]);
      assert.equal(smtp.mails.length, 1);
      assert.equal(smtp.mails[0]!.secure, true);
      assert.match(smtp.mails[0]!.subject, new RegExp(`OPUS import of ${names[1]} failed`));
      assert.match(smtp.mails[0]!.body, /moflow opus resume/);

      // The next syncs find the chain blocked: said once, not every night.
      for (let night = 0; night < 2; night++) assert.match(await failureOf(sync(taskQueue, false)), new RegExp(`^${names[1]} was not imported`));
      assert.deepEqual(events(), [`import-failed ${names[1]}`, `sync-blocked ${names[1]}`]);
      assert.match(smtp.mails[1]!.body, new RegExp(`The OPUS sync stopped at ${names[1]} [\\s\\S]*moflow opus resume`));

      put(names[1]!);
      assert.deepEqual(await sync(taskQueue, true), { outcome: 'up to date', note: null, imported: 2, last: names[2] });
    });
    assert.deepEqual(events(), [`import-failed ${names[1]}`, `sync-blocked ${names[1]}`, `recovered ${names[1]}`]);
    assert.equal(hook.requests.length, 4);
    assert.equal(smtp.mails.length, 3);
    assert.match(smtp.mails[2]!.subject, new RegExp(`OPUS import recovered \\(${names[1]}\\)`));
  });

  it('with the webhook down and the SMTP certificate untrusted, the runs end as without alerts', async () => {
    const settings = JSON.parse(readFileSync(world.settingsFile, 'utf8')) as Record<string, unknown>;
    delete settings['moflow.alerts.smtp.ca_file'];
    settings['moflow.alerts.webhook.url'] = `http://127.0.0.1:${await freePort()}/hooks/down`;
    const file = join(world.root, 'settings-down.json');
    writeFileSync(file, JSON.stringify(settings));
    put(names[3]!, true);
    const taskQueue = temporal.taskQueue('alerts-down');
    const worker = await temporal.createWorker({ taskQueue, settings: loadSettings({ settingsPath: file, env: {} }) });
    const [requests, mails] = [hook.requests.length, smtp.mails.length];
    await worker.runUntil(async () => {
      assert.match(await failureOf(sync(taskQueue, false)), new RegExp(`${names[3]}: validating failed: .*malformed XML.*the later dumps wait`));
      put(names[3]!);
      assert.deepEqual(await sync(taskQueue, true), { outcome: 'up to date', note: null, imported: 1, last: names[3] });
    });
    assert.equal(hook.requests.length, requests);
    assert.equal(smtp.mails.length, mails);
  });
});
