// Alerts delivered to real servers: an SMTP server with STARTTLS, a login and a certificate made by openssl
// (trusted through moflow.alerts.smtp.ca_file), and a local webhook. Each event goes out once per channel
// however often it is retried; no CPR number, password or webhook token ever appears in what is sent.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deliverAlert, secretValuesOf } from '../../src/alerts/deliver.js';
import type { AlertEvent } from '../../src/alerts/events.js';
import { AlertSendError } from '../../src/alerts/senders.js';
import { alertConfig } from '../../src/alerts/settings.js';
import { AlertStore } from '../../src/alerts/store.js';
import { dataDirOf } from '../../src/config/dataDir.js';
import { ConfigError, loadSettings } from '../../src/config/load.js';
import { freePort } from '../../src/util/ports.js';
import { makeCert, startSmtp, startWebhook, type TestCert, type TestSmtp, type TestWebhook } from './servers.js';

const CPR = '0101011234';
const SMTP_PASSWORD = 'smtp-Pa55word!';
const MO_SECRET = 'mo-client-S3cret';
const DUMP = 'ZLPE20240102224012_delta.xml';

describe('alerts by e-mail and webhook', () => {
  let dir = '';
  let cert: TestCert;
  let smtp: TestSmtp;
  let hook: TestWebhook;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moflow-alerts-'));
    cert = makeCert(dir);
    smtp = await startSmtp(cert, { user: 'moflow', pass: SMTP_PASSWORD });
    hook = await startWebhook();
  });
  after(async () => {
    await smtp?.stop();
    await hook?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  /** Settings as a settings.json; each call gets its own data folder (its own alert store) unless `dataDir` is given. */
  const settingsWith = (values: Record<string, unknown>) => {
    const file = join(dir, `settings-${++n}.json`);
    writeFileSync(file, JSON.stringify({ 'municipality.name': 'Andeby Kommune', 'moflow.data_dir': join(dir, `data-${n}`), 'crontab.CLIENT_SECRET': MO_SECRET, ...values }));
    return loadSettings({ settingsPath: file, env: {} });
  };
  const smtpSettings = (ca = true) => ({
    'moflow.alerts.smtp.host': '127.0.0.1',
    'moflow.alerts.smtp.port': smtp.port,
    'moflow.alerts.smtp.user': 'moflow',
    'moflow.alerts.smtp.password': SMTP_PASSWORD,
    'moflow.alerts.smtp.from': 'moflow@andeby.dk',
    'moflow.alerts.smtp.to': ['drift@andeby.dk', 'vagt@andeby.dk'],
    ...(ca ? { 'moflow.alerts.smtp.ca_file': cert.certFile } : {}),
    'moflow.alerts.timeout_seconds': 5,
  });
  const deliver = (settings: ReturnType<typeof settingsWith>, event: AlertEvent, log?: (line: string) => void) =>
    deliverAlert(event, {
      config: alertConfig(settings),
      store: new AlertStore(join(dataDirOf(settings), 'alerts')),
      municipality: 'Andeby Kommune',
      secrets: secretValuesOf(settings),
      ...(log ? { log } : {}),
    });
  const failed = (runId: string, extra: Partial<AlertEvent> = {}): AlertEvent => ({
    kind: 'import-failed',
    stream: 'opus',
    workflowId: 'opus-import-2024-01-02T22:40:12',
    runId,
    dump: DUMP,
    // What a failure message might carry in the worst case: a CPR number and a secret.
    reason: `${DUMP}: validating failed: employee id=1000 cpr ${CPR} refused; MO said client_secret=${MO_SECRET}, smtp ${SMTP_PASSWORD}`,
    ...extra,
  });

  it('are off until a channel is configured, and a half-configured SMTP names the keys missing', async () => {
    const off = await deliver(settingsWith({}), failed('r0'));
    assert.match(off.skipped ?? '', /alerts are off/);
    assert.ok(!existsSync(join(dir, `data-${n}`, 'alerts')), 'no alerts folder when alerts are off');
    assert.throws(
      () => alertConfig(settingsWith({ 'moflow.alerts.smtp.host': 'smtp.andeby.dk' })),
      (e: unknown) => e instanceof ConfigError && /moflow\.alerts\.smtp\.from is not set/.test(e.message) && /moflow\.alerts\.smtp\.to is not set/.test(e.message),
    );
    assert.throws(() => settingsWith({ 'moflow.alerts.events': ['import-failed', 'imprt-failed'] }), ConfigError);
  });

  it('a failed import goes out once by e-mail (STARTTLS, login, trusted CA) and by webhook, with the fix, without CPR or secrets', async () => {
    const settings = settingsWith({ ...smtpSettings(), 'moflow.alerts.webhook.url': hook.url });
    const mailsBefore = smtp.mails.length;
    const hooksBefore = hook.requests.length;
    const first = await deliver(settings, failed('r1'));
    assert.deepEqual(first.sent, ['smtp', 'webhook']);

    const mails = smtp.mails.slice(mailsBefore);
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.equal(mail.secure, true, 'sent after STARTTLS');
    assert.equal(mail.user, 'moflow');
    assert.deepEqual(mail.to, ['drift@andeby.dk', 'vagt@andeby.dk']);
    assert.equal(mail.subject, `[moflow Andeby Kommune] OPUS import of ${DUMP} failed`);
    assert.match(mail.body, new RegExp(`The import of ${DUMP} failed \\(workflow opus-import-2024-01-02T22:40:12, run r1\\)`));
    assert.match(mail.body, /moflow opus resume/);
    assert.match(mail.body, new RegExp(`moflow opus skip ${DUMP} --reason`));
    assert.match(mail.body, /cpr 010101-xxxx refused/);

    const posted = hook.requests.slice(hooksBefore);
    assert.equal(posted.length, 1);
    const body = posted[0]!.body as { text: string; moflow: Record<string, unknown> };
    assert.match(body.text, new RegExp(`^\\[moflow Andeby Kommune\\] OPUS import of ${DUMP} failed\\n`));
    assert.match(body.text, /moflow opus resume/);
    assert.deepEqual(body.moflow, {
      event: 'import-failed',
      stream: 'opus',
      municipality: 'Andeby Kommune',
      dump: DUMP,
      workflowId: 'opus-import-2024-01-02T22:40:12',
      runId: 'r1',
      key: 'opus-import-2024-01-02T22:40:12/r1/import-failed',
      subject: `[moflow Andeby Kommune] OPUS import of ${DUMP} failed`,
    });
    for (const sent of [mail.body, mail.subject, mail.headers, JSON.stringify(body)]) {
      assert.ok(!sent.includes(CPR) && !sent.includes('011234'), 'no CPR number');
      assert.ok(!sent.includes(SMTP_PASSWORD) && !sent.includes(MO_SECRET), 'no secret');
      assert.ok(!sent.includes('tokensecret123'), 'no webhook token');
    }

    // The activity retried (or replayed) with the same event: nothing goes out again.
    const again = await deliver(settings, failed('r1'));
    assert.deepEqual({ sent: again.sent, already: again.already }, { sent: [], already: ['smtp', 'webhook'] });
    assert.equal(smtp.mails.length, mailsBefore + 1);
    assert.equal(hook.requests.length, hooksBefore + 1);
  });

  it('a webhook answering 500 fails the attempt; the retry posts it once and does not mail again', async () => {
    const flaky = await startWebhook([500]);
    try {
      const settings = settingsWith({ ...smtpSettings(), 'moflow.alerts.webhook.url': flaky.url });
      const mailsBefore = smtp.mails.length;
      await assert.rejects(deliver(settings, failed('r2')), (e: unknown) => e instanceof AlertSendError && !e.permanent && /webhook at 127\.0\.0\.1:\d+ answered 500/.test(e.message) && !e.message.includes('tokensecret123'));
      const retried = await deliver(settings, failed('r2'));
      assert.deepEqual({ sent: retried.sent, already: retried.already }, { sent: ['webhook'], already: ['smtp'] });
      assert.deepEqual(flaky.requests.map((r) => r.status), [500, 200]);
      assert.deepEqual(flaky.requests[0]!.body, flaky.requests[1]!.body, 'the same alert');
      assert.equal(smtp.mails.length, mailsBefore + 1, 'one mail');
    } finally {
      await flaky.stop();
    }
  });

  it('an untrusted certificate is refused: nothing is sent, the log says why and how to fix it', async () => {
    const settings = settingsWith(smtpSettings(false));
    const mailsBefore = smtp.mails.length;
    const lines: string[] = [];
    await assert.rejects(deliver(settings, failed('r3'), (line) => lines.push(line)), (e: unknown) => e instanceof AlertSendError && e.permanent);
    assert.equal(smtp.mails.length, mailsBefore);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /not sent by smtp: SMTP 127\.0\.0\.1:\d+: .*certificate.*set moflow\.alerts\.smtp\.ca_file/);
    assert.ok(!lines[0]!.includes(SMTP_PASSWORD));
  });

  it('a webhook that is down fails the attempt (to be retried), naming the host only', async () => {
    const port = await freePort();
    const settings = settingsWith({ 'moflow.alerts.webhook.url': `http://127.0.0.1:${port}/hooks/tokensecret123` });
    await assert.rejects(deliver(settings, failed('r4')), (e: unknown) => e instanceof AlertSendError && !e.permanent && /webhook at 127\.0\.0\.1:\d+: ECONNREFUSED/.test(e.message) && !e.message.includes('tokensecret123'));
    assert.ok(!existsSync(join(dir, `data-${n}`, 'alerts', 'sent')), 'nothing recorded as sent');
  });

  it('the first success after a problem sends one "recovered" alert naming the problem; later successes send nothing', async () => {
    const settings = settingsWith({ 'moflow.alerts.webhook.url': hook.url });
    const ok = (runId: string): AlertEvent => ({ kind: 'ok', stream: 'opus', workflowId: `opus-import-${runId}`, runId, dump: DUMP, reason: '' });
    assert.equal((await deliver(settings, ok('a'))).skipped, 'nothing to recover from');
    const before = hook.requests.length;
    await deliver(settings, failed('r5'));
    assert.equal((await deliver(settings, { ...failed('p1'), stream: 'plan2learn', kind: 'export-held', dump: null, reason: 'bruger.csv would lose 40% of its rows' })).sent.length, 1);
    const recovered = await deliver(settings, ok('b'));
    assert.deepEqual(recovered.sent, ['webhook']);
    assert.equal((await deliver(settings, ok('c'))).skipped, 'nothing to recover from');
    const bodies = hook.requests.slice(before).map((r) => r.body as { text: string; moflow: { event: string } });
    assert.deepEqual(bodies.map((b) => b.moflow.event), ['import-failed', 'export-held', 'recovered']);
    assert.match(bodies[2]!.text, new RegExp(`OPUS import works again: ${DUMP} was imported`));
    assert.match(bodies[2]!.text, /The problem before it \(.*, import-failed at ZLPE.*cpr 010101-xxxx refused/);
    assert.ok(!bodies[2]!.text.includes(MO_SECRET));
    assert.match(bodies[1]!.text, /moflow plan2learn approve/);
  });

  it('moflow.alerts.events leaves out the events not listed', async () => {
    const settings = settingsWith({ 'moflow.alerts.webhook.url': hook.url, 'moflow.alerts.events': ['sync-blocked'] });
    const result = await deliver(settings, failed('r6'));
    assert.equal(result.skipped, 'import-failed is not in moflow.alerts.events');
  });
});

describe('a half-configured alert channel', () => {
  it('stops the worker at start (the activities are built from the settings), naming the key', async () => {
    const { createActivities } = await import('../../activities/index.js');
    const env = { MOFLOW_ALERTS_SMTP_HOST: 'smtp.andeby.dk', MOFLOW_ALERTS_SMTP_TO: 'drift@andeby.dk', MOFLOW_DATA_DIR: tmpdir() };
    assert.throws(() => createActivities(loadSettings({ env })), (e: unknown) => e instanceof ConfigError && /moflow\.alerts\.smtp\.from is not set/.test(e.message));
    assert.equal(typeof createActivities(loadSettings({ env: { ...env, MOFLOW_ALERTS_SMTP_FROM: 'moflow@andeby.dk' } })).sendAlert, 'function');
  });
});
