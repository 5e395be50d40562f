// The alert texts: each says what happened, to which dump, and the command that fixes it; nothing secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanText, composeAlert, webhookPayload } from '../../src/alerts/compose.js';
import type { AlertEvent } from '../../src/alerts/events.js';

const DUMP = 'ZLPE20240105223000_delta.xml';
const event = (kind: AlertEvent['kind'], stream: AlertEvent['stream'] = 'opus'): AlertEvent => ({
  kind,
  stream,
  workflowId: 'wf',
  runId: 'run',
  dump: stream === 'opus' ? DUMP : null,
  reason: 'the reason',
});
const context = { municipality: 'Andeby Kommune', secrets: [] };

describe('alert texts', () => {
  it('name the dump and the command that fixes it, for every event', () => {
    const cases: [AlertEvent, RegExp, RegExp][] = [
      [event('import-failed'), new RegExp(`OPUS import of ${DUMP} failed$`), new RegExp(`moflow opus resume.*moflow opus skip ${DUMP} --reason`)],
      [event('awaiting-approval'), new RegExp(`OPUS import of ${DUMP} waits for approval$`), new RegExp(`held by the mass-change guard.*\\n.*moflow opus approve ${DUMP}`)],
      [event('sync-blocked'), new RegExp(`OPUS sync is blocked at ${DUMP}$`), /moflow opus status.*moflow opus resume/],
      [event('export-failed', 'plan2learn'), /Plan2Learn export failed$/, /temporal schedule trigger --schedule-id plan2learn-export-nightly/],
      [event('export-held', 'plan2learn'), /Plan2Learn export is held by the export guard$/, /the reason\nCheck the files, then run `moflow plan2learn approve`/],
    ];
    for (const [e, subject, text] of cases) {
      const message = composeAlert(e, context);
      assert.match(message.subject, /^\[moflow Andeby Kommune\] /);
      assert.match(message.subject, subject);
      assert.match(message.text, text);
      assert.match(message.text, /\(workflow wf, run run\): the reason/);
      assert.equal(message.key, `wf/run/${e.kind}`);
    }
  });

  it('"recovered" names the problem it recovers from and has a key of its own', () => {
    const previous = { kind: 'import-failed' as const, dump: DUMP, workflowId: 'wf0', reason: 'broken XML', at: '2024-01-06T02:00:00.000Z' };
    const message = composeAlert({ ...event('ok'), dump: 'ZLPE20240106223000_delta.xml' }, { ...context, previous });
    assert.equal(message.kind, 'recovered');
    assert.equal(message.key, 'wf/run/recovered');
    assert.equal(message.text, `OPUS import works again: ZLPE20240106223000_delta.xml was imported (workflow wf, run run).\nThe problem before it (2024-01-06T02:00:00.000Z, import-failed at ${DUMP}): broken XML`);
    assert.deepEqual(webhookPayload(message).text.split('\n')[0], '[moflow Andeby Kommune] OPUS import recovered (ZLPE20240106223000_delta.xml)');
  });

  it('a blocked sync keeps the key it is given, so every night does not repeat it', () => {
    assert.equal(composeAlert({ ...event('sync-blocked'), key: 'sync-blocked/opus-import-x/why' }, context).key, 'sync-blocked/opus-import-x/why');
  });

  it('mask CPR numbers, remove secrets (the longer first) and passwords in URLs', () => {
    assert.equal(cleanText('cpr 010101-1234 and 0202021234, uuid 1234567890ab', []), 'cpr 010101-xxxx and 020202-xxxx, uuid 1234567890ab');
    assert.equal(cleanText('token abcdefgh and abcd', ['abcd', 'abcdefgh']), 'token ******** and ********');
    assert.equal(cleanText('postgres://moflow:hemmelig@db:5432/mo failed', []), 'postgres://moflow:********@db:5432/mo failed');
    assert.equal(cleanText('xyz', ['xyz']), 'xyz', 'too short to be a secret worth removing');
  });
});
